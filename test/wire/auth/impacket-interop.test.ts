// Interop with an independent NTLM implementation: python3-impacket (/usr/bin/python3). Both
// directions: impacket's client authenticates to our server role (and the session keys agree), and
// our client's AUTHENTICATE_MESSAGE and sealed PDUs are checked with impacket's primitives; sealed
// PDUs cross both ways. Skips, saying why, when impacket is not installed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  RPC_C_AUTHN,
  RPC_C_AUTHN_LEVEL,
  appendAuthVerifier,
  createServerSecurityContext,
  credentials,
  readAuthVerifier,
} from '../../../wire/auth';
import { NtlmClient } from '../../../wire/auth/ntlm/client';
import { NtlmServer } from '../../../wire/auth/ntlm/server';
import { decodeChallenge } from '../../../wire/auth/ntlm/messages';
import { decodeNegotiationToken, encodeInitialToken, encodeNegTokenResp, NegState, OID } from '../../../wire/auth/spnego/tokens';
import { encodeOid } from '../../../wire/auth/spnego/der';
import { protectPdu, unprotectPdu } from '../../../wire/auth/rpc/protect';
import { ACCOUNT, SAMPLE_PASSWORD, requestPdu, responsePdu } from './support';
import { scaled } from '../../support/time-scale';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'impacket_ntlm.py');

type Json = Record<string, unknown>;

function py(op: string, input: Json = {}, password = SAMPLE_PASSWORD): Json {
  const r = spawnSync(PYTHON, [SCRIPT], {
    input: JSON.stringify({ op, ...input }),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CMRP_PASSWORD: password },
    timeout: scaled(20000),
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`impacket helper ${op} exited ${r.status}: ${r.stderr.slice(-400)}`);
  return JSON.parse(r.stdout) as Json;
}

function impacketMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import impacket.ntlm, Cryptodome.Cipher.ARC4'], { timeout: scaled(20000), encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  if (r.status !== 0) return `python3-impacket is not installed for ${PYTHON} (apt-get install python3-impacket)`;
  return undefined;
}

const missing = impacketMissing();
const hex = (v: unknown): Buffer => Buffer.from(String(v), 'hex');
const account = () => credentials(ACCOUNT, SAMPLE_PASSWORD);

