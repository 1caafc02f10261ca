// Hostile servers, scripted on raw sockets: each binds properly, then misbehaves when the call comes.
// (test/wire/rpc/notify-v2.test.ts covers a server that misbehaves at the version 2 probe itself.)
// Every misbehaviour must reach the test as a TargetError naming the call, quickly: never a crash, a
// hang, or an allocation the server controls.
import type { Socket } from 'node:net';
import { FABRICATED_HANDLE, TargetError, type ClusapiConnection, type Target } from '../../../cmrp/contract';
import { createDcerpcTarget } from '../../../harness/target/dcerpc';
import { CLUSAPI } from '../../../wire/clusapi';
import { FAULT, NDR20, PFC } from '../../../wire/rpc/constants';
import { PduFramer } from '../../../wire/rpc/framing';
import { decodePdu, encodePdu, type Pdu } from '../../../wire/rpc/pdu';
import { scriptedServer } from './support';
import { timeScale } from '../../support/time-scale';

/**
 * A bind answered within 50 ms and calls cut off after 1.2 s, each times the machine's time scale: a
 * silent server costs the test little, and a loaded machine's slow bind is not taken for silence (at an
 * unscaled 50 ms, the setup's binds timed out now and then under a full `npm test`).
 */
const FAST = { timeoutMultiplier: 0.01 * timeScale() };
const BIND_LIMIT_MS = 5000 * FAST.timeoutMultiplier;
const CALL_CEILING_MS = 120_000 * FAST.timeoutMultiplier;
/**
 * A timeout message's figure: what was left of the call's deadline (the ceiling or a little under it).
 * That it was this ceiling and not a longer one, QUICKLY_MS checks.
 */
const CEILING_TEXT = String.raw`\d+(\.\d+)? ms`;
/** How soon a misbehaviour must be reported: before the call ceiling has passed by much. */
const QUICKLY_MS = CALL_CEILING_MS + 1800 * timeScale();

type Misbehaviour = (socket: Socket, request: Pdu & { type: 'request' }) => void;

/** A server that binds every context it is offered, then answers each request with `misbehave`. */
function misbehaving(misbehave: Misbehaviour) {
  return scriptedServer((socket) => {
    const framer = new PduFramer({
      pdu: (bytes) => {
        const pdu = decodePdu(bytes);
        if (pdu.type === 'bind') {
          socket.write(
            encodePdu({
              type: 'bind_ack',
              callId: pdu.callId,
              maxXmitFrag: 4280,
              maxRecvFrag: 4280,
              assocGroupId: 0x77,
              secondaryAddress: '1',
              results: pdu.contexts.map(() => ({ result: 0, reason: 0, transferSyntax: NDR20 })),
            }),
          );
        } else if (pdu.type === 'request' && pdu.opnum === CLUSAPI.ApiCreateNotifyV2.opnum) {
          // The target's probe for version 2 ports gets the answer of a server without them (a probe
          // that gets no usable answer is itself a target fault); the call under test then misbehaves.
          const flags = PFC.FIRST_FRAG | PFC.LAST_FRAG;
          socket.write(encodePdu({ type: 'fault', callId: pdu.callId, flags, allocHint: 0, contextId: pdu.contextId, cancelCount: 0, faultFlags: 0, status: FAULT.nca_s_op_rng_error, stub: Buffer.alloc(0) }));
        } else if (pdu.type === 'request') {
          misbehave(socket, pdu);
        }
      },
      error: () => socket.destroy(),
    });
    socket.on('data', (c: Buffer) => framer.push(c));
  });
}

const okStub = () => CLUSAPI.ApiOpenCluster.encodeResponse(3, { status: 0, hCluster: '00000000' + '11'.repeat(16) });
const response = (callId: number, stub: Buffer, flags = PFC.FIRST_FRAG | PFC.LAST_FRAG) =>
  encodePdu({ type: 'response', callId, flags, allocHint: stub.length, contextId: 0, cancelCount: 0, stub });

type Call = (c: ClusapiConnection) => Promise<unknown>;

