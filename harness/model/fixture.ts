// The cluster objects and registry keys a property run creates for itself (through the control
// adapter) on top of whatever the target starts with. Owning every object it touches is what lets the
// model predict every event: nothing else in the cluster is ever changed by a run. Every name carries
// the run's own prefix (harness/profile/own.ts), so that on a live cluster they are recognisably the
// suite's, cleaned up at the end of the run and swept by the next run if this one is killed.
import { ownName } from '../profile/own';
import type { ObjectKind } from './types';

const node1 = ownName('pbt-node1');
const node2 = ownName('pbt-node2');
const net1 = ownName('pbt-net1');
const net2 = ownName('pbt-net2');
const group1 = ownName('pbt-group1');
const group2 = ownName('pbt-group2');
/** The run's key: below the cluster registry root, named with the run's prefix; its subkeys are its own too. */
const KEY = ownName('pbt');

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
  { kind: 'node', name: node1 },
  { kind: 'node', name: node2 },
  { kind: 'network', name: net1 },
  { kind: 'network', name: net2 },
  { kind: 'netInterface', name: ownName('pbt-node1-net1'), node: node1, network: net1 },
  { kind: 'netInterface', name: ownName('pbt-node2-net2'), node: node2, network: net2 },
  { kind: 'group', name: group1, node: node1 },
  { kind: 'group', name: group2, node: node2 },
  { kind: 'resource', name: ownName('pbt-res1'), group: group1 },
  { kind: 'resource', name: ownName('pbt-res2'), group: group2 },
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
export const FIXTURE_KEYS: readonly string[] = ['', KEY, `${KEY}\\Sub`, `${KEY}\\Sub\\Leaf`];

/** Keys runs create and delete; none has a handle or children. Parents: root, the run's key, its Sub. */
export const DYNAMIC_KEYS: readonly string[] = [ownName('pbt-dyn'), `${KEY}\\Dyn`, `${KEY}\\Sub\\Dyn`];

/** Objects runs add and delete; none has a handle, so only cluster-wide filters see them. */
export const DYNAMIC_OBJECTS: readonly { kind: 'group' | 'network' | 'resourceType'; name: string }[] = [
  { kind: 'group', name: ownName('pbt-dyngroup') },
  { kind: 'network', name: ownName('pbt-dynnet') },
  { kind: 'resourceType', name: ownName('pbt-dyntype') },
];

export function splitPath(path: string): string[] {
  return path.split('\\').filter(Boolean);
}
