// SPNEGO tokens: the [MS-SPNG] section 4 example NegTokenInit2, our own tokens both ways, the
// "other mechanism first" path, and mechListMIC enforcement.
import { decodeNegotiationToken, encodeInitialToken, encodeNegTokenResp, NegState, OID } from '../../../wire/auth/spnego/tokens';
import { decodeOid, encodeOid } from '../../../wire/auth/spnego/der';
import { AuthError, RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, createServerSecurityContext, credentials } from '../../../wire/auth';
import { NtlmClient } from '../../../wire/auth/ntlm/client';
import { ACCOUNT, SAMPLE_PASSWORD, clientContext, handshake } from './support';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// [MS-SPNG] 4: a NegTokenInit2 offering NEGOEX and NTLM, with a NEGOEX optimistic token and negHints.
const MS_SPNG_EXAMPLE = hex(`
60 82 01 5d 06 06 2b 06 01 05 05 02 a0 82 01 51 30 82 01 4d a0 1a 30 18 06 0a 2b 06 01 04 01 82
37 02 02 1e 06 0a 2b 06 01 04 01 82 37 02 02 0a a2 82 01 01 04 81 fe 4e 45 47 4f 45 58 54 53 01
00 00 00 00 00 00 00 60 00 00 00 70 00 00 00 cf fa 11 76 5e 12 59 9a 34 7d 76 68 52 bf ce 70 97
45 87 10 bb 82 42 b4 c7 df ba d2 da 89 7a a3 11 a7 d8 68 46 34 30 95 25 62 dc 13 c5 54 f2 01 00
00 00 00 00 00 00 00 60 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 5c 33 53 0d ea f9 0d 4d b2
ec 4a e3 78 6e c3 08 4e 45 47 4f 45 58 54 53 03 00 00 00 01 00 00 00 40 00 00 00 8e 00 00 00 cf
fa 11 76 5e 12 59 9a 34 7d 76 68 52 bf ce 70 5c 33 53 0d ea f9 0d 4d b2 ec 4a e3 78 6e c3 08 40
00 00 00 4e 00 00 00 30 4c a0 4a 30 48 30 2a 80 28 30 26 31 24 30 22 06 03 55 04 03 13 1b 58 4d
4c 50 72 6f 76 69 64 65 72 20 49 6e 74 65 72 6d 65 64 69 61 74 65 20 43 41 30 1a 80 18 30 16 31
14 30 12 06 03 55 04 03 13 0b 58 4d 4c 50 72 6f 76 69 64 65 72 a3 2a 30 28 a0 26 1b 24 6e 6f 74
5f 64 65 66 69 6e 65 64 5f 69 6e 5f 52 46 43 34 31 37 38 40 70 6c 65 61 73 65 5f 69 67 6e 6f 72
65`);

function serverContext() {
  return createServerSecurityContext({
    trailer: { authType: RPC_C_AUTHN.GSS_NEGOTIATE, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, authContextId: 0 },
    account: credentials(ACCOUNT, SAMPLE_PASSWORD),
  });
}

