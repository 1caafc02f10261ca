// DCE/RPC numbers the auth glue needs (C706 12.6, [MS-RPCE] 2.2.1.1.7-8, 2.2.2.11).

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

/** PTYPE values (C706 12.6.4.2) the glue treats specially. */
export const PTYPE = {
  REQUEST: 0,
  RESPONSE: 2,
  FAULT: 3,
  BIND: 11,
  BIND_ACK: 12,
  BIND_NAK: 13,
  ALTER_CONTEXT: 14,
  ALTER_CONTEXT_RESP: 15,
  AUTH3: 16,
} as const;

/** pfc_flags bits (C706 12.6.3.1, [MS-RPCE] 2.2.2.3). */
export const PFC = {
  FIRST_FRAG: 0x01,
  LAST_FRAG: 0x02,
  SUPPORT_HEADER_SIGN: 0x04,
  OBJECT_UUID: 0x80,
} as const;

export const COMMON_HEADER_LENGTH = 16;
export const SEC_TRAILER_LENGTH = 8;
/** Length of the NTLM auth_value on request and response PDUs (an NTLMSSP_MESSAGE_SIGNATURE). */
export const NTLM_VERIFIER_LENGTH = 16;
/** Alignment of the sec_trailer relative to the start of a request/response body ([MS-RPCE] 2.2.2.11). */
export const STUB_PAD_ALIGNMENT = 16;
/**
 * The most a verifier adds to a request or response fragment: up to 15 pad octets, the sec_trailer
 * and the signature. A PDU layer cutting fragments to max_xmit_frag reserves this much.
 */
export const MAX_VERIFIER_OVERHEAD = STUB_PAD_ALIGNMENT - 1 + SEC_TRAILER_LENGTH + NTLM_VERIFIER_LENGTH;
