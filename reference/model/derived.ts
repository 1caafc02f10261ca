// States the spec derives from other objects' states: a group's from its resources (3.1.4.x.46), a
// network's from its interfaces (3.1.4.x.83), an interface's from its node (3.1.4.x.94). Each function
// returns the derived state, or undefined where the text names no rule for the combination (the
// object then keeps the state it has).
import { CLUSTER_GROUP_STATE, CLUSTER_NETINTERFACE_STATE, CLUSTER_NETWORK_STATE, CLUSTER_NODE_STATE, CLUSTER_RESOURCE_STATE } from '../rules/states';

const PENDING_RESOURCE: ReadonlySet<number> = new Set([CLUSTER_RESOURCE_STATE.Pending, CLUSTER_RESOURCE_STATE.OnlinePending, CLUSTER_RESOURCE_STATE.OfflinePending]);

/** 3.1.4.x.46 precedence: failed, then pending, then partial online / online / offline. No resources: no rule. */
export function groupState(resourceStates: readonly number[]): number | undefined {
  if (resourceStates.length === 0) return undefined;
  if (resourceStates.some((s) => s === CLUSTER_RESOURCE_STATE.Failed)) return CLUSTER_GROUP_STATE.Failed;
  if (resourceStates.some((s) => PENDING_RESOURCE.has(s))) return CLUSTER_GROUP_STATE.Pending;
  const online = resourceStates.filter((s) => s === CLUSTER_RESOURCE_STATE.Online).length;
  if (online === resourceStates.length) return CLUSTER_GROUP_STATE.Online;
  if (online > 0) return CLUSTER_GROUP_STATE.PartialOnline;
  if (resourceStates.every((s) => s === CLUSTER_RESOURCE_STATE.Offline)) return CLUSTER_GROUP_STATE.Offline;
  return undefined;
}

/** 3.1.4.x.83 table: all unavailable, all failed/unreachable, partitioned (some unreachable, two up), all up. */
export function networkState(interfaceStates: readonly number[]): number | undefined {
  if (interfaceStates.length === 0) return undefined;
  const count = (state: number): number => interfaceStates.filter((s) => s === state).length;
  const { Unavailable, Failed, Unreachable, Up } = CLUSTER_NETINTERFACE_STATE;
  if (count(Unavailable) === interfaceStates.length) return CLUSTER_NETWORK_STATE.Unavailable;
  if (count(Failed) + count(Unreachable) === interfaceStates.length) return CLUSTER_NETWORK_STATE.Down;
  if (count(Up) === interfaceStates.length) return CLUSTER_NETWORK_STATE.Up;
  if (count(Unreachable) > 0 && count(Up) >= 2) return CLUSTER_NETWORK_STATE.PartitionedUp;
  return undefined;
}

/** 3.1.4.x.94: an interface is unavailable while its node is neither up nor paused, and up again after. */
export function interfaceStateForNode(nodeState: number, current: number): number | undefined {
  const active = nodeState === CLUSTER_NODE_STATE.Up || nodeState === CLUSTER_NODE_STATE.Paused;
  if (!active) return CLUSTER_NETINTERFACE_STATE.Unavailable;
  return current === CLUSTER_NETINTERFACE_STATE.Unavailable ? CLUSTER_NETINTERFACE_STATE.Up : undefined;
}

/** One interface of a network, as the link-level derivation sees it. */
export interface InterfaceOnNetwork {
  name: string;
  /** The state of the node it is installed on (CLUSTER_NODE_STATE). */
  nodeState: number;
  /** Its own link is up (not unplugged). */
  linked: boolean;
}

/**
 * The states 3.1.4.x.94 defines for the interfaces of one network, from node activity and link-level
 * connectivity: unavailable while the node is neither up nor paused; failed when it reaches no other
 * interface; unreachable when it misses one that is neither failed nor unavailable; up otherwise.
 * A live interface with its link up and no linked peer (the others unplugged or unavailable) has no one
 * to miss: up.
 */
export function interfaceStates(interfaces: readonly InterfaceOnNetwork[], connected: (a: string, b: string) => boolean): Map<string, number> {
  const { Unavailable, Failed, Unreachable, Up } = CLUSTER_NETINTERFACE_STATE;
  const states = new Map<string, number>();
  const live = interfaces.filter((i) => i.nodeState === CLUSTER_NODE_STATE.Up || i.nodeState === CLUSTER_NODE_STATE.Paused);
  for (const i of interfaces) if (!live.includes(i)) states.set(i.name, Unavailable);
  for (const i of live) {
    // An unplugged peer is the one that failed, not this one: only peers with a link of their own count.
    const others = live.filter((o) => o !== i && o.linked);
    const reachesNone = !i.linked || (others.length > 0 && others.every((o) => !connected(i.name, o.name)));
    if (reachesNone) states.set(i.name, Failed);
  }
  for (const i of live) {
    if (states.has(i.name)) continue;
    const missed = live.some((o) => o !== i && states.get(o.name) !== Failed && !connected(i.name, o.name));
    states.set(i.name, missed ? Unreachable : Up);
  }
  return states;
}