if (missing) {
  describe('NTLM interop with impacket', () => {
    it.skip(`skipped: ${missing}`, () => undefined);
  });
} else {
  describe('NTLM interop with impacket', () => {
    it("our server accepts impacket's AUTHENTICATE_MESSAGE and derives the same session key", () => {
      const server = new NtlmServer({ account: account(), integrity: true, confidentiality: true });
      const { type1 } = py('type1');
      const challenge = server.challenge(hex(type1));
      const t3 = py('type3', { type1, challenge: challenge.toString('hex'), user: ACCOUNT.user, domain: ACCOUNT.domain });
      const result = server.authenticate(hex(t3.type3));
      expect(result.exportedSessionKey.toString('hex')).toBe(t3.exportedSessionKey);
      expect(result.peer).toEqual(ACCOUNT);

      // A request sealed by impacket (client keys) unseals on our server; our sealed response
      // unseals and verifies in impacket (server keys).
      const flags = result.session.flags;
      const params = { authType: RPC_C_AUTHN.WINNT, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, contextId: 79231 };
      const req = requestPdu(Buffer.from('a stub sealed by impacket'), { callId: 5 });
      const template = appendAuthVerifier(req, { authType: 10, authLevel: 6, authContextId: 79231 }, Buffer.alloc(16), 16);
      const v = readAuthVerifier(template)!;
      const sealed = py('seal', {
        template: template.toString('hex'),
        bodyStart: 24,
        trailerOffset: v.trailerOffset,
        exportedSessionKey: t3.exportedSessionKey,
        flags,
        mode: 'Client',
        seq: 0,
      });
      expect(unprotectPdu(result.session, hex(sealed.pdu), params)).toEqual(req);

      const resp = responsePdu(Buffer.from('the response our server sealed'), 5);
      const out = protectPdu(result.session, resp, params);
      const checked = py('unseal', {
        pdu: out.toString('hex'),
        bodyStart: 24,
        trailerOffset: readAuthVerifier(out)!.trailerOffset,
        exportedSessionKey: t3.exportedSessionKey,
        flags,
        mode: 'Server',
        seq: 0,
      });
      expect(checked.signatureOk).toBe(true);
      expect(hex(checked.plain).subarray(24, 24 + 30).toString()).toBe('the response our server sealed');
    });

    it("our server refuses impacket's AUTHENTICATE_MESSAGE made with another password", () => {
      const server = createServerSecurityContext({ trailer: { authType: 10, authLevel: 6, authContextId: 0 }, account: account() });
      const { type1 } = py('type1');
      const challenge = server.next(hex(type1)).token!;
      const t3 = py('type3', { type1, challenge: challenge.toString('hex'), user: ACCOUNT.user, domain: ACCOUNT.domain }, 'a-wrong-password');
      expect(() => server.next(hex(t3.type3))).toThrow(/NTProofStr/);
    });

    it("impacket's primitives verify our client's AUTHENTICATE_MESSAGE, MIC and sealed PDU", () => {
      const c = py('challenge');
      const challenge = hex(c.challenge);
      expect(decodeChallenge(challenge).serverChallenge.toString('hex')).toBe(c.serverChallenge);
      const client = new NtlmClient({ credentials: account(), integrity: true, confidentiality: true, workstation: 'WS1' });
      const negotiate = client.negotiate();
      const { authenticate, session, micSent } = client.authenticate(challenge);
      expect(micSent).toBe(true);
      const verdict = py('verify_authenticate', {
        negotiate: negotiate.toString('hex'),
        challenge: c.challenge,
        authenticate: authenticate.toString('hex'),
        serverChallenge: c.serverChallenge,
      });
      expect(verdict).toMatchObject({ ntProofStrOk: true, micOk: true, user: ACCOUNT.user, domain: ACCOUNT.domain });

      const params = { authType: RPC_C_AUTHN.WINNT, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, contextId: 1 };
      const req = requestPdu(Buffer.from('our sealed request, checked by impacket'), { callId: 9 });
      const out = protectPdu(session, req, params);
      const checked = py('unseal', {
        pdu: out.toString('hex'),
        bodyStart: 24,
        trailerOffset: readAuthVerifier(out)!.trailerOffset,
        exportedSessionKey: verdict.exportedSessionKey,
        flags: session.flags,
        mode: 'Client',
        seq: 0,
      });
      expect(checked.signatureOk).toBe(true);

      // And impacket seals the answer with the server keys; our client unseals it.
      const resp = responsePdu(Buffer.from('an answer sealed by impacket'), 9);
      const template = appendAuthVerifier(resp, { authType: 10, authLevel: 6, authContextId: 1 }, Buffer.alloc(16), 16);
      const sealed = py('seal', {
        template: template.toString('hex'),
        bodyStart: 24,
        trailerOffset: readAuthVerifier(template)!.trailerOffset,
        exportedSessionKey: verdict.exportedSessionKey,
        flags: session.flags,
        mode: 'Server',
        seq: 0,
      });
      expect(unprotectPdu(session, hex(sealed.pdu), params)).toEqual(resp);
    });

    it("impacket's SPNEGO classes read our NegTokenInit and NegTokenResp, and we read theirs", () => {
      const negotiate = new NtlmClient({ credentials: account(), integrity: true, confidentiality: true }).negotiate();
      const challenge = Buffer.from('a CHALLENGE_MESSAGE stand-in');
      const r = py('spnego', {
        init: encodeInitialToken({ mechTypes: [OID.NTLMSSP], mechToken: negotiate }).toString('hex'),
        resp: encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, supportedMech: OID.NTLMSSP, responseToken: challenge }).toString('hex'),
        responseToken: challenge.toString('hex'),
      });
      const oidBody = encodeOid(OID.NTLMSSP).subarray(2).toString('hex');
      expect(r.ntlmOid).toBe(oidBody);
      expect(r.initMechTypes).toEqual([oidBody]);
      expect(r.initMechToken).toBe(negotiate.toString('hex'));
      expect(r).toMatchObject({ respNegState: '01', respSupportedMech: oidBody, respResponseToken: challenge.toString('hex') });
      expect(decodeNegotiationToken(hex(r.built))).toEqual({
        kind: 'resp',
        resp: { negState: NegState.ACCEPT_INCOMPLETE, supportedMech: OID.NTLMSSP, responseToken: challenge },
      });
    });
  });
}
