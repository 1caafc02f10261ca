// Authenticated DCE/RPC end to end, our client against our server engine: the legs of each auth type
// (bind -> bind_ack -> auth3 for raw NTLMSSP; bind -> bind_ack -> alter_context -> alter_context_resp for
// SPNEGO), every request and response fragment protected with room left for its verifier, one security
// context per connection of an association, and the refusals: a wrong password or an unknown account,
// Kerberos, a tampered PDU, a request before the handshake finished, an unauthenticated server.
import { connect } from 'node:net';
import {
  AuthError,
  RPC_C_AUTHN,
  RPC_C_AUTHN_LEVEL,
  Secret,
  createClientSecurityContext,
  credentials,
  type RpcAuthLevel,
  type RpcAuthType,
} from '../../../wire/auth';
import { RpcAssociation, context } from '../../../wire/rpc/client/association';
import { RpcClientConnection, type ClientSecurity } from '../../../wire/rpc/client/connection';
import { clientSecurity, clientSecurityFactory } from '../../../wire/rpc/client/security';
import { BIND_NAK_REASON, FAULT, PTYPE, type SyntaxId } from '../../../wire/rpc/constants';
import { RpcBindError, RpcTransportError } from '../../../wire/rpc/errors';
import { decodePdu, encodePdu } from '../../../wire/rpc/pdu';
import type { CallInfo, ServerApp, ServerSecurity } from '../../../wire/rpc/server/app';
import { listenRpc, type RpcListener } from '../../../wire/rpc/server/listener';
import { serverSecurity } from '../../../wire/rpc/server/security';
import { scriptedServer } from './support';

const ECHO: SyntaxId = { uuid: '12345678-1234-abcd-ef00-0123456789ab', major: 1, minor: 0 };
const ACCOUNT = credentials({ domain: 'CLUSTER', user: 'tester' }, 'Echo-Pa55word!');
const LIMITS = { connectTimeoutMs: 3000, maxXmitFrag: 1432, maxRecvFrag: 1432 };

const TYPES: [string, RpcAuthType][] = [
  ['SPNEGO', RPC_C_AUTHN.GSS_NEGOTIATE],
  ['NTLMSSP', RPC_C_AUTHN.WINNT],
];
const LEVELS: [string, RpcAuthLevel][] = [
  ['connect', RPC_C_AUTHN_LEVEL.CONNECT],
  ['integrity', RPC_C_AUTHN_LEVEL.PKT_INTEGRITY],
  ['privacy', RPC_C_AUTHN_LEVEL.PKT_PRIVACY],
];

interface Echo {
  listener: RpcListener;
  port: number;
  /** Who called each call, and how (the engine's CallInfo.security). */
  calls: CallInfo[];
  /** The auth_context_id of every context the server opened. */
  opened: number[];
  logs: string[];
}

/** An echo interface (opnum 0 returns the stub, opnum 1 blocks until released) behind authentication. */
async function echoServer(options: { security?: ServerSecurity | null; maxFrag?: number } = {}): Promise<Echo> {
  const calls: CallInfo[] = [];
  const opened: number[] = [];
  const logs: string[] = [];
  const base = options.security === null ? undefined : (options.security ?? serverSecurity({ account: ACCOUNT }));
  const security: ServerSecurity | undefined = base && {
    ...base,
    open: (v) => {
      opened.push(v.authContextId);
      return base.open(v);
    },
  };
  const app: ServerApp<object> = {
    accepts: (s) => s.uuid === ECHO.uuid,
    openGroup: () => ({}),
    closeGroup: () => undefined,
    call: async (_g, info, stub) => {
      calls.push(info);
      if (info.opnum === 1) await new Promise((r) => setTimeout(r, 300));
      return { stub };
    },
  };
  const listener = await listenRpc(app, {
    host: '127.0.0.1',
    port: 0,
    log: (l) => logs.push(l),
    limits: { maxFrag: options.maxFrag ?? 1432 },
    ...(security ? { security } : {}),
  });
  return { listener, port: listener.address.port, calls, opened, logs };
}

