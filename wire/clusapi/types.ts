// The codec interface the DCE/RPC layer (wire/rpc/) codes against: one MethodCodec per clusapi
// method, turning the target contract's positional arguments into an NDR20 request stub and a
// response stub into the contract's reply record, and the reverse for the served reference.
import type { MethodName, NotificationV2 } from '../../cmrp/contract';

export type ProtocolVersion = 2 | 3;

/**
 * Every method the wire speaks: the target contract's methods plus the two an external client
 * (Failover Cluster Manager, smbtorture) calls before anything else.
 */
export type WireMethodName = MethodName | 'ApiGetClusterVersion2';

/** A decoded reply: the method's [out] parameters by their IDL names, and `status`. */
export type ReplyRecord = Record<string, unknown> & { status: number };

/**
 * Values, by IDL type:
 * - context handle: 40 lowercase hex digits (the 20 wire bytes: attributes + uuid); a NULL handle
 *   (20 zero bytes) reads as null, and null encodes as one.
 * - DWORD, WORD, error_status_t: unsigned numbers; LONGLONG: bigint; BOOL: boolean (any non-zero
 *   value reads as true; true encodes as 1).
 * - [string] LPWSTR: string; a NULL [unique] string pointer reads as null, and null encodes as one.
 *
 * Arguments are the contract's parameters in the contract's (= the IDL's) order, with two
 * deliberate flattenings: ApiAddNotifyV2's NOTIFY_FILTER_AND_TYPE_RPC `filter` is passed as
 * (dwObjectType, FilterFlags), as in the contract; and ApiGetNotify's `Timeout` exists in protocol
 * version 2 only (a missing one encodes as INFINITE, 0xFFFFFFFF; in version 3 it is ignored).
 *
 * Replies: `status` is the return value, or the `Status` / `rpc_error` [out] parameter of a method
 * that returns a context handle (the handle itself is then named as in the contract: hCluster,
 * hNode, hGroup, hResource, hNetwork, hNetInterface, hKey, phKey, hNotify). The version 3
 * `rpc_status` [out] is a field of its own. The [in, out] handle of the close methods comes back
 * under the IDL's name (Cluster, Node, Group, Resource, Network, NetInterface, pKey) except for
 * ApiCloseNotify, whose field is `hNotify` in both versions (the contract's name).
 * encodeResponse fills an [out] parameter the reply lacks with 0 / null / NULL handle, and
 * `rpc_status` with 0, so a server can answer an error with `{ status }` alone.
 */
export interface MethodCodec {
  readonly name: WireMethodName;
  readonly opnum: number;
  /** Protocol versions whose IDL has this method (the version 2 notification ports: 3 only). */
  readonly versions: readonly ProtocolVersion[];
  /** Client: the [in] parameters, positional, to a request stub. */
  encodeRequest(version: ProtocolVersion, args: unknown[]): Buffer;
  /** Client: a response stub to the reply record. Throws NdrError when the stub is malformed. */
  decodeResponse(version: ProtocolVersion, stub: Buffer): ReplyRecord;
  /** Server: a request stub to the [in] parameters, positional. Throws NdrError when malformed. */
  decodeRequest(version: ProtocolVersion, stub: Buffer): unknown[];
  /** Server: the reply record to a response stub. */
  encodeResponse(version: ProtocolVersion, reply: ReplyRecord): Buffer;
  /** The names of the positional arguments, as encodeRequest takes and decodeRequest returns them. */
  argNames(version: ProtocolVersion): readonly string[];
  /** The reply record's field names in wire order (the return value last). */
  replyNames(version: ProtocolVersion): readonly string[];
}

/** One NOTIFICATION_RPC ([MS-CMRP] 2.2.3.24) as ApiGetNotifyV2 returns it: the contract's own form. */
export type NotificationRpc = NotificationV2;

/** CLUSTER_OPERATIONAL_VERSION_INFO ([MS-CMRP] 2.2.3.3). */
export interface ClusterOperationalVersionInfo {
  dwSize: number;
  dwClusterHighestVersion: number;
  dwClusterLowestVersion: number;
  dwFlags: number;
  dwReserved: number;
}
