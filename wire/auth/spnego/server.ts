// SPNEGO acceptor (RFC 4178, [MS-SPNG] 3.2) that accepts NTLMSSP only. An optimistic NTLM token
// in the NegTokenInit is answered at once; when the client preferred another mechanism the server
// names NTLMSSP as supportedMech and waits for a NEGOTIATE_MESSAGE, and the mechListMIC becomes
// mandatory (RFC 4178 5). Kerberos tokens are never looked at.
import { AuthError } from '../core/errors';
import type { Account } from '../core/credentials';
import type { SecurityMechanism, Step } from '../ntlm/mechanism';
import { NtlmServer, type NtlmServerOptions } from '../ntlm/server';
import type { NtlmSession } from '../ntlm/session';
import { NegState, OID, decodeNegotiationToken, encodeNegTokenResp, type NegTokenResp } from './tokens';

export class SpnegoServerMechanism implements SecurityMechanism {
  private readonly ntlm: NtlmServer;
  private state: 'init' | 'negotiate' | 'authenticate' | 'done' = 'init';
  private mechTypesDer: Buffer = Buffer.alloc(0);
  private micRequired = false;
  session: NtlmSession | undefined;
  peer: Account | undefined;

  constructor(opts: NtlmServerOptions) {
    this.ntlm = new NtlmServer(opts);
  }

  private resp(token: Buffer | undefined, where: string): NegTokenResp {
    if (!token) throw new AuthError('malformed', where, 'expected a token from the client');
    const t = decodeNegotiationToken(token);
    if (t.kind !== 'resp') throw new AuthError('malformed', where, 'expected a NegTokenResp');
    return t.resp;
  }

  next(token?: Buffer): Step {
    const where = 'SPNEGO server';
    switch (this.state) {
      case 'init': {
        if (!token) throw new AuthError('malformed', where, 'expected a NegTokenInit from the client');
        const t = decodeNegotiationToken(token);
        if (t.kind !== 'init') throw new AuthError('malformed', where, 'the first token is not a NegTokenInit');
        const { mechTypes, mechToken } = t.init;
        if (!mechTypes.includes(OID.NTLMSSP)) {
          throw new AuthError('policy', where, `no common mechanism: the client offered ${mechTypes.join(', ') || 'none'}, this server only NTLMSSP`);
        }
        this.mechTypesDer = t.init.mechTypesDer;
        if (mechTypes[0] === OID.NTLMSSP && mechToken) {
          this.state = 'authenticate';
          const challenge = this.ntlm.challenge(mechToken);
          return { token: encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, supportedMech: OID.NTLMSSP, responseToken: challenge }), done: false };
        }
        // The optimistic token (if any) was for a mechanism we do not take: ask for NTLM instead.
        this.micRequired = true;
        this.state = 'negotiate';
        return { token: encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, supportedMech: OID.NTLMSSP }), done: false };
      }
      case 'negotiate': {
        const resp = this.resp(token, where);
        if (!resp.responseToken) throw new AuthError('malformed', where, 'NegTokenResp carries no NEGOTIATE_MESSAGE');
        this.state = 'authenticate';
        return { token: encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, responseToken: this.ntlm.challenge(resp.responseToken) }), done: false };
      }
      case 'authenticate': {
        const resp = this.resp(token, where);
        if (!resp.responseToken) throw new AuthError('malformed', where, 'NegTokenResp carries no AUTHENTICATE_MESSAGE');
        const result = this.ntlm.authenticate(resp.responseToken);
        const session = result.session;
        // [MS-SPNG] <8>: with an NTLM MIC in AUTHENTICATE_MESSAGE the mechListMIC is mandatory.
        if (!resp.mechListMIC && (result.micPresent || this.micRequired)) {
          throw new AuthError('logon-failure', where, 'the client sent no mechListMIC');
        }
        let mechListMIC: Buffer | undefined;
        if (resp.mechListMIC) {
          const mic = resp.mechListMIC;
          // [MS-SPNG] 3.2.5.1: verify and sign with the handles put back afterwards.
          session.withRestoredHandle('in', () => session.verify(this.mechTypesDer, mic, 'SPNEGO mechListMIC'));
          mechListMIC = session.withRestoredHandle('out', () => session.sign(this.mechTypesDer));
        }
        this.session = session;
        this.peer = result.peer;
        this.state = 'done';
        return { token: encodeNegTokenResp({ negState: NegState.ACCEPT_COMPLETED, mechListMIC }), done: true };
      }
      default:
        throw new AuthError('state', where, 'next() after the exchange finished');
    }
  }
}