const endpoint = (e: Echo) => ({ host: '127.0.0.1', port: e.port });
const auth = (authType: RpcAuthType, authLevel: RpcAuthLevel, account = ACCOUNT) => ({ authType, authLevel, credentials: account });

/** The PDU types a security object saw go out and come in, by spying on a real one. */
function spied(inner: ClientSecurity): { security: ClientSecurity; protectedSizes: number[] } {
  const protectedSizes: number[] = [];
  return {
    protectedSizes,
    security: {
      ...inner,
      protect: (f) => {
        const out = inner.protect!(f);
        protectedSizes.push(out.length);
        return out;
      },
    },
  };
}

let server: Echo;
beforeAll(async () => {
  server = await echoServer();
});
afterAll(async () => {
  await server.listener.close();
});

describe.each(TYPES)('%s', (_typeName, authType) => {
  it.each(LEVELS)('at %s: fragmented requests and responses cross both ways, with room for the verifier', async (_levelName, authLevel) => {
    const { security, protectedSizes } = spied(clientSecurityFactory(auth(authType, authLevel))());
    const association = await RpcAssociation.open(endpoint(server), ECHO, { ...LIMITS, security: () => security });
    try {
      const stub = Buffer.from(Array.from({ length: 9000 }, (_, i) => (i * 7) & 0xff));
      const outcome = await association.call(0, stub, 5000);
      expect(outcome.fault).toBeUndefined();
      expect(outcome.stub.equals(stub)).toBe(true);
      expect(protectedSizes.length).toBeGreaterThan(6);
      // The client cut every fragment so that, verifier included, it fits the server's max_recv_frag.
      expect(Math.max(...protectedSizes)).toBeLessThanOrEqual(1432);
      const call = server.calls.at(-1)!;
      expect(call.security).toEqual({ authType, authLevel, peer: { domain: 'CLUSTER', user: 'tester' } });
    } finally {
      association.close();
    }
  });
});

it('raw NTLMSSP takes bind, bind_ack, auth3; SPNEGO bind, bind_ack, alter_context, alter_context_resp', async () => {
  for (const [authType, expected] of [
    [RPC_C_AUTHN.WINNT, ['bind', 'bind_ack', 'auth3']],
    [RPC_C_AUTHN.GSS_NEGOTIATE, ['bind', 'bind_ack', 'alter_context', 'alter_context_resp']],
  ] as const) {
    const legs: string[] = [];
    const proxy = await tap(server.port, (_direction, pdu) => legs.push(pdu));
    try {
      const association = await RpcAssociation.open({ host: '127.0.0.1', port: proxy.port }, ECHO, {
        ...LIMITS,
        security: clientSecurityFactory(auth(authType, RPC_C_AUTHN_LEVEL.PKT_PRIVACY)),
      });
      await association.call(0, Buffer.from('hello'), 3000);
      association.close();
      expect(legs.slice(0, expected.length)).toEqual(expected);
      expect(legs.slice(expected.length)).toEqual(['request', 'response']);
    } finally {
      await proxy.close();
    }
  }
});

it('every connection of an association authenticates with its own context and auth_context_id', async () => {
  const own = await echoServer();
  try {
    const association = await RpcAssociation.open(endpoint(own), ECHO, { ...LIMITS, security: clientSecurityFactory(auth(RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN_LEVEL.PKT_PRIVACY)) });
    try {
      // Three calls in flight at once need three connections of the group.
      const outcomes = await Promise.all([1, 2, 3].map((n) => association.call(1, Buffer.from([n]), 5000)));
      expect(outcomes.map((o) => o.stub[0])).toEqual([1, 2, 3]);
      expect(association.connectionCount).toBe(3);
      expect(own.opened.sort()).toEqual([0, 1, 2]);
    } finally {
      association.close();
    }
  } finally {
    await own.listener.close();
  }
});

