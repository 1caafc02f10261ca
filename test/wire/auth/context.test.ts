// The RPC security context end to end in memory: both roles, both auth types, every level;
// requests and responses through protect/unprotect; tampering, replay and policy failures.
import {
  AuthError,
  RPC_C_AUTHN,
  RPC_C_AUTHN_LEVEL,
  RPC_FAULT,
  appendAuthVerifier,
  readAuthVerifier,
  readCommonHeader,
  stripAuthVerifier,
  type RpcAuthLevel,
  type RpcAuthType,
} from '../../../wire/auth';
import { ACCOUNT, bindPdu, clientContext, handshake, requestPdu, responsePdu } from './support';

const TYPES: [string, RpcAuthType][] = [
  ['spnego', RPC_C_AUTHN.GSS_NEGOTIATE],
  ['ntlm', RPC_C_AUTHN.WINNT],
];
const LEVELS: [string, RpcAuthLevel][] = [
  ['connect', RPC_C_AUTHN_LEVEL.CONNECT],
  ['integrity', RPC_C_AUTHN_LEVEL.PKT_INTEGRITY],
  ['privacy', RPC_C_AUTHN_LEVEL.PKT_PRIVACY],
];

function caught(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AuthError) return e;
    throw e;
  }
  throw new Error('expected an AuthError');
}

describe.each(TYPES)('%s', (_name, authType) => {
  it('uses bind/bind_ack/auth3 for NTLMSSP and bind/bind_ack/alter_context for SPNEGO', () => {
    const { legs, client, server } = handshake(clientContext(authType, RPC_C_AUTHN_LEVEL.PKT_PRIVACY));
    expect(client.established && server.established).toBe(true);
    expect(legs).toEqual(
      authType === RPC_C_AUTHN.WINNT ? ['bind', 'bind_ack', 'auth3'] : ['bind', 'bind_ack', 'alter_context', 'alter_context_resp'],
    );
    expect(server.peer).toEqual(ACCOUNT);
  });

  describe.each(LEVELS)('at %s', (_level, authLevel) => {
    it('carries requests and responses both ways, many in a row, every stub length', () => {
      const { client, server } = handshake(clientContext(authType, authLevel));
      for (let n = 0; n < 40; n++) {
        const stub = Buffer.alloc(n * 7, n);
        const req = requestPdu(stub, { callId: n + 1 });
        const onWire = client.protect(req);
        if (authLevel >= RPC_C_AUTHN_LEVEL.PKT_INTEGRITY) {
          const h = readCommonHeader(onWire);
          expect(h.authLength).toBe(16);
          const v = readAuthVerifier(onWire)!;
          expect(v.trailer).toEqual({ authType, authLevel, authPadLength: (16 - (stub.length % 16)) % 16, authContextId: 7 });
          // The sec_trailer is 16-byte aligned from the start of the body ([MS-RPCE] 2.2.2.11).
          expect((v.trailerOffset - 24) % 16).toBe(0);
          if (authLevel === RPC_C_AUTHN_LEVEL.PKT_PRIVACY && stub.length > 8) {
            expect(onWire.subarray(24, 24 + stub.length).equals(stub)).toBe(false);
          }
        } else {
          expect(onWire).toEqual(req);
        }
        expect(server.unprotect(onWire)).toEqual(req);
        const resp = responsePdu(Buffer.alloc(n * 5 + 3, 0xee), n + 1);
        expect(client.unprotect(server.protect(resp))).toEqual(resp);
      }
    });
  });

  describe.each(LEVELS.slice(1))('verification at %s', (_level, authLevel) => {
    const setup = () => handshake(clientContext(authType, authLevel));

    it('refuses a changed header, body, trailer or signature byte', () => {
      // call_id, alloc_hint, opnum, body start, body middle, sec_trailer's reserved byte.
      for (const pos of [13, 17, 22, 24, 30, 24 + 32 + 3]) {
        const { client, server } = setup();
        const wire = client.protect(requestPdu(Buffer.from('0123456789abcdef0123'), {}));
        const bad = Buffer.from(wire);
        bad[pos] ^= 0x01;
        const e = caught(() => server.unprotect(bad));
        expect(['bad-signature', 'malformed', 'policy', 'out-of-sequence']).toContain(e.kind);
      }
      const { client, server } = setup();
      const wire = client.protect(requestPdu(Buffer.from('stub data')));
      const bad = Buffer.from(wire);
      bad[bad.length - 10] ^= 0x80; // a checksum byte
      const e = caught(() => server.unprotect(bad));
      expect(e.kind).toBe('bad-signature');
      expect(e.rpcFault).toBe(RPC_FAULT.SEC_PKG_ERROR);
      // Only the clear SeqNum field changed: the checksum still matches, the sequence does not.
      const fresh = setup();
      const seq = Buffer.from(fresh.client.protect(requestPdu(Buffer.from('stub data'))));
      seq[seq.length - 4] ^= 0x01;
      expect(caught(() => fresh.server.unprotect(seq)).kind).toBe('out-of-sequence');
    });

    it('refuses a replayed or reordered PDU', () => {
      const { client, server } = setup();
      const first = client.protect(requestPdu(Buffer.from('first')));
      const second = client.protect(requestPdu(Buffer.from('second'), { callId: 2 }));
      expect(caught(() => server.unprotect(second)).kind).toBe('bad-signature');
      const fresh = setup();
      const a = fresh.client.protect(requestPdu(Buffer.from('first')));
      fresh.server.unprotect(a);
      expect(caught(() => fresh.server.unprotect(a)).kind).toBe('bad-signature');
      void first;
    });

    it('refuses a PDU without verifier, at another level, or for another context id', () => {
      const { client, server } = setup();
      expect(caught(() => server.unprotect(requestPdu(Buffer.from('plain')))).kind).toBe('policy');
      const wire = client.protect(requestPdu(Buffer.from('x')));
      const v = readAuthVerifier(wire)!;
      const lower = Buffer.from(wire);
      lower[v.trailerOffset + 1] = RPC_C_AUTHN_LEVEL.CONNECT;
      expect(caught(() => server.unprotect(lower)).kind).toBe('policy');
      const other = Buffer.from(wire);
      other.writeUInt32LE(8, v.trailerOffset + 4);
      expect(caught(() => server.unprotect(other)).kind).toBe('malformed');
    });

    it('checks verifiers on big-endian PDUs and PDUs with an object UUID', () => {
      const { client, server } = setup();
      for (const o of [{ littleEndian: false }, { object: Buffer.alloc(16, 0xab) }]) {
        const req = requestPdu(Buffer.from('endianness and object'), o);
        expect(server.unprotect(client.protect(req))).toEqual(req);
      }
    });
  });

  it('refuses the wrong password, another user, and levels the server does not take', () => {
    const wrong = caught(() => handshake(clientContext(authType, RPC_C_AUTHN_LEVEL.PKT_PRIVACY), {}, 'other-password'));
    expect(wrong.kind).toBe('logon-failure');
    expect(wrong.rpcFault).toBe(RPC_FAULT.ACCESS_DENIED);
    const other = caught(() =>
      handshake(clientContext(authType, RPC_C_AUTHN_LEVEL.PKT_PRIVACY, { credentials: { ...ACCOUNT, user: 'intruder', password: { reveal: () => 'x' } as never } })),
    );
    expect(other.kind).toBe('logon-failure');
    const low = caught(() => handshake(clientContext(authType, RPC_C_AUTHN_LEVEL.PKT_INTEGRITY), { minimumAuthLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY }));
    expect(low.kind).toBe('policy');
    expect(low.rpcFault).toBe(RPC_FAULT.ACCESS_DENIED);
  });

  it('accepts the domain in any case and an empty domain (NIL UserDom)', () => {
    for (const domain of ['cluster', '']) {
      const ctx = clientContext(authType, RPC_C_AUTHN_LEVEL.PKT_PRIVACY, {
        credentials: { user: 'TESTER', domain, password: { reveal: () => 'S4mple-Pa55w0rd!' } as never },
      });
      const { server } = handshake(ctx);
      expect(server.peer).toEqual({ user: 'TESTER', domain });
    }
  });

  it('refuses protect() before the handshake and next() after it', () => {
    const c = clientContext(authType, RPC_C_AUTHN_LEVEL.PKT_PRIVACY);
    expect(caught(() => c.protect(requestPdu(Buffer.alloc(4)))).kind).toBe('state');
    const { client } = handshake(c);
    expect(caught(() => client.next(Buffer.alloc(4))).kind).toBe('state');
  });
});

