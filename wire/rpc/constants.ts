// Numbers fixed by the connection-oriented DCE/RPC protocol (C706 chapter 12) and the Windows
// extensions of [MS-RPCE] 2.2.2: PDU types, header flags, bind results, fault statuses, syntax ids.
// Names follow C706's own spelling so a trace reads like the standard.

/** rpc_vers / rpc_vers_minor of every connection-oriented PDU this code speaks (5.0). */
export const RPC_VERSION = 5;
export const RPC_VERSION_MINOR = 0;

/** The 16-byte common header (C706 12.6.3.1). */
export const HEADER_SIZE = 16;

export const PTYPE = {
  request: 0,
  response: 2,
  fault: 3,
  bind: 11,
  bind_ack: 12,
  bind_nak: 13,
  alter_context: 14,
  alter_context_resp: 15,
  /** [MS-RPCE] 2.2.2.10 rpc_auth_3: the third leg of a three-leg authentication (NTLM). */
  auth3: 16,
  shutdown: 17,
  co_cancel: 18,
  orphaned: 19,
} as const;

export type PtypeName = keyof typeof PTYPE;

const PTYPE_NAMES = new Map<number, PtypeName>((Object.entries(PTYPE) as [PtypeName, number][]).map(([k, v]) => [v, k]));

/** The name of a PTYPE value, or its number for the connectionless and unknown ones. */
export function ptypeName(ptype: number): string {
  return PTYPE_NAMES.get(ptype) ?? `PTYPE ${ptype}`;
}

export function isKnownPtype(ptype: number): ptype is (typeof PTYPE)[PtypeName] {
  return PTYPE_NAMES.has(ptype);
}

/** pfc_flags (C706 12.6.3.1; [MS-RPCE] 2.2.2.3 reuses 0x04 in bind PDUs for header signing). */
export const PFC = {
  FIRST_FRAG: 0x01,
  LAST_FRAG: 0x02,
  PENDING_CANCEL: 0x04,
  SUPPORT_HEADER_SIGN: 0x04,
  CONC_MPX: 0x10,
  DID_NOT_EXECUTE: 0x20,
  MAYBE: 0x40,
  OBJECT_UUID: 0x80,
} as const;

/**
 * The data representation label (NDR format label, C706 14.2.5): little-endian integers, ASCII
 * characters, IEEE floats. The only one this code sends; a big-endian peer is refused.
 */
export const DREP_LITTLE_ENDIAN = Buffer.from([0x10, 0x00, 0x00, 0x00]);

/**
 * Fragment sizes. Every implementation MUST accept fragments of 1432 bytes (C706 12.6.4.1,
 * MustRecvFragSize); 4280 is what Windows and Samba offer; frag_length is 16 bits.
 */
export const MUST_RECV_FRAG_SIZE = 1432;
export const DEFAULT_MAX_FRAG = 4280;
export const MAX_FRAG_LIMIT = 0xffff;

/** p_cont_def_result_t (C706 12.6.3.1; negotiate_ack from [MS-RPCE] 2.2.2.4). */
export const RESULT = {
  acceptance: 0,
  user_rejection: 1,
  provider_rejection: 2,
  negotiate_ack: 3,
} as const;

/** p_provider_reason_t: why a presentation context was rejected. */
export const PROVIDER_REASON = {
  reason_not_specified: 0,
  abstract_syntax_not_supported: 1,
  proposed_transfer_syntaxes_not_supported: 2,
  local_limit_exceeded: 3,
} as const;

/** p_reject_reason_t of bind_nak (C706 12.6.3.1; 8 and 9 from [MS-RPCE] 2.2.2.5). */
export const BIND_NAK_REASON = {
  reason_not_specified: 0,
  temporary_congestion: 1,
  local_limit_exceeded: 2,
  called_paddr_unknown: 3,
  protocol_version_not_supported: 4,
  default_context_not_supported: 5,
  user_data_not_readable: 6,
  no_psap_available: 7,
  authentication_type_not_recognized: 8,
  invalid_checksum: 9,
} as const;

/** Fault statuses (C706 appendix E, [MS-RPCE] 2.2.2.9 / 3.3.1.5.x) this code sends or names. */
export const FAULT = {
  nca_s_fault_context_mismatch: 0x1c00001a,
  nca_s_op_rng_error: 0x1c010002,
  nca_s_unk_if: 0x1c010003,
  nca_s_proto_error: 0x1c01000b,
  nca_s_fault_remote_no_memory: 0x1c000024,
  /** RPC_X_BAD_STUB_DATA: the stub could not be unmarshalled (Windows' value for nca_s_fault_ndr). */
  rpc_x_bad_stub_data: 0x000006f7,
  /** RPC_S_CALL_FAILED: the server failed the call (its connection to the cluster is gone). */
  rpc_s_call_failed: 0x000006be,
  /** nca_s_fault_access_denied / ERROR_ACCESS_DENIED as a fault. */
  rpc_s_access_denied: 0x00000005,
} as const;

const FAULT_NAMES = new Map<number, string>(Object.entries(FAULT).map(([k, v]) => [v, k]));

export function faultName(status: number): string {
  const hex = `0x${(status >>> 0).toString(16).padStart(8, '0')}`;
  const name = FAULT_NAMES.get(status >>> 0);
  return name ? `${name} (${hex})` : hex;
}

/** A presentation syntax: interface or transfer syntax UUID and version (p_syntax_id_t). */
export interface SyntaxId {
  uuid: string;
  major: number;
  minor: number;
}

/** NDR 2.0, the transfer syntax of [MS-CMRP] (C706 14). */
export const NDR20: SyntaxId = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', major: 2, minor: 0 };
/** NDR64 ([MS-RPCE] 2.2.5): offered by some clients, never accepted here. */
export const NDR64: SyntaxId = { uuid: '71710533-beba-4937-8319-b5dbef9ccc36', major: 1, minor: 0 };
/**
 * Bind time feature negotiation ([MS-RPCE] 3.3.1.5.3): a transfer syntax whose UUID starts with
 * 6cb71c2c-9812-4540 and whose last 8 bytes carry the feature bitmask.
 */
export const BIND_TIME_FEATURE_PREFIX = '6cb71c2c-9812-4540-';

/** The endpoint mapper interface (C706 appendix O / [MS-RPCE] 2.2.1.2.5), on port 135. */
export const EPM_INTERFACE: SyntaxId = { uuid: 'e1af8308-5d1f-11c9-91a4-08002b14a0fa', major: 3, minor: 0 };
export const EPM_PORT = 135;

/** auth_type values of the sec_trailer ([MS-RPCE] 2.2.1.1.7). */
export const AUTH_TYPE = { none: 0, spnego: 9, ntlmssp: 10, kerberos: 16 } as const;
/** auth_level values ([MS-RPCE] 2.2.1.1.8). */
export const AUTH_LEVEL = { default: 0, none: 1, connect: 2, call: 3, pkt: 4, pkt_integrity: 5, pkt_privacy: 6 } as const;
