// Public surface of wire/auth: NTLMv2 and SPNEGO for DCE/RPC, client and server roles.
// README.md beside this file says how the PDU layer plugs these in.
export { AuthError, type AuthErrorKind, SEC_E, RPC_FAULT } from './core/errors';
export { Secret, parseAccount, credentials, type Account, type Credentials } from './core/credentials';
export {
  type RpcSecurityContext,
  type ClientContextOptions,
  type ServerContextOptions,
  createClientSecurityContext,
  createServerSecurityContext,
} from './rpc/context';
export {
  RPC_C_AUTHN,
  RPC_C_AUTHN_LEVEL,
  AUTH_TYPE_NAMES,
  AUTH_LEVEL_NAMES,
  PTYPE,
  PFC,
  MAX_VERIFIER_OVERHEAD,
  NTLM_VERIFIER_LENGTH,
  SEC_TRAILER_LENGTH,
  type RpcAuthType,
  type RpcAuthLevel,
} from './rpc/constants';
export {
  readAuthVerifier,
  appendAuthVerifier,
  stripAuthVerifier,
  readCommonHeader,
  encodeSecTrailer,
  type SecTrailer,
  type AuthVerifier,
  type CommonHeader,
} from './rpc/pdu';
export { protectPdu, unprotectPdu, type VerifierParams } from './rpc/protect';
export type { Step } from './ntlm/mechanism';