describe('refusals', () => {
  it('raw NTLMSSP with a wrong password: the first request gets an access-denied fault and the connection ends', async () => {
    const wrong = credentials({ domain: 'CLUSTER', user: 'tester' }, new Secret('not-the-password'));
    const connection = await RpcClientConnection.open(endpoint(server), LIMITS);
    const ack = await connection.bind(1, [context(ECHO)], 0, clientSecurityFactory(auth(RPC_C_AUTHN.WINNT, RPC_C_AUTHN_LEVEL.PKT_PRIVACY, wrong))());
    expect(ack.auth).toBeDefined();
    expect(await connection.call(2, 0, 0, Buffer.from('x'), 3000)).toMatchObject({ fault: FAULT.rpc_s_access_denied });
    await expect(connection.call(3, 0, 0, Buffer.from('x'), 3000)).rejects.toBeInstanceOf(RpcTransportError);
    expect(server.logs.join('\n')).toContain('NTProofStr does not match the served account');
  });

  it('SPNEGO as an unknown account: the alter_context is faulted (access denied), a RpcBindError', async () => {
    const stranger = credentials({ domain: 'CLUSTER', user: 'mallory' }, ACCOUNT.password);
    const error = await RpcAssociation.open(endpoint(server), ECHO, { ...LIMITS, security: clientSecurityFactory(auth(RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN_LEVEL.PKT_PRIVACY, stranger)) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcBindError);
    expect(error).toMatchObject({ fault: FAULT.rpc_s_access_denied });
    expect((error as Error).message).toContain('the server refused the alter_context');
  });

  it('a Kerberos bind gets a bind_nak, reason authentication type not recognized', async () => {
    const kerberos: ClientSecurity = { bindVerifier: () => ({ authType: RPC_C_AUTHN.GSS_KERBEROS, authLevel: 6, authContextId: 0, authValue: Buffer.from([0x60, 0x00]) }) };
    const connection = await RpcClientConnection.open(endpoint(server), LIMITS);
    const error = await connection.bind(1, [context(ECHO)], 0, kerberos).catch((e: unknown) => e);
    expect(error).toMatchObject({ rejectReason: BIND_NAK_REASON.authentication_type_not_recognized });
  });

  it('a server without authentication refuses an authenticated bind with a bind_nak', async () => {
    const plain = await echoServer({ security: null });
    try {
      const error = await RpcAssociation.open(endpoint(plain), ECHO, { ...LIMITS, security: clientSecurityFactory(auth(RPC_C_AUTHN.WINNT, RPC_C_AUTHN_LEVEL.PKT_INTEGRITY)) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcBindError);
      expect(error).toMatchObject({ rejectReason: BIND_NAK_REASON.authentication_type_not_recognized });
    } finally {
      await plain.listener.close();
    }
  });

  it('an unauthenticated client binds, and its calls reach the application without a security', async () => {
    const association = await RpcAssociation.open(endpoint(server), ECHO, LIMITS);
    try {
      expect((await association.call(0, Buffer.from('plain'), 3000)).stub.toString()).toBe('plain');
      expect(server.calls.at(-1)!.security).toBeUndefined();
    } finally {
      association.close();
    }
  });

  it.each(LEVELS.slice(1))('at %s, a request whose stub was altered on the way is faulted and the connection ends', async (_name, authLevel) => {
    const inner = clientSecurityFactory(auth(RPC_C_AUTHN.WINNT, authLevel))();
    const tampering: ClientSecurity = {
      ...inner,
      protect: (f) => {
        const out = Buffer.from(inner.protect!(f));
        out[30] ^= 0x01;
        return out;
      },
    };
    const connection = await RpcClientConnection.open(endpoint(server), LIMITS);
    await connection.bind(1, [context(ECHO)], 0, tampering);
    expect(await connection.call(2, 0, 0, Buffer.alloc(32, 7), 3000)).toMatchObject({ fault: 0x721 });
    await connection.closed;
  });

  it('a request before SPNEGO has finished its handshake is faulted and ends the connection', async () => {
    // A client that stops after the bind: its first request comes with no established context.
    const ctx = createClientSecurityContext({ authType: RPC_C_AUTHN.GSS_NEGOTIATE, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, credentials: ACCOUNT });
    const half: ClientSecurity = { bindVerifier: clientSecurity(ctx).bindVerifier };
    const connection = await RpcClientConnection.open(endpoint(server), LIMITS);
    await connection.bind(1, [context(ECHO)], 0, half);
    expect(await connection.call(2, 0, 0, Buffer.from('early'), 3000)).toMatchObject({ fault: FAULT.rpc_s_access_denied });
    await connection.closed;
  });

  it('a server that answers an authenticated bind without a verifier fails the client with an AuthError', async () => {
    const plainAck = await scripted((bytes, reply) => {
      const pdu = decodePdu(bytes);
      if (pdu.type !== 'bind') return;
      reply(encodePdu({ type: 'bind_ack', callId: pdu.callId, maxXmitFrag: 1432, maxRecvFrag: 1432, assocGroupId: 7, secondaryAddress: '1', results: [{ result: 0, reason: 0, transferSyntax: pdu.contexts[0].transferSyntaxes[0] }] }));
    });
    try {
      const error = await RpcAssociation.open({ host: '127.0.0.1', port: plainAck.port }, ECHO, { ...LIMITS, security: clientSecurityFactory(auth(RPC_C_AUTHN.WINNT, RPC_C_AUTHN_LEVEL.PKT_PRIVACY)) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as Error).message).toContain('bind_ack: no auth verifier');
    } finally {
      await plainAck.close();
    }
  });
});

/** A TCP proxy that reports the PTYPE of every PDU crossing it (one PDU per segment is enough here). */
async function tap(target: number, seen: (direction: 'in' | 'out', ptype: string) => void): Promise<{ port: number; close(): Promise<void> }> {
  const names = new Map<number, string>(Object.entries(PTYPE).map(([k, v]) => [v, k]));
  return scriptedServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: target });
    const watch = (direction: 'in' | 'out') => {
      let pending = Buffer.alloc(0);
      return (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 10 && pending.length >= pending.readUInt16LE(8)) {
          seen(direction, names.get(pending[2]) ?? String(pending[2]));
          pending = pending.subarray(pending.readUInt16LE(8));
        }
      };
    };
    const out = watch('out');
    const back = watch('in');
    client.on('data', (c: Buffer) => {
      out(c);
      upstream.write(c);
    });
    upstream.on('data', (c: Buffer) => {
      back(c);
      client.write(c);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.on('error', () => client.destroy());
  });
}

/** A server whose every received PDU goes to `on`, which may answer. */
function scripted(on: (pdu: Buffer, reply: (b: Buffer) => void) => void): Promise<{ port: number; close(): Promise<void> }> {
  return scriptedServer((socket) => socket.on('data', (c: Buffer) => on(c, (b) => socket.write(b))));
}

describe('closing', () => {
  // The Error of a routine close is made only when a call needs it (client/connection.ts): calls made
  // after the close still fail with it, as a transport error saying who closed.
  it("a call after the client's own close fails as closed, and the server's later close changes nothing", async () => {
    const connection = await RpcClientConnection.open(endpoint(server), LIMITS);
    await connection.bind(1, [context(ECHO)], 0);
    expect((await connection.call(2, 0, 0, Buffer.from('before'), 3000)).stub.toString()).toBe('before');
    connection.close();
    await connection.closed;
    expect(connection.alive).toBe(false);
    const after = await connection.call(3, 0, 0, Buffer.from('after'), 3000).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(RpcTransportError);
    expect(after).toMatchObject({ kind: 'closed', message: 'the client closed the connection' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await connection.call(4, 0, 0, Buffer.from('later'), 3000).catch((e: unknown) => e)).toBe(after);
  });
});
