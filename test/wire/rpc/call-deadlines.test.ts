// Each exchange of a client connection ends at its own deadline, though the connection keeps one timer
// for all of them (wire/rpc/client/connection.ts, the watchdog): a shorter deadline after a longer one
// still fires on time, a longer one after a shorter one is not cut short, and a connection with no
// exchange pending does not keep the process alive.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { Socket } from 'node:net';
import { context } from '../../../wire/rpc/client/association';
import { RpcClientConnection } from '../../../wire/rpc/client/connection';
import { NDR20, PFC, type SyntaxId } from '../../../wire/rpc/constants';
import { RpcTransportError } from '../../../wire/rpc/errors';
import { PduFramer } from '../../../wire/rpc/framing';
import { decodePdu, encodePdu } from '../../../wire/rpc/pdu';
import { scaled } from '../../support/time-scale';
import { scriptedServer } from './support';

const ECHO: SyntaxId = { uuid: '12345678-1234-abcd-ef00-0123456789ab', major: 1, minor: 0 };
const LIMITS = { connectTimeoutMs: scaled(3000) };
/** The opnum of a request this server never answers; any other is answered after `opnum` ms. */
const SILENT = 999;

/** Binds anything; answers a request `opnum` ms after it came, except SILENT's. */
function delayingServer() {
  return scriptedServer((socket: Socket) => {
    const framer = new PduFramer({
      pdu: (bytes) => {
        const pdu = decodePdu(bytes);
        if (pdu.type === 'bind') {
          socket.write(encodePdu({ type: 'bind_ack', callId: pdu.callId, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 1, secondaryAddress: '1', results: [{ result: 0, reason: 0, transferSyntax: NDR20 }] }));
        } else if (pdu.type === 'request' && pdu.opnum !== SILENT) {
          const answer = encodePdu({ type: 'response', callId: pdu.callId, flags: PFC.FIRST_FRAG | PFC.LAST_FRAG, allocHint: 1, contextId: 0, cancelCount: 0, stub: Buffer.from([pdu.opnum & 0xff]) });
          setTimeout(() => socket.destroyed || socket.write(answer), pdu.opnum);
        }
      },
      error: () => socket.destroy(),
    });
    socket.on('data', (c: Buffer) => framer.push(c));
  });
}

async function connected(port: number): Promise<RpcClientConnection> {
  const connection = await RpcClientConnection.open({ host: '127.0.0.1', port }, LIMITS);
  await connection.bind(1, [context(ECHO)], 0);
  return connection;
}

describe('the deadlines of a connection’s exchanges', () => {
  let server: Awaited<ReturnType<typeof delayingServer>>;
  beforeAll(async () => {
    server = await delayingServer();
  });
  afterAll(() => server.close());

  it('fires a short deadline that follows a long one on time', async () => {
    const connection = await connected(server.port);
    try {
      expect((await connection.call(2, 0, 0, Buffer.alloc(0), scaled(60_000))).stub).toEqual(Buffer.from([0]));
      const started = Date.now();
      const error = await connection.call(3, 0, SILENT, Buffer.alloc(0), 150).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcTransportError);
      expect(error).toMatchObject({ kind: 'timeout', message: `no answer to the request opnum ${SILENT} (call_id 3) within 150 ms` });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(Date.now() - started).toBeLessThan(scaled(5000));
    } finally {
      connection.close();
    }
  });

  it('does not cut short a long deadline that follows a short one', async () => {
    const connection = await connected(server.port);
    try {
      // The first exchange's timer is due 100 ms on; the second's answer comes 300 ms on, within its deadline.
      expect((await connection.call(2, 0, 1, Buffer.alloc(0), 100)).stub).toEqual(Buffer.from([1]));
      expect((await connection.call(3, 0, 300, Buffer.alloc(0), scaled(10_000))).stub).toEqual(Buffer.from([300 & 0xff]));
      // And a deadline after that is still kept.
      const error = await connection.call(4, 0, SILENT, Buffer.alloc(0), 200).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'timeout', message: expect.stringContaining('within 200 ms') });
    } finally {
      connection.close();
    }
  });

  it('lets the process end while a connection is open with nothing pending', async () => {
    // A child opens a connection, makes one call with a deadline far away, and neither closes nor unrefs
    // anything: it must exit on its own once the answer is in (the socket is unreferenced by the script).
    const script = `
      const { RpcClientConnection } = require(${JSON.stringify(path.resolve(__dirname, '../../../dist/wire/rpc/client/connection.js'))});
      const { context } = require(${JSON.stringify(path.resolve(__dirname, '../../../dist/wire/rpc/client/association.js'))});
      (async () => {
        const c = await RpcClientConnection.open({ host: '127.0.0.1', port: ${server.port} }, { connectTimeoutMs: 10000 });
        await c.bind(1, [context(${JSON.stringify(ECHO)})], 0);
        const r = await c.call(2, 0, 0, Buffer.alloc(0), 600000);
        process.stdout.write('answered ' + r.stub.length);
        c.socket.unref();
      })();`;
    // Run beside this process's event loop, which serves the child's connection.
    const started = Date.now();
    const child = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const proc = execFile(process.execPath, ['-e', script], { encoding: 'utf8', timeout: scaled(20_000) }, (_error, stdout) => resolve({ code: proc.exitCode, stdout }));
    });
    expect(child.stdout).toBe('answered 1');
    expect(child.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(scaled(10_000));
  });
});
