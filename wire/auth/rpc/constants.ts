// DCE/RPC numbers the auth glue needs (C706 12.6, [MS-RPCE] 2.2.1.1.7-8, 2.2.2.11). PTYPE, pfc_flags
// and the header and sec_trailer sizes are the PDU layer's (wire/rpc), re-exported here.

/** auth_type values ([MS-RPCE] 2.2.1.1.7). */
export const RPC_C_AUTHN = {
  NONE: 0,
  GSS_NEGOTIATE: 9,
  WINNT: 10,
  GSS_KERBEROS: 16,
} as const;
export type RpcAuthType = typeof RPC_C_AUTHN.GSS_NEGOTIATE | typeof RPC_C_AUTHN.WINNT;

/** auth_level values ([MS-RPCE] 2.2.1.1.8). */
export const RPC_C_AUTHN_LEVEL = {
  DEFAULT: 0,
  NONE: 1,
  CONNECT: 2,
  CALL: 3,
  PKT: 4,
  PKT_INTEGRITY: 5,
  PKT_PRIVACY: 6,
} as const;
export type RpcAuthLevel = typeof RPC_C_AUTHN_LEVEL.CONNECT | typeof RPC_C_AUTHN_LEVEL.PKT_INTEGRITY | typeof RPC_C_AUTHN_LEVEL.PKT_PRIVACY;

export const AUTH_TYPE_NAMES: Record<number, string> = { 0: 'none', 9: 'spnego', 10: 'ntlm', 16: 'kerberos' };
export const AUTH_LEVEL_NAMES: Record<number, string> = {
  0: 'default',
  1: 'none',
  2: 'connect',
  3: 'call',
  4: 'pkt',
  5: 'integrity',
  6: 'privacy',
};

/**
 * The PDU layer's own tables, not copies: PTYPE and pfc_flags (wire/rpc/constants.ts) and the
 * sec_trailer's size (wire/rpc/sec-trailer.ts, the one codec of the auth verifier).
 */
export { PTYPE, PFC, HEADER_SIZE as COMMON_HEADER_LENGTH } from '../../rpc/constants';
export { SEC_TRAILER_SIZE as SEC_TRAILER_LENGTH } from '../../rpc/sec-trailer';
import { SEC_TRAILER_SIZE as SEC_TRAILER_LENGTH } from '../../rpc/sec-trailer';

/** Length of the NTLM auth_value on request and response PDUs (an NTLMSSP_MESSAGE_SIGNATURE). */
export const NTLM_VERIFIER_LENGTH = 16;
/** Alignment of the sec_trailer relative to the start of a request/response body ([MS-RPCE] 2.2.2.11). */
export const STUB_PAD_ALIGNMENT = 16;
/**
 * The most a verifier adds to a request or response fragment: up to 15 pad octets, the sec_trailer
 * and the signature. A PDU layer cutting fragments to max_xmit_frag reserves this much.
 */
export const MAX_VERIFIER_OVERHEAD = STUB_PAD_ALIGNMENT - 1 + SEC_TRAILER_LENGTH + NTLM_VERIFIER_LENGTH;
