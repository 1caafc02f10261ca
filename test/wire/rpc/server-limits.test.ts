// The server engine's limits under hostile load, each on its own (issue 17): the bind and idle
// timeouts (a running call keeps a connection open), the per-client connection cap, the fair share
// at the total cap, and the bytes held for unfinished calls per connection and in all, given back
// when a connection goes. The load test with a conformance run alongside is hostile-load.test.ts.
import { connect, type Socket } from 'node:net';
import { context } from '../../../wire/rpc/client/association';
import { PFC } from '../../../wire/rpc/constants';
import { encodePdu } from '../../../wire/rpc/pdu';
import type { ServerApp, ServerLimits } from '../../../wire/rpc/server/app';
import { listenRpc, type RpcListener } from '../../../wire/rpc/server/listener';

const SYNTAX = { uuid: '12345678-1234-abcd-ef00-0123456789ab', major: 1, minor: 0 };

/** Calls on opnum 1 wait until `release()`; every other call answers an empty stub at once. */
function app(): { app: ServerApp<object>; release(): void } {
  const waiting: (() => void)[] = [];
  return {
    app: {
      accepts: (s) => s.uuid === SYNTAX.uuid,
      openGroup: () => ({}),
      closeGroup: () => undefined,
      call: (_g, info) => (info.opnum === 1 ? new Promise((resolve) => waiting.push(() => resolve({ stub: Buffer.alloc(0) }))) : Promise.resolve({ stub: Buffer.alloc(0) })),
    },
    release: () => waiting.splice(0).forEach((w) => w()),
  };
}

const bind = () => encodePdu({ type: 'bind', callId: 1, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 0, contexts: [context(SYNTAX)] });
const fragment = (callId: number, size: number, flags: number, opnum = 0) =>
  encodePdu({ type: 'request', callId, flags, allocHint: 0, contextId: 0, opnum, stub: Buffer.alloc(size) });

interface Client {
  socket: Socket;
  closed: Promise<void>;
  isClosed(): boolean;
  received(): number;
}

function client(port: number, localAddress = '127.0.0.1'): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let closed = false;
    let bytes = 0;
    const done = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())));
    socket.on('error', () => undefined);
    socket.on('data', (c: Buffer) => (bytes += c.length));
    socket.once('connect', () => resolve({ socket, closed: done, isClosed: () => closed, received: () => bytes }));
    socket.once('error', reject);
  });
}

/** Waits (bounded) until `check` holds; fails naming `what` otherwise. */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let listener: RpcListener | undefined;
let clients: Client[] = [];
async function serve(limits: Partial<ServerLimits>, served = app()): Promise<number> {
  listener = await listenRpc(served.app, { host: '127.0.0.1', port: 0, limits });
  return listener.address.port;
}
afterEach(async () => {
  for (const c of clients) c.socket.destroy();
  clients = [];
  await listener?.close();
  listener = undefined;
});
async function open(port: number, localAddress?: string): Promise<Client> {
  const c = await client(port, localAddress);
  clients.push(c);
  return c;
}

describe('timeouts', () => {
  it('a connection that never binds is closed after the bind timeout', async () => {
    const port = await serve({ bindTimeoutMs: 200 });
    const c = await open(port);
    await until(c.isClosed, 'the unbound connection closed');
  });

  it('a bound connection with nothing to do is closed after the idle timeout; one whose call runs is not', async () => {
    const served = app();
    const port = await serve({ idleTimeoutMs: 300 }, served);
    const idle = await open(port);
    const busy = await open(port);
    idle.socket.write(bind());
    busy.socket.write(Buffer.concat([bind(), fragment(2, 8, PFC.FIRST_FRAG | PFC.LAST_FRAG, 1)]));
    await until(idle.isClosed, 'the idle connection closed');
    await pause(600);
    expect(busy.isClosed()).toBe(false);
    // Once its call is answered, it is idle too.
    served.release();
    await until(busy.isClosed, 'the connection closed once its call finished');
  });

  it('idle timeout 0 never closes a connection', async () => {
    const port = await serve({ idleTimeoutMs: 0 });
    const c = await open(port);
    c.socket.write(bind());
    await pause(500);
    expect(c.isClosed()).toBe(false);
  });
});

