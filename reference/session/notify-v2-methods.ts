// The version 2 notification methods (3.1.4.2.136-138; protocol version 3 only): ApiCreateNotifyV2,
// ApiAddNotifyV2 and ApiGetNotifyV2. ApiCloseNotify and ApiUnblockGetNotifyCall take a version 2 port
// too (3.1.4.2.57, .107): notify-methods.ts hands such a port to closeNotifyV2 / unblockNotifyV2 here.
import type { Handle, NotificationV2, Reply } from '../../cmrp/contract';
import { CLUSTER_OBJECT_TYPE as OT, ERROR, validV2Flags } from '../../cmrp/constants';
import { FAULT } from '../../wire/rpc/constants';
import { NULL_HANDLE, SERVER_ERROR } from '../rules/codes';
import type { NotificationPortV2 } from '../notify/v2/port';
import type { V2Scope } from '../notify/v2/registration';
import type { ConnectionState } from './connection-state';
import type { HandleTarget } from './handles';
import { goneStatus } from './object-methods';

/** A method the protocol version 2 IDL lacks: the RPC runtime rejects its opnum before any method runs. */
const NOT_IN_VERSION_2 = { fault: FAULT.nca_s_op_rng_error } as const;

/** The object types whose registrations take a cluster handle whatever isTargetedAtObject says (3.1.4.2.137). */
const CLUSTER_HANDLE_TYPES: ReadonlySet<number> = new Set([OT.CLUSTER, OT.QUORUM, OT.RESOURCE_TYPE, OT.SHARED_VOLUME, OT.SPACEPORT, OT.UPGRADE]);

/** The handle kind a targeted registration of each object type takes (3.1.4.2.137's hObject table). */
const TARGET_KIND: Readonly<Record<number, HandleTarget['kind']>> = {
  [OT.GROUP]: 'group',
  [OT.RESOURCE]: 'resource',
  [OT.NETWORK]: 'network',
  [OT.NETWORK_INTERFACE]: 'netInterface',
  [OT.NODE]: 'node',
  [OT.REGISTRY]: 'key',
};

export function createNotifyV2(s: ConnectionState): Reply<{ hNotify: Handle }> {
  if (s.version !== 3) return NOT_IN_VERSION_2;
  const refusal = s.gate('ApiCreateNotifyV2');
  if (refusal) return { status: refusal.refused, hNotify: NULL_HANDLE };
  const port = s.core.hub.openV2();
  return { status: ERROR.SUCCESS, hNotify: s.handles.issue({ kind: 'notifyV2', port }) };
}

/**
 * ApiAddNotifyV2. Checks, in order: the port, dwVersion, the object type, the flags (any bit outside
 * the type's *_V2 enumeration is invalid; a client-only flag is in the enumeration and is accepted, it
 * is just never reported), then hObject against the type and isTargetedAtObject.
 */
export function addNotifyV2(
  s: ConnectionState,
  hNotify: Handle,
  hObject: Handle,
  dwObjectType: number,
  FilterFlags: bigint,
  dwNotifyKey: number,
  dwVersion: number,
  isTargetedAtObject: boolean,
): Reply {
  if (s.version !== 3) return NOT_IN_VERSION_2;
  const port = portV2For(s, 'ApiAddNotifyV2', hNotify);
  if ('refused' in port) return { status: port.refused };
  const { behaviour } = s.core;
  if (behaviour.checksDwVersion && dwVersion >>> 0 !== 2) return { status: ERROR.INVALID_PARAMETER };
  const type = dwObjectType >>> 0;
  const known = validV2Flags(type) !== 0n;
  if (behaviour.checksObjectType && !known) return { status: ERROR.INVALID_PARAMETER };
  const flags = BigInt.asUintN(64, BigInt(FilterFlags));
  if (known && (flags & ~validV2Flags(type)) !== 0n) return { status: ERROR.INVALID_PARAMETER };
  const scope = scopeOf(s, hObject, type, Boolean(isTargetedAtObject));
  if ('refused' in scope) return { status: scope.refused };
  const gone = goneTarget(s, scope);
  if (gone !== undefined) return { status: gone };
  port.register({ dwObjectType: type, FilterFlags: flags, dwNotifyKey: dwNotifyKey >>> 0, scope });
  return { status: ERROR.SUCCESS };
}

