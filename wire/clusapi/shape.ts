// A method's wire shape as data: its [in] parameters, its [out] parameters and its return value,
// each with an NDR kind. One generic encoder/decoder (codec.ts) walks a shape, so adding a method is
// a line of methods.ts that reads like the IDL.

export type FieldKind =
  /** A context handle (20 bytes). */
  | 'handle'
  /** DWORD, unsigned long, error_status_t. */
  | 'dword'
  /** WORD (16 bits, 2-aligned). */
  | 'word'
  /** BOOL: 32 bits. */
  | 'bool'
  /** [in, string] LPCWSTR: a top-level [ref] pointer, so no referent id, just the string. */
  | 'wstring'
  /** [out, string] LPWSTR *: a [ref] pointer to a unique LPWSTR: referent id, then the string. */
  | 'uniqueWstring'
  /** [in] NOTIFY_FILTER_AND_TYPE_RPC, taken as two arguments (dwObjectType, FilterFlags). */
  | 'filterAndType'
  /** [out] PCLUSTER_OPERATIONAL_VERSION_INFO *: referent id, then the struct. */
  | 'opVerInfo'
  /** [out] PNOTIFICATION_RPC *Notifications followed by [out] DWORD *dwNumNotifications. */
  | 'notifications'
  /** [in, size_is(n)] const UCHAR *: a top-level [ref] pointer to a conformant byte array (hex in the contract). */
  | 'byteArray'
  /** [in, unique, size_is(n)] UCHAR *: NULL, or a referent id then a conformant byte array (hex; null for NULL). */
  | 'uniqueByteArray'
  /**
   * [out, size_is(nOutBufferSize), length_is(*lpBytesReturned)] UCHAR *: a top-level [ref] pointer to a
   * conformant varying byte array. Its max_count is the request's nOutBufferSize, which the reply record
   * carries as `nOutBufferSize` (decoded from the max_count; encoded from it, else the bytes' length).
   */
  | 'outBuffer'
  /** [in] PRPC_SECURITY_DESCRIPTOR: a [ref] pointer to the struct, its bytes deferred (hex in the contract). */
  | 'securityDescriptor'
  /**
   * [in, out] PRPC_SECURITY_DESCRIPTOR of ApiGetKeySecurity: in, the buffer offered (a number, its cbIn;
   * 0 is a NULL lpSecurityDescriptor); out, the descriptor (hex, null for NULL) and `cbInSecurityDescriptor`.
   */
  | 'securityDescriptorBuffer'
  /** [in, unique] PRPC_SECURITY_ATTRIBUTES: NULL, or the struct with its descriptor's bytes (hex; null for NULL). */
  | 'securityAttributes'
  /** [out] PENUM_LIST *: referent id, then the conformant ENUM_LIST with its names deferred. */
  | 'enumList';

export interface Field {
  kind: FieldKind;
  /** The IDL's name, or the contract's where they differ (types.ts says which). */
  name: string;
  /** [in] only: the value a missing argument takes (ApiGetNotify's version 2 Timeout: INFINITE; ApiDeleteGroup's force: 0, FALSE). */
  default?: number;
}

export interface Shape {
  ins: Field[];
  /** [out] parameters in IDL order; a handle-returning method's Status is named `status` here. */
  outs: Field[];
  /** The return value, marshalled after every [out] parameter. */
  ret: Field;
}

export const handle = (name: string): Field => ({ kind: 'handle', name });
export const dword = (name: string): Field => ({ kind: 'dword', name });
export const word = (name: string): Field => ({ kind: 'word', name });
export const bool = (name: string): Field => ({ kind: 'bool', name });
export const wstring = (name: string): Field => ({ kind: 'wstring', name });
export const uniqueWstring = (name: string): Field => ({ kind: 'uniqueWstring', name });

export const STATUS: Field = dword('status');
export const RPC_STATUS: Field = dword('rpc_status');
