// The serving end of authenticated DCE/RPC: a ServerSecurity that opens wire/auth's server
// contexts (NTLMv2 raw or in SPNEGO) for one account, and turns every failure into the answer
// [MS-RPCE] gives it: a bind_nak for a refused bind, a fault (access denied for a failed logon) for a
// refused alter_context or request. Log lines name fields and the user, never the password.
import { AuthError, MAX_VERIFIER_OVERHEAD, RPC_FAULT, createServerSecurityContext, type Credentials, type RpcAuthLevel } from '../../auth';
import { BIND_NAK_REASON } from '../constants';
import { RpcProtocolError } from '../errors';
import type { SecurityRefusal, ServerSecurity } from './app';

export interface ServerAuthOptions {
  /** The account that may log on. */
  account: Credentials;
  /** Further accounts that may log on (the client's user name says which). */
  accounts?: readonly Credentials[];
  /** Binds below this level are refused at once (default: every level is accepted, authorization is the application's). */
  minimumAuthLevel?: RpcAuthLevel;
  /** NetBIOS names the CHALLENGE_MESSAGE gives (MsvAvNbComputerName, MsvAvNbDomainName). */
  nbComputerName?: string;
  nbDomainName?: string;
}

export function serverSecurity(options: ServerAuthOptions): ServerSecurity {
  return {
    open: (verifier) =>
      createServerSecurityContext({
        trailer: verifier,
        account: options.account,
        ...(options.accounts ? { accounts: options.accounts } : {}),
        ...(options.minimumAuthLevel !== undefined ? { minimumAuthLevel: options.minimumAuthLevel } : {}),
        ...(options.nbComputerName !== undefined ? { nbComputerName: options.nbComputerName } : {}),
        nbDomainName: options.nbDomainName ?? options.account.domain,
      }),
    refusal: (error): SecurityRefusal => {
      if (error instanceof AuthError) {
        const unsupported = error.kind === 'policy' && /auth_type/.test(error.detail);
        return {
          rejectReason: unsupported ? BIND_NAK_REASON.authentication_type_not_recognized : BIND_NAK_REASON.reason_not_specified,
          fault: error.rpcFault,
          log: `${error.kind}: ${error.message}`,
        };
      }
      const message = error instanceof RpcProtocolError || error instanceof Error ? error.message : String(error);
      return { rejectReason: BIND_NAK_REASON.reason_not_specified, fault: RPC_FAULT.ACCESS_DENIED, log: message };
    },
    verifierOverhead: MAX_VERIFIER_OVERHEAD,
  };
}