async function expectTargetError(misbehave: Misbehaviour, fault: TargetError['fault'], message: RegExp, withinMs = QUICKLY_MS, call: [string, Call] = ['ApiOpenCluster', (c) => c.ApiOpenCluster()]): Promise<void> {
  const server = await misbehaving(misbehave);
  let target: Target | undefined;
  try {
    target = await createDcerpcTarget('dcerpc:test', { host: '127.0.0.1', port: server.port }, FAST);
    const connection = await target.connect({ protocolVersion: 3 });
    const started = Date.now();
    const error = await call[1](connection).then(
      (reply) => reply,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetError);
    const e = error as TargetError;
    expect(e.call).toBe(call[0]);
    expect(e.fault).toBe(fault);
    expect(e.message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(withinMs);
    await connection.close();
  } finally {
    await target?.dispose();
    await server.close();
  }
}

describe('a server that misbehaves mid-call', () => {
  it('sends garbage', () => expectTargetError((s) => s.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), 'protocol', /rpc_vers 72\.84/));

  it('cuts a PDU short and closes', () =>
    expectTargetError(
      (s, r) => {
        s.write(response(r.callId, okStub()).subarray(0, 30));
        s.end();
      },
      'crash',
      /the server closed the connection in the middle of a PDU \(30 byte\(s\) of it received\)/,
    ));

  it('cuts a PDU short and goes silent', () => expectTargetError((s, r) => s.write(response(r.callId, okStub()).subarray(0, 30)), 'timeout', new RegExp(`no answer to the request opnum 0 \\(call_id \\d+\\) within ${CEILING_TEXT}`)));

  it('claims a frag_length longer than what it sends, then closes', () =>
    expectTargetError(
      (s, r) => {
        const pdu = response(r.callId, okStub());
        pdu.writeUInt16LE(pdu.length + 100, 8);
        s.end(pdu);
      },
      'crash',
      /in the middle of a PDU/,
    ));

  it('claims a frag_length shorter than the PDU (the rest reads as a bad header)', () =>
    expectTargetError(
      (s, r) => {
        const pdu = response(r.callId, okStub());
        pdu.writeUInt16LE(pdu.length - 8, 8);
        s.write(pdu);
      },
      'malformed',
      /ApiOpenCluster response: malformed NDR/,
    ));

  it('sends a fragment larger than the client accepts', () =>
    expectTargetError((s, r) => s.write(response(r.callId, Buffer.concat([okStub(), Buffer.alloc(5000)]))), 'protocol', /frag_length 5048 exceeds the negotiated maximum of 4280/));

  it('answers with an unexpected PDU type', () =>
    expectTargetError(
      (s, r) => s.write(encodePdu({ type: 'bind_ack', callId: r.callId, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 1, secondaryAddress: '', results: [] })),
      'protocol',
      /a bind_ack PDU in answer to a request/,
    ));

  it('answers another call id', () => expectTargetError((s, r) => s.write(response(r.callId + 1000, okStub())), 'protocol', /a response PDU for call_id \d+ while call_id \d+ is in flight/));

  it('closes mid-call', () => expectTargetError((s) => s.end(), 'crash', /^ApiOpenCluster: crash: the server closed the connection$/));

  it('never answers', () => expectTargetError(() => undefined, 'timeout', new RegExp(`within ${CEILING_TEXT}`)));

  it('answers a stub that is not the method NDR', () => expectTargetError((s, r) => s.write(response(r.callId, Buffer.from('0102', 'hex'))), 'malformed', /ApiOpenCluster response: malformed NDR at offset 0/));

  it('answers a conformant size far past the stub (no allocation follows it)', () => {
    // ApiGetGroupState: State, then a unique pointer to NodeName whose counts claim 2^31-1 characters.
    const lie = Buffer.alloc(28);
    lie.writeUInt32LE(0x20000, 4);
    lie.writeUInt32LE(0x7fffffff, 8);
    lie.writeUInt32LE(0x7fffffff, 16);
    return expectTargetError((s, r) => s.write(response(r.callId, lie)), 'malformed', /ApiGetGroupState response: malformed NDR/, QUICKLY_MS, ['ApiGetGroupState', (c) => c.ApiGetGroupState(FABRICATED_HANDLE)]);
  });

  it('answers a string pointer whose referent is not there', () => {
    // ApiGetNotify v3: key, filter, sequence, then Name's referent; a pointer to nothing follows.
    const stub = Buffer.alloc(16);
    stub.writeUInt32LE(0x20000, 12);
    return expectTargetError((s, r) => s.write(response(r.callId, stub)), 'malformed', /ApiGetNotify response: malformed NDR/, QUICKLY_MS, ['ApiGetNotify', (c) => c.ApiGetNotify(FABRICATED_HANDLE)]);
  });

  it('sends shutdown instead of an answer', () => expectTargetError((s) => s.write(encodePdu({ type: 'shutdown', callId: 0 })), 'crash', /the server sent shutdown/));

  it('streams fragments without end (the reassembly ceiling stops it)', () =>
    expectTargetError(
      (s, r) => {
        const piece = response(r.callId, Buffer.alloc(4200), PFC.FIRST_FRAG);
        const more = response(r.callId, Buffer.alloc(4200), 0);
        s.write(piece);
        const pump = () => {
          while (!s.destroyed && s.write(more));
          if (!s.destroyed) s.once('drain', pump);
        };
        pump();
      },
      'protocol',
      /the stub grows past 4194304 bytes/,
      10000,
    ));
});