/** ApiGetNotifyV2: every queued NOTIFICATION_RPC at once, blocking while none is queued. */
export async function getNotifyV2(s: ConnectionState, hNotify: Handle): Promise<Reply<{ Notifications: NotificationV2[] }>> {
  if (s.version !== 3) return NOT_IN_VERSION_2;
  const port = portV2For(s, 'ApiGetNotifyV2', hNotify);
  if ('refused' in port) return { status: port.refused, Notifications: [] };
  const completion = await port.read();
  switch (completion.kind) {
    case 'notifications':
      return { status: ERROR.SUCCESS, Notifications: completion.notifications };
    case 'status':
      return { status: completion.status, Notifications: [] };
    case 'fault':
      return { fault: completion.fault };
  }
}

/** ApiCloseNotify of a version 2 port: reads complete, the queue is flushed, the handle goes. */
export function closeNotifyV2(s: ConnectionState, hNotify: Handle, port: NotificationPortV2): Reply<{ hNotify: Handle | null }> {
  port.close();
  s.core.hub.forget(port);
  s.handles.release(hNotify);
  return { status: ERROR.SUCCESS, hNotify: s.core.behaviour.closeNullsHandle ? null : hNotify };
}

/** The version 2 port a handle designates, if it designates one (for ApiCloseNotify and ApiUnblockGetNotifyCall). */
export function v2PortOf(s: ConnectionState, hNotify: Handle): NotificationPortV2 | undefined {
  const target = s.handles.lookup(hNotify);
  return target?.kind === 'notifyV2' ? target.port : undefined;
}

function portV2For(s: ConnectionState, method: 'ApiAddNotifyV2' | 'ApiGetNotifyV2', hNotify: Handle): NotificationPortV2 | { refused: number } {
  const refusal = s.gate(method);
  if (refusal) return refusal;
  const target = s.check(hNotify, 'notifyV2');
  return 'refused' in target ? target : target.port;
}

/** A targeted registration whose object or key has been deleted since hObject was opened: a code outside the table (3.1.4.2.137). */
function goneTarget(s: ConnectionState, scope: V2Scope): number | undefined {
  if (!s.core.behaviour.refuseGoneObjects) return undefined;
  if (scope.kind === 'object' && scope.type !== 'resourceType' && !s.core.model.find(scope.type, scope.name)) return goneStatus(scope.type);
  if (scope.kind === 'key' && !s.core.model.registry.find(scope.path)) return SERVER_ERROR.KEY_DELETED;
  return undefined;
}

/** What a registration watches, or why hObject does not fit it (ERROR_INVALID_HANDLE). */
function scopeOf(s: ConnectionState, hObject: Handle, type: number, targeted: boolean): V2Scope | { refused: number } {
  const target = s.handles.lookup(hObject);
  const invalid = { refused: s.core.behaviour.acceptBadHandle(target ? 'wrong-type' : 'unknown', 'cluster') ? ERROR.SUCCESS : ERROR.INVALID_HANDLE };
  if (!target) return invalid;
  // An untargeted registration, or one of a type that only a cluster handle can name, takes the cluster.
  if (!targeted || CLUSTER_HANDLE_TYPES.has(type)) {
    if (target.kind !== 'cluster') return invalid;
    // 3.1.4.2.137: registry registrations through the cluster watch the root key.
    return type === OT.REGISTRY ? { kind: 'key', path: [] } : { kind: 'all' };
  }
  const kind = TARGET_KIND[type];
  if (!kind || target.kind !== kind) return invalid;
  if (target.kind === 'key') return { kind: 'key', path: target.path };
  if ('name' in target) return { kind: 'object', type: target.kind, name: target.name };
  return invalid;
}
