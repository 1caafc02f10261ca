// The SUT control adapter ([MS-CMRP] cannot make a NIC fail or a group move): the optional second
// interface through which a test changes the cluster. A clause whose test needs a verb the target
// does not offer is NOT-TESTED with that reason, never PASS.

export type ObjectType = 'node' | 'group' | 'resource' | 'resourceType' | 'network' | 'netInterface';

export type Stimulus =
  /**
   * Creates an object; `group` places a resource, `node` and `network` place a net interface (and `node` a
   * group); `resourceType` is a new resource's type. Where one is left out the server picks (never a name
   * the suite assumes).
   */
  | { verb: 'AddObject'; objectType: ObjectType; name: string; group?: string; node?: string; network?: string; resourceType?: string }
  | { verb: 'DeleteObject'; objectType: ObjectType; name: string }
  /** `state` is the value of the object's state enumeration (CLUSTER_GROUP_STATE and so on). */
  | { verb: 'SetState'; objectType: 'node' | 'group' | 'resource' | 'network' | 'netInterface'; name: string; state: number }
  /** A common or private property changed; objectType 'cluster' is the cluster object itself. */
  | { verb: 'SetProperty'; objectType: ObjectType | 'cluster'; name: string; property: string; value: string | number }
  | { verb: 'MoveResource'; name: string; group: string }
  | { verb: 'SetQuorum'; resource: string }
  /** Cluster registry changes; `path` is relative to the root key, components separated by "\\". */
  | { verb: 'RegistryCreateKey'; path: string }
  | { verb: 'RegistryDeleteKey'; path: string }
  | { verb: 'RegistrySetValue'; path: string; valueName: string; data: string | number }
  /** Deletes a value (how the suite removes the values of its own it set on keys it does not own). */
  | { verb: 'RegistryDeleteValue'; path: string; valueName: string }
  | { verb: 'RegistrySetSecurity'; path: string }
  /**
   * A link-level failure (3.1.4.x.94, .83): without `peer`, the net interface's own link (its cable: cut, it
   * reaches no other interface); with `peer`, another interface of the same network, the path between the
   * two. `connected: false` cuts it, `true` restores it. The server derives the states itself.
   */
  | { verb: 'SetInterfaceLink'; name: string; peer?: string; connected: boolean }
  /** Node activity (3.1.4.x.69): the node stops being an active node, becomes one again, or is paused. */
  | { verb: 'SetNodeActivity'; name: string; activity: 'active' | 'inactive' | 'paused' }
  /**
   * The node's computer is shutting down (3.1.4.1: it stops being an active node for that reason): as
   * SetNodeActivity 'inactive', its cluster software still answers clients; SetNodeActivity 'active'
   * (or Reset) makes it an active node again.
   */
  | { verb: 'NodeShutdown'; name: string }
  /** The protocol server state of [MS-CMRP] 3.1.1. */
  | { verb: 'SetServerState'; state: 'read-write' | 'read-only' }
  /**
   * The protocol server state of one node only ([MS-CMRP] 3.1.4: each node keeps its own): the other
   * nodes keep theirs. SetServerState and Reset set every node's.
   */
  | { verb: 'SetNodeServerState'; name: string; state: 'read-write' | 'read-only' }
  /** The server loses the events queued on every port (what makes a v3 server post CLUSTER_RECONNECT). */
  | { verb: 'DropEvents' }
  /** Fail over: every client connection is lost, with its context handles and ports. */
  | { verb: 'Failover' }
  /** Back to the initial cluster (fresh objects, states and registry; no ports). */
  | { verb: 'Reset' }
  /**
   * A node is lost ([MS-CMRP] 3.1.1: it stops being an active node): its state goes Down (the other
   * nodes post NODE_STATE), every client connection to it drops as a lost node's does, and the groups
   * it owned move to an active node.
   */
  | { verb: 'NodeDown'; name: string }
  /** The node comes back: its state goes Up and clients can connect to it again. */
  | { verb: 'NodeUp'; name: string }
  /** Fails a group over to another active node: its owner node changes. */
  | { verb: 'MoveGroup'; name: string; node: string }
  /**
   * The cluster security descriptor ([MS-CMRP] 2.1, 3.1.3): what it grants one of the run's accounts,
   * `"full"` (--user) or `"read"` (--read-user): All, Read, or nothing (the account may not call).
   */
  | { verb: 'SetClusterSecurity'; account: 'full' | 'read'; access: 'full' | 'read' | 'none' };

export type ControlVerb = Stimulus['verb'];

export const CONTROL_VERBS: readonly ControlVerb[] = [
  'AddObject', 'DeleteObject', 'SetState', 'SetProperty', 'MoveResource', 'SetQuorum',
  'RegistryCreateKey', 'RegistryDeleteKey', 'RegistrySetValue', 'RegistryDeleteValue', 'RegistrySetSecurity',
  'SetServerState', 'DropEvents', 'Failover', 'Reset', 'SetInterfaceLink', 'SetNodeActivity',
  'NodeDown', 'NodeUp', 'MoveGroup', 'SetClusterSecurity', 'SetNodeServerState', 'NodeShutdown',
];