describe('a server that misbehaves at bind', () => {
  // Only the silent listener waits out the bind's timeout (BIND_LIMIT_MS at FAST); a server that answers at once
  // gets the machine's time scale, so that a loaded machine's late answer is not taken for silence.
  async function bindError(script: (socket: Socket) => void, options = { timeoutMultiplier: timeScale() }): Promise<unknown> {
    const server = await scriptedServer(script);
    try {
      return await createDcerpcTarget('dcerpc:test', { host: '127.0.0.1', port: server.port }, options).then(
        () => 'connected',
        (e: unknown) => e,
      );
    } finally {
      await server.close();
    }
  }

  it('nobody listening', async () => {
    const server = await scriptedServer(() => undefined);
    const port = server.port;
    await server.close();
    const error = await createDcerpcTarget('dcerpc:test', { host: '127.0.0.1', port }, FAST).catch((e: unknown) => e);
    expect(error).toMatchObject({ call: 'bind', fault: 'unreachable', message: expect.stringMatching(/cannot connect to 127\.0\.0\.1:\d+: connect ECONNREFUSED/) });
  });

  it('a silent listener', async () => {
    expect(await bindError(() => undefined, FAST)).toMatchObject({ call: 'bind', fault: 'timeout', message: expect.stringMatching(new RegExp(`no answer to the bind \\(call_id 1\\) within ${BIND_LIMIT_MS} ms`)) });
  });

  it('garbage at bind', async () => {
    expect(await bindError((s) => s.on('data', () => s.write(Buffer.alloc(64, 0xff))))).toMatchObject({ call: 'bind', fault: 'protocol' });
  });

  it('a bind_ack with fewer results than contexts', async () => {
    const error = await bindError((s) =>
      s.once('data', (b: Buffer) => {
        const bind = decodePdu(b);
        s.write(encodePdu({ type: 'bind_ack', callId: bind.callId, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 1, secondaryAddress: '', results: [] }));
      }),
    );
    expect(error).toMatchObject({ call: 'bind', fault: 'protocol', message: expect.stringMatching(/bind_ack: 0 result\(s\) for 2 presentation context\(s\)/) });
  });

  it('a bind_ack whose max_recv_frag is below 1432', async () => {
    const error = await bindError((s) =>
      s.once('data', (b: Buffer) => {
        const bind = decodePdu(b);
        if (bind.type !== 'bind') return;
        s.write(encodePdu({ type: 'bind_ack', callId: bind.callId, maxXmitFrag: 4280, maxRecvFrag: 100, assocGroupId: 1, secondaryAddress: '', results: bind.contexts.map(() => ({ result: 0, reason: 0, transferSyntax: NDR20 })) }));
      }),
    );
    expect(error).toMatchObject({ fault: 'protocol', message: expect.stringMatching(/max_recv_frag 100 is below the minimum of 1432/) });
  });
});
