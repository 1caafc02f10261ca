// SPNEGO initiator (RFC 4178, [MS-SPNG] 3.3) offering NTLMSSP only, never Kerberos. Three legs:
// NegTokenInit carrying NEGOTIATE_MESSAGE; NegTokenResp in with CHALLENGE_MESSAGE, out with
// AUTHENTICATE_MESSAGE and our mechListMIC; NegTokenResp in with accept-completed and the server's
// mechListMIC, which is checked when present.
import { AuthError } from '../core/errors';
import type { SecurityMechanism, Step } from '../ntlm/mechanism';
import { NtlmClient, type NtlmClientOptions } from '../ntlm/client';
import type { NtlmSession } from '../ntlm/session';
import { NegState, OID, decodeNegotiationToken, encodeInitialToken, encodeMechTypes, encodeNegTokenResp, type NegTokenResp } from './tokens';

const MECH_TYPES = [OID.NTLMSSP];

function expectResp(token: Buffer | undefined, where: string): NegTokenResp {
  if (!token) throw new AuthError('malformed', where, 'the server sent no token');
  const t = decodeNegotiationToken(token);
  if (t.kind !== 'resp') throw new AuthError('malformed', where, 'expected a NegTokenResp');
  if (t.resp.negState === NegState.REJECT) throw new AuthError('logon-failure', where, 'the server rejected the negotiation (negState reject)');
  return t.resp;
}

export class SpnegoClientMechanism implements SecurityMechanism {
  private readonly ntlm: NtlmClient;
  private readonly mechTypesDer = encodeMechTypes(MECH_TYPES);
  private state: 'start' | 'challenge' | 'final' | 'done' = 'start';
  session: NtlmSession | undefined;
  readonly peer = undefined;

  constructor(opts: NtlmClientOptions) {
    this.ntlm = new NtlmClient(opts);
  }

  next(token?: Buffer): Step {
    const where = 'SPNEGO client';
    switch (this.state) {
      case 'start':
        if (token) throw new AuthError('state', where, 'the client speaks first; got a token before NegTokenInit');
        this.state = 'challenge';
        return { token: encodeInitialToken({ mechTypes: MECH_TYPES, mechToken: this.ntlm.negotiate() }), done: false };
      case 'challenge': {
        const resp = expectResp(token, where);
        if (resp.supportedMech !== undefined && resp.supportedMech !== OID.NTLMSSP) {
          throw new AuthError('policy', where, `the server chose mechanism ${resp.supportedMech}; only NTLMSSP was offered`);
        }
        if (!resp.responseToken) throw new AuthError('malformed', where, 'NegTokenResp carries no CHALLENGE_MESSAGE');
        const { authenticate, session } = this.ntlm.authenticate(resp.responseToken);
        this.session = session;
        // [MS-SPNG] 3.3.5.1: the mechListMIC and the first signed message share the RC4 state.
        const mechListMIC = session.withRestoredHandle('out', () => session.sign(this.mechTypesDer));
        this.state = 'final';
        return { token: encodeNegTokenResp({ responseToken: authenticate, mechListMIC }), done: false };
      }
      case 'final': {
        const resp = expectResp(token, where);
        if (resp.negState !== NegState.ACCEPT_COMPLETED) {
          throw new AuthError('malformed', where, `expected negState accept-completed, got ${resp.negState ?? 'none'}`);
        }
        // Servers before Windows Vista send no mechListMIC ([MS-SPNG] <8>); one that is sent must verify.
        const session = this.session!;
        if (resp.mechListMIC) {
          const mic = resp.mechListMIC;
          session.withRestoredHandle('in', () => session.verify(this.mechTypesDer, mic, 'SPNEGO mechListMIC'));
        }
        this.state = 'done';
        return { done: true };
      }
      default:
        throw new AuthError('state', where, 'next() after the exchange finished');
    }
  }
}
