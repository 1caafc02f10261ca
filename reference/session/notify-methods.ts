// The version 1 notification methods (3.1.4.x.56-66, .90/.91, .99/.100, .107): ports, registrations,
// catch-up events and reads. Each starts with the server-state/access gate, then the handle checks.
import type { GetNotifyOut, Handle, Reply } from '../../cmrp/contract';
import { ERROR } from '../../cmrp/constants';
import type { NotifyMethod } from '../rules/behaviour';
import { NULL_HANDLE, RPC_S_PROCNUM_OUT_OF_RANGE, RpcFault, SERVER_ERROR } from '../rules/codes';
import type { StatefulType } from '../model/types';
import { TYPE_BITS } from '../notify/bits';
import type { Scope } from '../rules/filter';
import type { NotificationPort } from '../notify/port';
import { ConnectionState, isRefusal, type Refusal } from './connection-state';
import { closeNotifyV2, v2PortOf } from './notify-v2-methods';
import { goneStatus } from './object-methods';

const NO_INDICATION: GetNotifyOut = { dwNotifyKey: 0, dwFilter: 0, dwStateSequence: 0, Name: '' };

export function createNotify(s: ConnectionState): Reply<{ hNotify: Handle }> {
  const refusal = s.gate('ApiCreateNotify');
  if (refusal) return { status: refusal.refused, hNotify: NULL_HANDLE };
  const port = s.core.hub.open(s.version);
  return { status: ERROR.SUCCESS, hNotify: s.handles.issue({ kind: 'notify', port }) };
}

export function closeNotify(s: ConnectionState, hNotify: Handle): Reply<{ hNotify: Handle | null }> {
  // 3.1.4.2.57: the same method closes a version 2 port.
  const portV2 = v2PortOf(s, hNotify);
  if (portV2) {
    const refusal = s.gate('ApiCloseNotify');
    return refusal ? { status: refusal.refused, hNotify } : closeNotifyV2(s, hNotify, portV2);
  }
  const port = portFor(s, 'ApiCloseNotify', hNotify);
  if (isRefusal(port)) return { status: port.refused, hNotify: port.refused === ERROR.SUCCESS ? null : hNotify };
  port.close();
  s.core.hub.forget(port);
  s.handles.release(hNotify);
  // 3.1.4.x.57: success is signalled by setting the context handle to NULL.
  return { status: ERROR.SUCCESS, hNotify: s.core.behaviour.closeNullsHandle ? null : hNotify };
}

export function addNotifyCluster(s: ConnectionState, hNotify: Handle, hCluster: Handle, dwFilter: number, dwNotifyKey: number): Reply {
  const port = portFor(s, 'ApiAddNotifyCluster', hNotify);
  if (isRefusal(port)) return { status: port.refused };
  const cluster = s.check(hCluster, 'cluster');
  if (isRefusal(cluster)) return { status: cluster.refused };
  const refused = s.core.behaviour.refuseFilter(dwFilter >>> 0, s.version);
  if (refused !== undefined) return { status: refused };
  port.addFilter({ scope: { kind: 'cluster' }, dwFilter: dwFilter >>> 0, dwNotifyKey: dwNotifyKey >>> 0, handle: String(hCluster).toLowerCase() });
  return { status: ERROR.SUCCESS };
}

/** ApiAddNotifyNode/Group/Resource/Network/NetInterface: registers and returns the state sequence. */
export function addNotifyObject(
  s: ConnectionState,
  method: NotifyMethod,
  type: StatefulType,
  hNotify: Handle,
  hObject: Handle,
  dwFilter: number,
  dwNotifyKey: number,
): Reply<{ dwStateSequence: number }> {
  const registered = registerObject(s, method, type, hNotify, hObject, dwFilter, dwNotifyKey);
  if (isRefusal(registered)) return { status: registered.refused, dwStateSequence: 0 };
  return { status: ERROR.SUCCESS, dwStateSequence: s.core.behaviour.sequenceOnNode(s.core.behaviour.addSequence(registered.current), s.nodeIndex) >>> 0 };
}

/**
 * ApiReAddNotify*: registers like Add*, then posts a catch-up *_STATE indication with this
 * registration's key when StateSequence differs from the object's current sequence (3.1.4.x.63-65,
 * .91, .100). The catch-up does not depend on dwFilter: the text makes it unconditional.
 */
export function reAddNotifyObject(
  s: ConnectionState,
  method: NotifyMethod,
  type: StatefulType,
  hNotify: Handle,
  hObject: Handle,
  dwFilter: number,
  dwNotifyKey: number,
  StateSequence: number,
): Reply {
  const registered = registerObject(s, method, type, hNotify, hObject, dwFilter, dwNotifyKey);
  if (isRefusal(registered)) return { status: registered.refused };
  const { port, object, current } = registered;
  const { behaviour } = s.core;
  const stateBit = TYPE_BITS[type].state;
  if (object && stateBit !== undefined && behaviour.catchUpNeeded(StateSequence >>> 0, current)) {
    port.post({ dwNotifyKey: behaviour.catchUpKey(dwNotifyKey >>> 0) >>> 0, dwFilter: stateBit, dwStateSequence: current, Name: object });
  }
  return { status: ERROR.SUCCESS };
}

