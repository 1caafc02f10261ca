// A security mechanism as the RPC layer drives it: tokens in, tokens out, and an NTLM session
// once the exchange is done. Raw NTLMSSP (auth type 10) is here; SPNEGO (auth type 9) wraps the
// same NTLM roles in spnego/.
import type { Account } from '../core/credentials';
import { AuthError } from '../core/errors';
import { NtlmClient, type NtlmClientOptions } from './client';
import { NtlmServer, type NtlmServerOptions } from './server';
import type { NtlmSession } from './session';

export interface Step {
  /** The token to send to the peer, if any. */
  token?: Buffer;
  /** True once this side's context is established (a client may still have a last token to send). */
  done: boolean;
}

export interface SecurityMechanism {
  next(token?: Buffer): Step;
  /** The session keys, once done. */
  readonly session: NtlmSession | undefined;
  /** Server side: who logged on, once done. */
  readonly peer: Account | undefined;
}

export class NtlmClientMechanism implements SecurityMechanism {
  private readonly ntlm: NtlmClient;
  private state: 'start' | 'challenge' | 'done' = 'start';
  session: NtlmSession | undefined;
  readonly peer = undefined;

  constructor(opts: NtlmClientOptions) {
    this.ntlm = new NtlmClient(opts);
  }

  next(token?: Buffer): Step {
    switch (this.state) {
      case 'start':
        if (token) throw new AuthError('state', 'NTLM client', 'the client speaks first; got a token before NEGOTIATE_MESSAGE');
        this.state = 'challenge';
        return { token: this.ntlm.negotiate(), done: false };
      case 'challenge': {
        if (!token) throw new AuthError('malformed', 'NTLM client', 'the server sent no CHALLENGE_MESSAGE');
        const { authenticate, session } = this.ntlm.authenticate(token);
        this.session = session;
        this.state = 'done';
        return { token: authenticate, done: true };
      }
      default:
        throw new AuthError('state', 'NTLM client', 'next() after the exchange finished');
    }
  }
}

export class NtlmServerMechanism implements SecurityMechanism {
  private readonly ntlm: NtlmServer;
  private state: 'negotiate' | 'authenticate' | 'done' = 'negotiate';
  session: NtlmSession | undefined;
  peer: Account | undefined;

  constructor(opts: NtlmServerOptions) {
    this.ntlm = new NtlmServer(opts);
  }

  next(token?: Buffer): Step {
    if (!token) throw new AuthError('malformed', 'NTLM server', 'expected a token from the client');
    switch (this.state) {
      case 'negotiate':
        this.state = 'authenticate';
        return { token: this.ntlm.challenge(token), done: false };
      case 'authenticate': {
        const result = this.ntlm.authenticate(token);
        this.session = result.session;
        this.peer = result.peer;
        this.state = 'done';
        return { done: true };
      }
      default:
        throw new AuthError('state', 'NTLM server', 'next() after the exchange finished');
    }
  }
}
