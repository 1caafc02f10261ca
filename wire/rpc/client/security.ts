// The client end of authenticated DCE/RPC: wire/auth's RpcSecurityContext (NTLMv2 raw or in
// SPNEGO) behind the ClientSecurity hooks of one RpcClientConnection. Each connection gets its own
// context, so its own handshake, keys, sequence numbers and auth_context_id.
import {
  AuthError,
  MAX_VERIFIER_OVERHEAD,
  RPC_C_AUTHN_LEVEL,
  createClientSecurityContext,
  type Credentials,
  type RpcAuthLevel,
  type RpcAuthType,
  type RpcSecurityContext,
} from '../../auth';
import type { BindAckPdu } from '../pdu';
import type { AuthVerifierSpec } from '../sec-trailer';
import type { ClientAuthLeg, ClientSecurity } from './connection';

export interface ClientAuthOptions {
  /** 9 (SPNEGO, falling back to NTLM: no Kerberos here) or 10 (raw NTLMSSP). */
  authType: RpcAuthType;
  /** 2 connect, 5 packet integrity, 6 packet privacy. */
  authLevel: RpcAuthLevel;
  credentials: Credentials;
  /**
   * MsvAvTargetName. Left out when connecting by address ([MS-CMRP] 2.1: a NULL principal name, which
   * makes SPNEGO fall back to NTLM); MSServerClusterMgmtAPI/<computer> when connecting by name.
   */
  targetName?: string;
}

/** The hooks of one connection around one security context. */
export function clientSecurity(context: RpcSecurityContext): ClientSecurity {
  const spec = (token: Buffer): AuthVerifierSpec => ({ ...context.trailer, authValue: token, alignTo: 4 });
  const tokenOf = (pdu: BindAckPdu, where: string): Buffer => {
    const auth = pdu.auth;
    if (!auth) throw new AuthError('malformed', where, 'no auth verifier: the server did not take part in the authentication');
    if (auth.authType !== context.authType) throw new AuthError('malformed', where, `auth_type ${auth.authType} differs from the bind's ${context.authType}`);
    return auth.authValue;
  };
  return {
    bindVerifier: () => {
      const first = context.next();
      if (!first.token) throw new AuthError('state', 'RPC client security context', 'no first token for the bind');
      return spec(first.token);
    },
    acceptBindAck: (ack): ClientAuthLeg | undefined => {
      const step = context.next(tokenOf(ack, 'bind_ack'));
      if (!step.token) {
        if (step.done) return undefined;
        throw new AuthError('malformed', 'bind_ack', 'the handshake stalled: no token to send and not finished');
      }
      // Raw NTLMSSP is done after its AUTHENTICATE_MESSAGE (auth3, no answer); SPNEGO needs one more round.
      return { pdu: step.done ? 'auth3' : 'alter_context', auth: spec(step.token) };
    },
    acceptAlterContextResp: (resp) => {
      const step = context.next(tokenOf(resp, 'alter_context_resp'));
      if (!step.done) throw new AuthError('malformed', 'alter_context_resp', 'the server asked for another round of SPNEGO');
    },
    verifierOverhead: context.authLevel === RPC_C_AUTHN_LEVEL.CONNECT ? 0 : MAX_VERIFIER_OVERHEAD,
    protect: (fragment) => context.protect(fragment),
    unprotect: (fragment) => context.unprotect(fragment),
  };
}

/** A fresh context per connection of an association, auth_context_id 0, 1, 2... in the order opened. */
export function clientSecurityFactory(options: ClientAuthOptions): () => ClientSecurity {
  let contextId = 0;
  return () =>
    clientSecurity(
      createClientSecurityContext({
        authType: options.authType,
        authLevel: options.authLevel,
        contextId: contextId++,
        credentials: options.credentials,
        ...(options.targetName !== undefined ? { targetName: options.targetName } : {}),
      }),
    );
}
