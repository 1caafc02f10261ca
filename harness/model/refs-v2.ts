// The clauses the oracle model's version 2 port predictions embody (protocol version 3 only:
// 3.1.4.2.136-138, the version 2 rows of 3.1.1.8, 3.1.4.2.57 and .107). Named, never numbered, as
// refs.ts does for version 1 ports; test/property/model.test.ts proves each resolves.
import { CLUSTER_OBJECT_TYPE as OT } from '../../cmrp/constants';
import { ref, type ClauseRef } from './clauses';

export const CREATE2 = {
  creates: ref('3.1.4.2.136: creates a v2 port bound to the calling connection'),
  queue: ref('3.1.4.2.136: port gets a queue for indications'),
  nothingBeforeFilter: ref('3.1.4.2.136: nothing queued before the first filter'),
  success: ref('3.1.4.2.136: ERROR_SUCCESS on success'),
  handle: ref('3.1.4.2.136: valid handle returned on success'),
} as const;

export const ADD2 = {
  registers: ref('3.1.4.2.137: registers a filter on a v2 port'),
  severalTypes: ref('3.1.4.2.137: several event types in one registration'),
  rootKey: ref('3.1.4.2.137: registry registrations watch the root key'),
  subtree: ref('3.1.4.2.137: REGISTRY_SUBTREE_V2 widens the scope'),
  below: ref('3.1.4.2.137: changes below the key are reported'),
  key: ref("3.1.4.2.137: dwNotifyKey returned with the object's events"),
  untargeted: ref('3.1.4.2.137: untargeted registration takes a cluster handle'),
  success: ref('3.1.4.2.137: ERROR_SUCCESS on success'),
  badNotify: ref('3.1.4.2.137: invalid hNotify gives ERROR_INVALID_HANDLE'),
  badObject: ref('3.1.4.2.137: invalid hObject gives ERROR_INVALID_HANDLE'),
  badFlags: ref('3.1.4.2.137: invalid filter flags give ERROR_INVALID_PARAMETER'),
  badType: ref('3.1.4.2.137: invalid object type gives ERROR_INVALID_PARAMETER'),
  badVersion: ref('3.1.4.2.137: invalid dwVersion gives ERROR_INVALID_PARAMETER'),
} as const;

export const GET2 = {
  returns: ref('3.1.4.2.138: returns the queued events of a v2 port'),
  blocks: ref('3.1.4.2.138: blocks until an indication or a close'),
  onlyRegistered: ref('3.1.4.2.138: only registered event types returned'),
  clientOnly: ref('3.1.4.2.138: client-only V2 flags never returned'),
  batch: ref('3.1.4.2.138: batch holds events since the previous call'),
  key: ref("3.1.4.2.138: dwNotifyKey is the matching registration's key"),
  data: ref('3.1.4.2.138: each entry carries NOTIFICATION_DATA_RPC'),
  success: ref('3.1.4.2.138: ERROR_SUCCESS on success'),
  badNotify: ref('3.1.4.2.138: invalid hNotify gives ERROR_INVALID_HANDLE'),
  released: ref('3.1.4.2.138: unblock or close elsewhere gives ERROR_INVALID_FUNCTION'),
  readAccess: ref('3.1.4.2.138: requires access level Read'),
} as const;

/** The per-type table of 3.1.4.2.138 each object type's events are laid out by (shared volumes have no stimulus). */
export const TABLE: Readonly<Record<number, ClauseRef>> = {
  [OT.CLUSTER]: ref('3.1.4.2.138: cluster events fill NOTIFICATION_DATA_RPC per table'),
  [OT.GROUP]: ref('3.1.4.2.138: group events fill NOTIFICATION_DATA_RPC per table'),
  [OT.RESOURCE]: ref('3.1.4.2.138: resource events fill NOTIFICATION_DATA_RPC per table'),
  [OT.RESOURCE_TYPE]: ref('3.1.4.2.138: resource type events fill NOTIFICATION_DATA_RPC per table'),
  [OT.NETWORK_INTERFACE]: ref('3.1.4.2.138: net interface events fill NOTIFICATION_DATA_RPC per table'),
  [OT.NETWORK]: ref('3.1.4.2.138: network events fill NOTIFICATION_DATA_RPC per table'),
  [OT.NODE]: ref('3.1.4.2.138: node events fill NOTIFICATION_DATA_RPC per table'),
  [OT.REGISTRY]: ref('3.1.4.2.138: registry events fill NOTIFICATION_DATA_RPC per table'),
  [OT.QUORUM]: ref('3.1.4.2.138: quorum events fill NOTIFICATION_DATA_RPC per table'),
};

export const PORT2 = {
  version: ref('3.1.1.8: port version is set by the creating method'),
  objectType: ref('3.1.1.8: v2 indication carries the object type'),
  perTypeValue: ref('3.1.1.8: v2 indication carries a per-type event value'),
  name: ref("3.1.1.8: v2 indication carries the object's name"),
  id: ref("3.1.1.8: v2 indication carries the object's ID"),
  buffer: ref('3.1.1.8: v2 indication carries a type-specific buffer'),
  context: ref("3.1.1.8: v2 indication carries the client's context value"),
  head: ref('3.1.1.8: v2 retrieval takes the events at the head'),
  closeUnblocks: ref('3.1.1.8: closing a v2 port includes unblocking'),
} as const;

export const CLOSE2 = {
  completes: ref('3.1.4.2.57: outstanding ApiGetNotifyV2 calls completed'),
} as const;

export const UNBLOCK2 = {
  completes: ref('3.1.4.2.107: pending ApiGetNotifyV2 calls completed'),
} as const;

/** The version 2 port methods' sections, for their server-state and access-level rows. */
export const V2_SECTIONS = { create: '3.1.4.2.136', add: '3.1.4.2.137', get: '3.1.4.2.138' } as const;

/** Every reference above, for propertyClauseIds and the test that proves each resolves. */
export function allRefsV2(): ClauseRef[] {
  return [CREATE2, ADD2, GET2, TABLE, PORT2, CLOSE2, UNBLOCK2].flatMap((group) => Object.values(group) as ClauseRef[]);
}
