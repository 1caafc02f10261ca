// The cluster objects and registry keys a property run creates for itself (through the control
// adapter) on top of whatever the target starts with. Owning every object it touches is what lets the
// model predict every event: nothing else in the cluster is ever changed by a run.
import type { ObjectKind } from './types';

export interface FixtureObject {
  kind: ObjectKind;
  name: string;
  /** Resource: its group. Group: its owner node. Net interface: its node and network. */
  group?: string;
  node?: string;
  network?: string;
}

/** Two of each type, so each registration has a sibling whose events it must not see. */
export const FIXTURE_OBJECTS: readonly FixtureObject[] = [
  { kind: 'node', name: 'PBT-node1' },
  { kind: 'node', name: 'PBT-node2' },
  { kind: 'network', name: 'PBT-net1' },
  { kind: 'network', name: 'PBT-net2' },
  { kind: 'netInterface', name: 'PBT-node1 - PBT-net1', node: 'PBT-node1', network: 'PBT-net1' },
  { kind: 'netInterface', name: 'PBT-node2 - PBT-net2', node: 'PBT-node2', network: 'PBT-net2' },
  { kind: 'group', name: 'PBT-group1', node: 'PBT-node1' },
  { kind: 'group', name: 'PBT-group2', node: 'PBT-node2' },
  { kind: 'resource', name: 'PBT-res1', group: 'PBT-group1' },
  { kind: 'resource', name: 'PBT-res2', group: 'PBT-group2' },
];

/** Objects of one kind, in fixture order (a step names them by index). */
export function fixtureObjects(kind: ObjectKind): FixtureObject[] {
  return FIXTURE_OBJECTS.filter((o) => o.kind === kind);
}

/**
 * State values a run moves objects between (the 2.2.3.x enumerations). The first is where setup puts
 * each object. Node states avoid Down and network states avoid the derived ones, whose side effects
 * (failover, interface states) a stimulus does not promise.
 */
export const STATES: Readonly<Record<ObjectKind, readonly number[]>> = {
  node: [0 /* Up */, 2 /* Paused */],
  group: [1 /* Offline */, 0 /* Online */, 2 /* Failed */],
  resource: [3 /* Offline */, 2 /* Online */, 4 /* Failed */],
  network: [3 /* Up */, 1 /* Down */],
  netInterface: [3 /* Up */, 1 /* Failed */, 2 /* Unreachable */],
};

/** Keys with handles: index 0 is the root (ApiGetRootKey), the others are opened by path. */
export const FIXTURE_KEYS: readonly string[] = ['', 'PBT', 'PBT\\Sub', 'PBT\\Sub\\Leaf'];

/** Keys runs create and delete; none has a handle or children. Parents: root, 'PBT', 'PBT\\Sub'. */
export const DYNAMIC_KEYS: readonly string[] = ['PBTdyn', 'PBT\\Dyn', 'PBT\\Sub\\Dyn'];

/** Objects runs add and delete; none has a handle, so only cluster-wide filters see them. */
export const DYNAMIC_OBJECTS: readonly { kind: 'group' | 'network' | 'resourceType'; name: string }[] = [
  { kind: 'group', name: 'PBT-dyngroup' },
  { kind: 'network', name: 'PBT-dynnet' },
  { kind: 'resourceType', name: 'PBT-dyntype' },
];

export function splitPath(path: string): string[] {
  return path.split('\\').filter(Boolean);
}