/**
 * What a control adapter may answer besides the verbs: `ListObjects`, the cluster's objects, registry keys
 * and values whose names start with a prefix. Offered like a verb (an adapter's Hello lists it); it is
 * how a run finds what an earlier, killed run left behind.
 */
export type ControlQuery = 'ListObjects' | 'ReadsHeld';

export const CONTROL_QUERIES: readonly ControlQuery[] = ['ListObjects', 'ReadsHeld'];

/**
 * What a control adapter may offer besides the verbs and queries: `Batch`, several stimuli in one request
 * (one round trip), applied in order and stopping at the first that fails (docs/adapter-protocol.md).
 */
export const CONTROL_BATCH = 'Batch';

/** Every name a control adapter's Hello may list that this harness knows. */
export type ControlOffer = ControlVerb | ControlQuery | typeof CONTROL_BATCH;

/**
 * Why a list of stimuli stopped: the one at `index` failed with `cause` (what apply() would have thrown for
 * it alone); those before it were applied and settled, those after it were not applied.
 */
export class StimulusFailed extends Error {
  constructor(
    readonly index: number,
    readonly stimulus: Stimulus,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StimulusFailed';
  }
}

/** One object ListObjects found: a cluster object by type and name, a key or a value by its path from the root. */
export type ListedObject =
  | { objectType: ObjectType; name: string }
  | { objectType: 'key'; path: string }
  | { objectType: 'value'; path: string; valueName: string };

export interface ClusterControl {
  readonly verbs: ReadonlySet<ControlVerb>;
  /**
   * Applies a change and resolves only once the server has queued, on every port, every event
   * indication the change causes. This "settled" promise is what lets a test prove an event absent
   * (a pending ApiGetNotify released by ApiUnblockGetNotifyCall) without sleeping.
   */
  apply(stimulus: Stimulus): Promise<void>;
  /**
   * Applies `stimuli` in order, each settled before the next, as apply() one at a time would, but in as few
   * round trips as the binding can (an adapter offering Batch: one). Stops at the first that fails and
   * rejects with a StimulusFailed naming it; a failure that is not one stimulus's (the adapter hung or
   * crashed with the list in flight, so what was applied is unknown) rejects as apply() would. Optional:
   * applyStimuli() applies one at a time where a binding has no such path.
   */
  applyAll?(stimuli: readonly Stimulus[]): Promise<void>;
  /**
   * ListObjects, where offered: every cluster object whose name, every registry key whose last path
   * component and every value whose name starts with `prefix` (case-insensitively). A key listed stands
   * for its subtree: what is below it is not listed again.
   */
  listObjects?(prefix: string): Promise<ListedObject[]>;
  /**
   * ReadsHeld, where offered (a control inside the server: the served reference's): how many ApiGetNotify
   * and ApiGetNotifyV2 calls the server has received on the port whose context handle the client holds as
   * `hNotify` (40 hex digits, as on the wire) and not yet answered. It proves that the server has read a
   * blocked read before the call meant to release it, instead of giving the request time to arrive.
   */
  readsHeld?(hNotify: string): Promise<number>;
  /**
   * Set (to the reason) by a binding that cannot keep the settled rule: the in-band stimuli of
   * harness/stimulus/, made through MS-CMRP's own management methods, which do not say that an event is
   * queued by the time the call that caused it returns. After such a stimulus no absence of an event is
   * proven (those checks are INCONCLUSIVE with this reason), and a property run does not use it.
   */
  readonly unsettled?: string;
  /**
   * Set by a binding whose Reset undoes only what the binding itself did (the in-band stimuli) rather than
   * rebuilding the whole cluster: offering such a Reset does not make every role the suite's to change, so
   * a sequence's state changes stay held to the roles the profile marks disposable.
   */
  readonly resetUndoesOwnOnly?: boolean;
  /**
   * Why this binding cannot apply one stimulus of a verb it offers (an object type MS-CMRP cannot create, a
   * state no method sets), given the stimuli applied before it in the same sequence; undefined when it can.
   * The clauses of a sequence needing it are NOT-TESTED with that reason.
   */
  cannot?(stimulus: Stimulus, earlier: readonly Stimulus[]): string | undefined;
}

/**
 * Applies `stimuli` in order through the binding's applyAll where it has one, else one apply() at a time;
 * either way a failure of one stimulus rejects with a StimulusFailed naming it (nothing after it applied).
 */
export async function applyStimuli(control: ClusterControl, stimuli: readonly Stimulus[]): Promise<void> {
  if (control.applyAll) return control.applyAll(stimuli);
  return applyEach((s) => control.apply(s), stimuli);
}

/** One apply() per stimulus, in order, stopping at the first that fails (a StimulusFailed naming it). */
export async function applyEach(apply: (stimulus: Stimulus) => Promise<void>, stimuli: readonly Stimulus[]): Promise<void> {
  for (const [index, stimulus] of stimuli.entries()) {
    try {
      await apply(stimulus);
    } catch (error) {
      throw new StimulusFailed(index, stimulus, error);
    }
  }
}