describe('SPNEGO tokens', () => {
  it('decodes the [MS-SPNG] 4 example NegTokenInit2', () => {
    expect(MS_SPNG_EXAMPLE.length).toBe(0x161);
    const t = decodeNegotiationToken(MS_SPNG_EXAMPLE);
    if (t.kind !== 'init') throw new Error('not an init');
    expect(t.init.mechTypes).toEqual(['1.3.6.1.4.1.311.2.2.30', OID.NTLMSSP]);
    expect(t.init.mechToken!.length).toBe(0xfe);
    expect(t.init.mechToken!.subarray(0, 8).toString('latin1')).toBe('NEGOEXTS');
    expect(t.init.mechListMIC).toBeUndefined(); // [3] is negHints here, not a MIC
    expect(t.init.mechTypesDer).toEqual(MS_SPNG_EXAMPLE.subarray(0x16, 0x16 + 0x1a));
  });

  it('answers that example by naming NTLMSSP, ignoring the NEGOEX token', () => {
    const reply = serverContext().next(MS_SPNG_EXAMPLE);
    const t = decodeNegotiationToken(reply.token!);
    expect(t).toEqual({ kind: 'resp', resp: { negState: NegState.ACCEPT_INCOMPLETE, supportedMech: OID.NTLMSSP } });
  });

  it('encodes OIDs as DER and back', () => {
    expect(encodeOid(OID.NTLMSSP).toString('hex')).toBe('060a2b0601040182370202' + '0a');
    expect(encodeOid(OID.SPNEGO).toString('hex')).toBe('06062b0601050502');
    for (const oid of [OID.NTLMSSP, OID.SPNEGO, '1.2.840.113554.1.2.2', '2.999.1']) expect(decodeOid(encodeOid(oid).subarray(2), 'test')).toBe(oid);
    // Encoded once and kept (der.ts): the second time gives the same bytes, and a bad OID still throws.
    expect(encodeOid(OID.NTLMSSP).toString('hex')).toBe('060a2b0601040182370202' + '0a');
    expect(() => encodeOid('1')).toThrow(RangeError);
    expect(() => encodeOid('1')).toThrow(RangeError);
  });

  it('round-trips NegTokenInit and NegTokenResp, long lengths included', () => {
    const big = Buffer.alloc(300, 7);
    const init = decodeNegotiationToken(encodeInitialToken({ mechTypes: [OID.NTLMSSP], mechToken: big, mechListMIC: Buffer.alloc(16, 1) }));
    expect(init).toMatchObject({ kind: 'init', init: { mechTypes: [OID.NTLMSSP], mechToken: big, mechListMIC: Buffer.alloc(16, 1) } });
    const resp = { negState: NegState.ACCEPT_COMPLETED, supportedMech: OID.NTLMSSP, responseToken: big, mechListMIC: Buffer.alloc(16, 2) };
    expect(decodeNegotiationToken(encodeNegTokenResp(resp))).toEqual({ kind: 'resp', resp });
  });

  it('takes the client through NEGOTIATE in a NegTokenResp when NTLM was not its first choice', () => {
    const server = serverContext();
    const ntlm = new NtlmClient({ credentials: credentials(ACCOUNT, SAMPLE_PASSWORD), integrity: true, confidentiality: true });
    const first = server.next(encodeInitialToken({ mechTypes: ['1.2.840.113554.1.2.2', OID.NTLMSSP], mechToken: Buffer.from('kerberos AP-REQ stand-in') }));
    expect(decodeNegotiationToken(first.token!)).toMatchObject({ kind: 'resp', resp: { supportedMech: OID.NTLMSSP } });
    const second = server.next(encodeNegTokenResp({ responseToken: ntlm.negotiate() }));
    const challenge = (decodeNegotiationToken(second.token!) as { resp: { responseToken: Buffer } }).resp.responseToken;
    const { authenticate } = ntlm.authenticate(challenge);
    // The mechListMIC is now mandatory.
    expect(() => server.next(encodeNegTokenResp({ responseToken: authenticate }))).toThrow(/mechListMIC/);
  });

  it('refuses a client offering no NTLMSSP, and a bad mechListMIC', () => {
    expect(() => serverContext().next(encodeInitialToken({ mechTypes: ['1.2.840.113554.1.2.2'], mechToken: Buffer.alloc(4) }))).toThrow(
      /no common mechanism/,
    );
    const client = clientContext(RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN_LEVEL.PKT_PRIVACY);
    const server = serverContext();
    const b = server.next(client.next().token);
    const third = decodeNegotiationToken(client.next(b.token).token!) as { resp: { responseToken: Buffer; mechListMIC: Buffer } };
    third.resp.mechListMIC[6] ^= 1;
    const e = (() => {
      try {
        server.next(encodeNegTokenResp(third.resp));
      } catch (err) {
        return err as AuthError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(AuthError);
    expect(e!.where).toBe('SPNEGO mechListMIC');
  });

  it('the client refuses a server whose final mechListMIC does not verify, or that rejects', () => {
    const client = clientContext(RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN_LEVEL.PKT_PRIVACY);
    const server = serverContext();
    const b = server.next(client.next().token);
    const c = server.next(client.next(b.token).token);
    const fin = decodeNegotiationToken(c.token!) as { resp: { negState: number; mechListMIC: Buffer } };
    fin.resp.mechListMIC[5] ^= 1;
    expect(() => client.next(encodeNegTokenResp(fin.resp))).toThrow(AuthError);
    const other = clientContext(RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN_LEVEL.PKT_PRIVACY);
    other.next();
    expect(() => other.next(encodeNegTokenResp({ negState: NegState.REJECT }))).toThrow(/rejected/);
  });

  it('after the mechListMICs, both ends agree on the first application PDU', () => {
    const { client, server, legs } = handshake(clientContext(RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN_LEVEL.PKT_INTEGRITY));
    expect(legs).toContain('alter_context_resp');
    const { requestPdu } = jest.requireActual('./support');
    const req = requestPdu(Buffer.from('first call'));
    expect(server.unprotect(client.protect(req))).toEqual(req);
  });
});