export function addNotifyKey(s: ConnectionState, hNotify: Handle, hKey: Handle, dwNotifyKey: number, Filter: number, WatchSubTree: boolean): Reply {
  const port = portFor(s, 'ApiAddNotifyKey', hNotify);
  if (isRefusal(port)) return { status: port.refused };
  const key = s.check(hKey, 'key');
  if (isRefusal(key)) return { status: key.refused };
  // A key deleted under the open handle: a condition outside the table (3.1.4.x.62), as MS-RRP reports it.
  if (s.core.behaviour.refuseGoneObjects && !s.core.model.registry.find(key.path)) return { status: SERVER_ERROR.KEY_DELETED };
  // WatchSubTree is a 32-bit BOOL on the wire: any non-zero value is TRUE.
  const scope: Scope = { kind: 'key', path: key.path, watchSubTree: s.core.behaviour.watchSubTree(Boolean(WatchSubTree)) };
  port.addFilter({ scope, dwFilter: Filter >>> 0, dwNotifyKey: dwNotifyKey >>> 0, handle: String(hKey).toLowerCase() });
  return { status: ERROR.SUCCESS };
}

/**
 * ApiGetNotify. Version 2 passes Timeout (ms; INFINITE or undefined waits forever); version 3 has no
 * Timeout and blocks until an indication, ApiUnblockGetNotifyCall or ApiCloseNotify.
 */
export async function getNotify(s: ConnectionState, hNotify: Handle, Timeout: number | undefined): Promise<Reply<GetNotifyOut>> {
  const port = portFor(s, 'ApiGetNotify', hNotify);
  if (isRefusal(port)) return { status: port.refused, ...NO_INDICATION };
  const completion = await port.read(s.version === 2 ? Timeout : undefined);
  switch (completion.kind) {
    case 'indication':
      return { status: ERROR.SUCCESS, ...completion.indication };
    case 'status':
      return { status: completion.status, ...NO_INDICATION };
    case 'fault':
      return { fault: completion.fault };
  }
}

export function unblockGetNotifyCall(s: ConnectionState, hNotify: Handle): Reply {
  // 3.1.4.1.107 footnote: a version 2 server may not have the method at all.
  if (!s.core.behaviour.implementsUnblock(s.version)) throw new RpcFault(RPC_S_PROCNUM_OUT_OF_RANGE);
  // 3.1.4.2.107: the same method releases the ApiGetNotifyV2 calls of a version 2 port.
  const portV2 = v2PortOf(s, hNotify);
  if (portV2) {
    const refusal = s.gate('ApiUnblockGetNotifyCall');
    if (refusal) return { status: refusal.refused };
    portV2.unblock();
    return { status: ERROR.SUCCESS };
  }
  const port = portFor(s, 'ApiUnblockGetNotifyCall', hNotify);
  if (isRefusal(port)) return { status: port.refused };
  port.unblock();
  if (s.core.behaviour.unblockClosesPort) {
    // The misreading of 3.1.4.x.66 ("closed through ApiUnblockGetNotifyCall") that frees the port.
    port.close();
    s.core.hub.forget(port);
    s.handles.release(hNotify);
  }
  return { status: ERROR.SUCCESS };
}

function portFor(s: ConnectionState, method: NotifyMethod, hNotify: Handle): NotificationPort | Refusal {
  const refusal = s.gate(method);
  if (refusal) return refusal;
  const target = s.check(hNotify, 'notify');
  return isRefusal(target) ? target : target.port;
}

interface Registered {
  port: NotificationPort;
  /** The object's name as the cluster spells it; undefined when the object has since been deleted. */
  object: string | undefined;
  current: number;
}

function registerObject(
  s: ConnectionState,
  method: NotifyMethod,
  type: StatefulType,
  hNotify: Handle,
  hObject: Handle,
  dwFilter: number,
  dwNotifyKey: number,
): Registered | Refusal {
  const port = portFor(s, method, hNotify);
  if (isRefusal(port)) return port;
  const target = s.check(hObject, type);
  if (isRefusal(target)) return target;
  const refused = s.core.behaviour.refuseFilter(dwFilter >>> 0, s.version);
  if (refused !== undefined) return { refused };
  const object = s.core.model.find(type, target.name);
  // The object the handle designates is gone: no object to queue for, no state sequence to return.
  if (!object && s.core.behaviour.refuseGoneObjects) return { refused: goneStatus(type) };
  const filter = { dwFilter: dwFilter >>> 0, dwNotifyKey: dwNotifyKey >>> 0, handle: String(hObject).toLowerCase() };
  port.addFilter({ scope: { kind: 'object', type, name: target.name }, ...filter });
  return { port, object: object?.name, current: (object?.stateSequence ?? 0) >>> 0 };
}