describe('verifier placement on handshake PDUs', () => {
  it('appends, reads and strips a bind verifier, 4-byte aligned', () => {
    const bind = bindPdu();
    const token = Buffer.from('token bytes');
    const withAuth = appendAuthVerifier(bind, { authType: 9, authLevel: 6, authContextId: 3 }, token);
    const v = readAuthVerifier(withAuth)!;
    expect(v.trailer).toEqual({ authType: 9, authLevel: 6, authPadLength: 0, authContextId: 3 });
    expect(v.authValue).toEqual(token);
    expect(readCommonHeader(withAuth).authLength).toBe(token.length);
    expect(stripAuthVerifier(withAuth)).toEqual(bind);
    const odd = Buffer.concat([bind, Buffer.alloc(3)]);
    odd.writeUInt16LE(odd.length, 8);
    const padded = appendAuthVerifier(odd, { authType: 10, authLevel: 2, authContextId: 0 }, token);
    expect(readAuthVerifier(padded)!.trailer.authPadLength).toBe(1);
    expect(stripAuthVerifier(padded)).toEqual(odd);
  });
  it('refuses server contexts for Kerberos and for unsupported levels', () => {
    const { createServerSecurityContext, credentials } = jest.requireActual('../../../wire/auth');
    const account = credentials(ACCOUNT, 'x');
    expect(() => createServerSecurityContext({ trailer: { authType: 16, authLevel: 6, authContextId: 0 }, account })).toThrow(/kerberos/);
    expect(() => createServerSecurityContext({ trailer: { authType: 10, authLevel: 4, authContextId: 0 }, account })).toThrow(/auth_level 4/);
  });
});
