// Hostile clients against the reference served for one account, on raw sockets: random auth verifiers
// in binds, auth3s and alter_contexts, and random or altered request PDUs after a real handshake. The
// server answers with a bind_nak or a fault, or drops the connection; it never crashes or hangs, and
// keeps serving a well-behaved authenticated client throughout. And the client side: a server whose
// handshake tokens or protected responses are garbage gives an ERROR, never a crash.
import fc from 'fast-check';
import { connect, type Socket } from 'node:net';
import { clusapiSyntax } from '../../../harness/target/dcerpc';
import { asTargetError } from '../../../harness/target/dcerpc-connection';
import { TargetError } from '../../../cmrp/contract';
import { RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, credentials, createClientSecurityContext } from '../../../wire/auth';
import { CLUSAPI } from '../../../wire/clusapi';
import { RpcAssociation, context } from '../../../wire/rpc/client/association';
import { clientSecurity, clientSecurityFactory } from '../../../wire/rpc/client/security';
import { PFC } from '../../../wire/rpc/constants';
import { decodePdu, encodePdu } from '../../../wire/rpc/pdu';
import { rawExchange, scriptedServer, serveReference, wireTarget, type Served } from './support';

const ACCOUNT = credentials({ domain: 'CLUSTER', user: 'tester' }, 'H0stile-Pw');
const AUTH = { authType: RPC_C_AUTHN.GSS_NEGOTIATE, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, credentials: ACCOUNT } as const;

let served: Served;
beforeAll(async () => {
  served = await serveReference({ account: ACCOUNT, limits: { partialPduTimeoutMs: 300, maxConnections: 64 } });
});
afterAll(() => served.close());

async function stillServes(): Promise<void> {
  const target = await wireTarget(served, false, AUTH);
  const c = await target.connect({ protocolVersion: 3 });
  expect(await c.ApiOpenNode('node1')).toMatchObject({ status: 0 });
  await c.close();
  await target.dispose();
}
afterEach(stillServes);

const bindWith = (authType: number, authLevel: number, authValue: Buffer, callId = 1) =>
  encodePdu({
    type: 'bind',
    callId,
    maxXmitFrag: 4280,
    maxRecvFrag: 4280,
    assocGroupId: 0,
    contexts: [context(clusapiSyntax(3))],
    auth: { authType, authLevel, authContextId: 0, authValue },
  });

it('random auth verifiers in a bind: a bind_nak or a bind_ack, never a crash', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(9, 10, 16, 0, 68, 255), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 300 }), async (type, level, value) => {
      const { received } = await rawExchange(served.port, [bindWith(type, level, Buffer.from(value))], 100);
      if (received.length) expect(['bind_ack', 'bind_nak']).toContain(decodePdu(received.subarray(0, received.readUInt16LE(8))).type);
    }),
    { numRuns: 40 },
  );
});

/** A socket past a real NTLM handshake (bind, bind_ack, auth3), ready for whatever a test sends next. */
async function authenticated(): Promise<{ socket: Socket; received: Buffer[]; protect: (pdu: Buffer) => Buffer }> {
  const ctx = createClientSecurityContext({ authType: RPC_C_AUTHN.WINNT, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, credentials: ACCOUNT });
  const hooks = clientSecurity(ctx);
  const socket = connect({ host: '127.0.0.1', port: served.port });
  const received: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (c: Buffer) => {
    received.push(c);
    wake?.();
  });
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const first = hooks.bindVerifier!()!;
  socket.write(encodePdu({ type: 'bind', callId: 1, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 0, contexts: [context(clusapiSyntax(3))], auth: first }));
  await new Promise<void>((r) => (wake = r));
  const ack = decodePdu(Buffer.concat(received.splice(0)));
  if (ack.type !== 'bind_ack') throw new Error(`expected a bind_ack, got ${ack.type}`);
  const leg = hooks.acceptBindAck!(ack)!;
  socket.write(encodePdu({ type: 'auth3', callId: 1, auth: leg.auth }));
  return { socket, received, protect: (pdu) => ctx.protect(pdu) };
}

it('random bytes after a real handshake: a fault or a closed connection, never a crash', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.boolean(), async (bytes, asRequest) => {
      const { socket } = await authenticated();
      const payload = asRequest
        ? Buffer.concat([encodePdu({ type: 'request', callId: 2, flags: PFC.FIRST_FRAG | PFC.LAST_FRAG, allocHint: 0, contextId: 0, opnum: 0, stub: Buffer.alloc(0) }).subarray(0, 24), Buffer.from(bytes)])
        : Buffer.from(bytes);
      if (asRequest) payload.writeUInt16LE(payload.length, 8);
      socket.write(payload);
      await new Promise((r) => setTimeout(r, 50));
      socket.destroy();
    }),
    { numRuns: 40 },
  );
});

it('a sealed request altered anywhere after the header: a fault and the connection ends', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 16, max: 95 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
      const { socket, received, protect } = await authenticated();
      const stub = CLUSAPI.ApiOpenNode.encodeRequest(3, ['node1']);
      const sealed = Buffer.from(protect(encodePdu({ type: 'request', callId: 2, allocHint: stub.length, contextId: 0, opnum: CLUSAPI.ApiOpenNode.opnum, stub })));
      sealed[at % sealed.length] ^= flip;
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      socket.write(sealed);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 3000)))]);
      clearTimeout(timer);
      socket.destroy();
      // Whatever came back is a fault, never a response carrying data of the altered request.
      const answer = Buffer.concat(received);
      if (answer.length >= 16) expect(answer[2]).toBe(3);
    }),
    { numRuns: 40 },
  );
});

describe('a hostile server, seen from the client', () => {
  it.each([
    ['a bind_ack with a garbage token', (pdu: ReturnType<typeof decodePdu>) => ({ authValue: Buffer.from('not a token'), pdu })],
    ['a bind_ack with an empty token', (pdu: ReturnType<typeof decodePdu>) => ({ authValue: Buffer.alloc(0), pdu })],
  ])('%s: an ERROR naming the bind, not a crash', async (_name, make) => {
    const server = await scriptedServer((socket) =>
      socket.on('data', (c: Buffer) => {
        const pdu = decodePdu(c);
        if (pdu.type !== 'bind') return socket.destroy();
        const { authValue } = make(pdu);
        socket.write(
          encodePdu({
            type: 'bind_ack',
            callId: pdu.callId,
            maxXmitFrag: 4280,
            maxRecvFrag: 4280,
            assocGroupId: 9,
            secondaryAddress: '1',
            results: [{ result: 0, reason: 0, transferSyntax: pdu.contexts[0].transferSyntaxes[0] }],
            auth: { authType: 9, authLevel: 6, authContextId: 0, authValue },
          }),
        );
      }),
    );
    try {
      const error = await RpcAssociation.open({ host: '127.0.0.1', port: server.port }, clusapiSyntax(3), { connectTimeoutMs: 2000, security: clientSecurityFactory(AUTH) }).catch((e: unknown) => e);
      const targetError = asTargetError('bind', error);
      expect(targetError).toBeInstanceOf(TargetError);
      expect(targetError.message).toMatch(/^bind: protocol: authentication: (SPNEGO|bind_ack)/);
    } finally {
      await server.close();
    }
  });
});