describe('connection caps', () => {
  it('one client address cannot take more than its cap; another address is still served', async () => {
    const port = await serve({ maxConnectionsPerClient: 3, maxConnections: 100 });
    const own = await Promise.all([1, 2, 3, 4].map(() => open(port, '127.0.0.2')));
    await until(() => own.filter((c) => c.isClosed()).length === 1, 'the fourth connection refused');
    const other = await open(port, '127.0.0.3');
    other.socket.write(bind());
    await until(() => other.received() > 0, 'a bind_ack for the other address');
    expect(other.isClosed()).toBe(false);
  });

  it('at the total cap a newcomer takes the place of the crowding address\'s longest-idle connection', async () => {
    const port = await serve({ maxConnectionsPerClient: 10, maxConnections: 6 });
    const crowd: Client[] = [];
    for (let i = 0; i < 6; i++) {
      crowd.push(await open(port, '127.0.0.4'));
      await pause(5);
    }
    await until(() => listener!.stats().connections === 6, 'six connections open');
    const newcomer = await open(port, '127.0.0.5');
    await until(crowd[0].isClosed, 'the longest-idle crowding connection evicted');
    expect(newcomer.isClosed()).toBe(false);
    expect(crowd.slice(1).some((c) => c.isClosed())).toBe(false);
    // The crowding address, already past its fair share, cannot evict anyone: its newcomer is refused.
    const more = await open(port, '127.0.0.4');
    await until(more.isClosed, 'a seventh connection of the crowding address refused');
    expect(newcomer.isClosed()).toBe(false);
  });
});

describe('bytes held for unfinished calls', () => {
  it('past the per-connection limit the connection is closed, and what it held is given back', async () => {
    const port = await serve({ maxHeldBytesPerConnection: 20_000 });
    const c = await open(port);
    c.socket.write(bind());
    c.socket.write(fragment(2, 4000, PFC.FIRST_FRAG));
    await until(() => listener!.stats().heldBytes > 4000, 'the first fragment held');
    for (let i = 0; i < 6; i++) c.socket.write(fragment(2, 4000, 0));
    await until(c.isClosed, 'the connection closed past its limit');
    expect(listener!.stats()).toEqual({ connections: 0, heldBytes: 0 });
  });

  it('endless empty fragments are bounded like full ones', async () => {
    const port = await serve({ maxHeldBytesPerConnection: 20_000 });
    const c = await open(port);
    c.socket.write(bind());
    c.socket.write(Buffer.concat([fragment(2, 0, PFC.FIRST_FRAG), ...Array.from({ length: 400 }, () => fragment(2, 0, 0))]));
    await until(c.isClosed, 'the connection closed past its limit');
  });

  it('past the total the connection holding the most is closed; the others keep their calls and complete them', async () => {
    const port = await serve({ maxHeldBytesPerConnection: 100_000, maxHeldBytes: 30_000 });
    const small = await open(port, '127.0.0.6');
    const big = await open(port, '127.0.0.7');
    small.socket.write(Buffer.concat([bind(), fragment(2, 4000, PFC.FIRST_FRAG)]));
    big.socket.write(Buffer.concat([bind(), fragment(2, 4000, PFC.FIRST_FRAG)]));
    await until(() => listener!.stats().heldBytes > 8000, 'both first fragments held');
    for (let i = 0; i < 8; i++) big.socket.write(fragment(2, 4000, 0));
    await until(big.isClosed, 'the biggest holder closed');
    const before = small.received();
    small.socket.write(fragment(2, 8, PFC.LAST_FRAG));
    await until(() => small.received() > before, 'the small call answered');
    expect(small.isClosed()).toBe(false);
    expect(listener!.stats()).toEqual({ connections: 1, heldBytes: 0 });
  });

  it('a closed connection gives back its slot and its bytes at once', async () => {
    const port = await serve({});
    const c = await open(port);
    c.socket.write(Buffer.concat([bind(), fragment(2, 4000, PFC.FIRST_FRAG), fragment(3, 4000, PFC.FIRST_FRAG)]));
    await until(() => listener!.stats().heldBytes > 8000, 'two calls held');
    c.socket.destroy();
    await until(() => listener!.stats().connections === 0, 'the connection gone');
    expect(listener!.stats().heldBytes).toBe(0);
  });
});
