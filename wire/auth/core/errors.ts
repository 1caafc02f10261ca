// The errors this package throws. Their messages describe what went wrong in protocol terms (which
// field, which check) and never carry a secret: no password, no key, no hash, no token bytes. Only
// names the peer already sent in clear (user, domain) may appear, and only where they help a reader.

/** What kind of failure: decides how the RPC layer answers (see README.md, "Failures"). */
export type AuthErrorKind =
  /** A token, message or trailer does not parse (truncated, bad lengths, bad DER, bad signature field). */
  | 'malformed'
  /** The peer's security features are below what this side requires (no ESS, no 128-bit, no SEAL...). */
  | 'policy'
  /** The credentials did not prove the account: unknown user, wrong password, bad MIC. */
  | 'logon-failure'
  /** A protected PDU failed its integrity check (wrong checksum). */
  | 'bad-signature'
  /** A protected PDU carried an unexpected sequence number (replayed, reordered or dropped PDU). */
  | 'out-of-sequence'
  /** The caller used the context out of order (sign before the handshake finished, next() after done). */
  | 'state';

/** Security status codes ([MS-ERREF] 2.1) matching each kind, for logs and reports. */
export const SEC_E = {
  INVALID_TOKEN: 0x80090308,
  LOGON_DENIED: 0x8009030c,
  MESSAGE_ALTERED: 0x8009030f,
  OUT_OF_SEQUENCE: 0x80090310,
  UNSUPPORTED_FUNCTION: 0x80090302,
  INTERNAL_ERROR: 0x80090304,
} as const;

/**
 * RPC fault statuses a server can answer with ([MS-RPCE] / C706 appendix E): access denied for a
 * failed logon or a refused level, nca_s_fault_sec_pkg_error for a PDU that fails verification.
 */
export const RPC_FAULT = {
  ACCESS_DENIED: 0x00000005,
  SEC_PKG_ERROR: 0x00000721,
} as const;

const STATUS_OF: Record<AuthErrorKind, number> = {
  malformed: SEC_E.INVALID_TOKEN,
  policy: SEC_E.UNSUPPORTED_FUNCTION,
  'logon-failure': SEC_E.LOGON_DENIED,
  'bad-signature': SEC_E.MESSAGE_ALTERED,
  'out-of-sequence': SEC_E.OUT_OF_SEQUENCE,
  state: SEC_E.INTERNAL_ERROR,
};

const FAULT_OF: Record<AuthErrorKind, number> = {
  malformed: RPC_FAULT.SEC_PKG_ERROR,
  policy: RPC_FAULT.ACCESS_DENIED,
  'logon-failure': RPC_FAULT.ACCESS_DENIED,
  'bad-signature': RPC_FAULT.SEC_PKG_ERROR,
  'out-of-sequence': RPC_FAULT.SEC_PKG_ERROR,
  state: RPC_FAULT.SEC_PKG_ERROR,
};

export class AuthError extends Error {
  /** The [MS-ERREF] security status matching the kind. */
  readonly status: number;
  /** The fault status a server sends when this error ends a call or a bind. */
  readonly rpcFault: number;
  constructor(
    readonly kind: AuthErrorKind,
    /** Where: "NTLM CHALLENGE_MESSAGE", "SPNEGO NegTokenResp", "request PDU verifier"... */
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${where}: ${detail}`);
    this.name = 'AuthError';
    this.status = STATUS_OF[kind];
    this.rpcFault = FAULT_OF[kind];
  }
}

export function malformed(where: string, detail: string): AuthError {
  return new AuthError('malformed', where, detail);
}
