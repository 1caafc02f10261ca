// The server's behaviour at every point where a mutant may deviate from the spec. The reference server
// uses REFERENCE_BEHAVIOUR; a mutant (reference/mutants/behaviour.ts) replaces exactly one of these entries. Keeping
// the deviations here, as data, means the code paths of the server are the same for every mutant.
import type { AccessLevel, MethodName } from '../../cmrp/contract';
import type { ProtocolVersion } from '../../cmrp/constants';
import { ERROR } from '../../cmrp/constants';
import type { ObjectType } from '../../cmrp/control';
import type { EventSubject, InternalEvent } from './event';
import { scopeContains, type Filter, type Scope } from './filter';
import { REFERENCE_V2_BEHAVIOUR, type V2Behaviour } from './behaviour-v2';

/** The notification methods: the ones whose server-state and access-level rules a mutant may change. */
export type NotifyMethod =
  | 'ApiCreateNotify'
  | 'ApiCloseNotify'
  | 'ApiAddNotifyCluster'
  | 'ApiAddNotifyNode'
  | 'ApiAddNotifyGroup'
  | 'ApiAddNotifyResource'
  | 'ApiAddNotifyKey'
  | 'ApiAddNotifyNetwork'
  | 'ApiAddNotifyNetInterface'
  | 'ApiReAddNotifyNode'
  | 'ApiReAddNotifyGroup'
  | 'ApiReAddNotifyResource'
  | 'ApiReAddNotifyNetwork'
  | 'ApiReAddNotifyNetInterface'
  | 'ApiGetNotify'
  | 'ApiUnblockGetNotifyCall'
  | 'ApiCreateNotifyV2'
  | 'ApiAddNotifyV2'
  | 'ApiGetNotifyV2';

const NOTIFY_METHODS: ReadonlySet<string> = new Set<NotifyMethod>([
  'ApiCreateNotify',
  'ApiCloseNotify',
  'ApiAddNotifyCluster',
  'ApiAddNotifyNode',
  'ApiAddNotifyGroup',
  'ApiAddNotifyResource',
  'ApiAddNotifyKey',
  'ApiAddNotifyNetwork',
  'ApiAddNotifyNetInterface',
  'ApiReAddNotifyNode',
  'ApiReAddNotifyGroup',
  'ApiReAddNotifyResource',
  'ApiReAddNotifyNetwork',
  'ApiReAddNotifyNetInterface',
  'ApiGetNotify',
  'ApiUnblockGetNotifyCall',
  'ApiCreateNotifyV2',
  'ApiAddNotifyV2',
  'ApiGetNotifyV2',
]);

export function isNotifyMethod(method: MethodName): method is NotifyMethod {
  return NOTIFY_METHODS.has(method);
}

/** Why a context handle did not resolve to an object of the expected type. */
export type HandleFault = 'unknown' | 'wrong-type';

export type HandleKind = 'cluster' | 'node' | 'group' | 'resource' | 'network' | 'netInterface' | 'key' | 'notify' | 'notifyV2';

export interface Behaviour extends V2Behaviour {
  /** 2.2.1.x: a handle that is unknown, closed, foreign or of the wrong type fails the call. */
  acceptBadHandle(fault: HandleFault, expected: HandleKind): boolean;
  /** 3.1.1 and each method's "accept ... read-only" sentence. */
  acceptInReadOnly(method: NotifyMethod, version: ProtocolVersion): boolean;
  /** 3.1.4.1 (v2: every method needs "All") and the 3.1.4.2.x "at least Read" sentences (v3). */
  acceptAccess(method: MethodName, level: AccessLevel, version: ProtocolVersion): boolean;
  /** 3.1.4.2: a method that changes the cluster asks, implicitly, for "All": whether a client at `level` is served it. */
  acceptChangeAt(level: AccessLevel): boolean;
  /** 3.1.1, 3.1.4.x: whether a method that changes the cluster is carried out in the read-only protocol server state. */
  acceptChangeInReadOnly: boolean;
  /** ApiOpenCluster, ApiOpen<Object>, ApiGetRootKey, ApiOpenKey: each SHOULD be accepted in the read-only protocol server state. */
  acceptOpenInReadOnly: boolean;
  /** 2.1, 3.1.3: every call is checked against the cluster security descriptor as it is now. */
  honoursClusterSecurity: boolean;
  /** 3.1.4.1, 3.1.4.2: each node keeps its own protocol server state (SHOULD): SetNodeServerState sets one node's only. */
  serverStatePerNode: boolean;
  /**
   * 3.1.1, 3.1.4.x: a node that runs the cluster software but is not active. `servesReads`: it accepts the
   * requests that change nothing (SHOULD); `changeRefusal`: the status of a request it cannot process, one
   * that changes the cluster (undefined: carried out).
   */
  inactiveNode: { servesReads: boolean; changeRefusal: number | undefined };
  /** 3.1.4.x.56: nothing is queued on a port before its first filter. */
  queueWithoutFilters: boolean;
  /** 2.2.2.7: a version 2.0 server does not support QUORUM_STATE and never posts it. */
  postsQuorumState(version: ProtocolVersion): boolean;
  /** 3.1.4.x.58-100: every matching filter gets its own indication. */
  selectFilters(matching: readonly Filter[]): readonly Filter[];
  /** Registration scope: object registrations see only their object, key registrations their key (and subtree). */
  scopeContains(scope: Scope, dwFilter: number, subject: EventSubject, bit?: number): boolean;
  /** 3.1.4.x.62: WatchSubTree TRUE extends the watch to the subtree. */
  watchSubTree(requested: boolean): boolean;
  /** dwNotifyKey of an indication queued through `filter`. */
  eventKey(filter: Filter): number;
  /** dwFilter of an indication: the single bit of the event (2.2.2.7 values a server may return). */
  reportedFilter(event: InternalEvent, throughSubtree: boolean): number;
  /** Add*: the dwStateSequence written back (the object's current sequence). */
  addSequence(current: number): number;
  /** ReAdd*: whether a catch-up *_STATE indication is posted for this StateSequence. */
  catchUpNeeded(given: number, current: number): boolean;
  /** dwNotifyKey of the catch-up indication (the ReAdd's own key). */
  catchUpKey(dwNotifyKey: number): number;
  /** ApiGetNotify returns the first queued indication. */
  dequeue: 'fifo' | 'lifo';
  /** 3.1.4.1.66 / 3.1.2.x: the v2 Timeout bounds the wait (WAIT_TIMEOUT on expiry). */
  honourTimeout: boolean;
  /** 3.1.4.2.66 SHOULD (v3) and 3.1.4.1.66 MUST NOT (v2): CLUSTER_RECONNECT after lost indications. */
  reconnectAfterLoss(version: ProtocolVersion): boolean;
  /** 3.1.4.x.66: status of an ApiGetNotify released by ApiUnblockGetNotifyCall or ApiCloseNotify. */
  releasedStatus: number;
  /** 3.1.4.x.66 R20 reading 2: a read released by ApiCloseNotify may get ERROR_NO_MORE_ITEMS instead (undefined: releasedStatus). */
  closeReleasedStatus: number | undefined;
  /** 3.1.4.x.107 / 3.1.1.8 R21: after an unblock the port stays usable, or counts as closed (later reads complete at once with this status). */
  afterUnblock: 'usable' | number;
  /** 2.2.1.x / 3.1.4.x "invalid handle" readings: a fabricated or closed handle gets ERROR_INVALID_HANDLE (undefined) or this RPC fault. */
  staleHandleFault: number | undefined;
  /** 3.1.4.x.10/.43: an object's state sequence when it is created (with its state). */
  initialSequence(type: ObjectType, state: number): number;
  /** 3.1.4.x.13/.46 (each transition), .26 (a move): the state sequence after a change to `state`. */
  nextSequence(type: ObjectType, current: number, state: number): number;
  /** SetState to the value the object already has: a transition anyway, or nothing at all. */
  sameStateIsTransition: boolean;
  /** A group set directly (SetState) brings its resources along (online/offline), each with RESOURCE_STATE. */
  groupDrivesResources: boolean;
  /** Name of a registry event about the key at `path` (3.1.4.x.66 R14 leaves the form open). */
  registryEventName(path: readonly string[], clusterName: string): string;
  /** Name of an event about the cluster itself (CLUSTER_PROPERTY): the cluster name or empty (3.1.4.x.66 R14/R15). */
  clusterEventName(clusterName: string): string;
  /** 3.1.4.x.26 leaves open whether a move is reported as a state change: RESOURCE_STATE after RESOURCE_PROPERTY. */
  movePostsState: boolean;
  /** 2.2.2.7 R38: registrations made with an object handle end when that handle is closed. */
  dropRegistrationsOnHandleClose: boolean;
  /**
   * A state change made through a management method (ApiOfflineGroup, ApiPauseNode, ...) posts its
   * indications as any other change does; false only in a mutant (the change happens, unannounced).
   */
  managementPostsState: boolean;
  /** The same for a property set through Api*Control (*_SET_COMMON_PROPERTIES); false only in a mutant. */
  managementPostsProperty: boolean;
  /** 3.1.4.1.107 footnote: a version 2 server may lack ApiUnblockGetNotifyCall (RPC_S_PROCNUM_OUT_OF_RANGE). */
  implementsUnblock(version: ProtocolVersion): boolean;
  /** 2.2.2.7 R35: the status a registration whose filter holds `dwFilter` is refused with (undefined: accepted). */
  refuseFilter(dwFilter: number, version: ProtocolVersion): number | undefined;
  /** 3.1.4.x.107: ApiUnblockGetNotifyCall completes the outstanding ApiGetNotify calls. */
  unblockReleases: boolean;
  /** 3.1.4.x.57: ApiCloseNotify completes the outstanding ApiGetNotify calls. */
  closeReleases: boolean;
  /** 3.1.4.x.57: on success the server sets the context handle to NULL. */
  closeNullsHandle: boolean;
  /** HANDLE_CLOSE is a client-side value: a server never posts it when an object handle is closed. */
  postHandleClose: boolean;
  /** 3.1.4.1.66 / 3.1.5.4: an expired v2 GetNotify timer completes the call with WAIT_TIMEOUT; a number: this RPC fault instead. */
  expiredTimerFault: number | undefined;
  /** 3.1.4.x.59-100 (the R1 readings): deleting an object posts its *_DELETED to the registrations on that object too. */
  deletionReachesObjectRegistrations: boolean;
  /** How many live ports (oldest first) an event is offered to: every one (3.1.4.x.58-100 make no exception). */
  portTableSize: number;
  /** 3.1.4.x.107 / 3.1.1.8: an unblock releases the pending reads; the port stays open (its handle still closes it). */
  unblockClosesPort: boolean;
  /** 3.1.1, 3.1.4.x: every active node serves valid clients; `nodeIndex` is the node's place in the cluster (0: the first). */
  servesFromNode(nodeIndex: number): boolean;
  /** 3.1.1.8: the state sequence a registration through the node at `nodeIndex` returns (the same on every active node). */
  sequenceOnNode(sequence: number, nodeIndex: number): number;
  /** 3.1.4.x.69: a lost node's state goes Down (NodeDown), which every other node reports. */
  nodeLossChangesState: boolean;
  /**
   * 3.1.4.x.59-100, .62 ("for any other condition"): a registration through a live handle whose object or
   * registry key has since been deleted has nothing to register for, so it fails with a code outside the
   * method's table; false registers it anyway (by name) and returns ERROR_SUCCESS.
   */
  refuseGoneObjects: boolean;
  /**
   * 3.1.4.x.69, .83, .94 ("for any other condition"): Get*State through a live handle whose node, network
   * or interface has since been deleted fails with a code outside the table; false answers ERROR_SUCCESS
   * with the enumeration's Unknown state.
   */
  failGoneObjectState: boolean;
  /**
   * 3.1.4.x.94: how interface states are numbered on the wire and in SetState: the Windows enumeration
   * (Unavailable 0, Failed 1, Unreachable 2) or the spec table's (Failed 0, Unreachable 1, Unavailable 2).
   */
  netInterfaceNumbering: 'windows' | 'spec-table';
  /** 3.1.4.x.94 / .83: link-level failures (SetInterfaceLink) change interface and network states. */
  detectsLinkFailures: boolean;
  /** 3.1.4.x.69: a node's activity (SetNodeActivity) shows in its state, and in its interfaces' (3.1.4.x.94). */
  followsNodeActivity: boolean;
  /**
   * 3.1.4.1, 3.1.4.2: what a node no longer active because its computer is shutting down answers a
   * change it cannot process (version 2 has codes of its own for it; version 3 the not-ready ones).
   */
  shutdownRefusal(version: ProtocolVersion): number;
}

export const REFERENCE_BEHAVIOUR: Readonly<Behaviour> = Object.freeze({
  ...REFERENCE_V2_BEHAVIOUR,
  acceptBadHandle: () => false,
  // 3.1.4.1.56: a v2 server accepts ApiCreateNotify ONLY in read/write; every other notification
  // method, in both versions, SHOULD be accepted in read-only.
  acceptInReadOnly: (method: NotifyMethod, version: ProtocolVersion) => !(method === 'ApiCreateNotify' && version === 2),
  // 3.1.4.1: version 2 knows only "All", required by every method; version 3 notification (and the
  // open/state) methods need at least "Read".
  acceptAccess: (_method: MethodName, level: AccessLevel, version: ProtocolVersion) => level === 'full' || version === 3,
  acceptChangeAt: (level: AccessLevel) => level === 'full',
  acceptChangeInReadOnly: false,
  acceptOpenInReadOnly: true,
  honoursClusterSecurity: true,
  serverStatePerNode: true,
  inactiveNode: { servesReads: true, changeRefusal: ERROR.CLUSTER_NODE_NOT_READY },
  postsQuorumState: (version: ProtocolVersion) => version === 3,
  queueWithoutFilters: false,
  selectFilters: (matching: readonly Filter[]) => matching,
  scopeContains: (scope: Scope, dwFilter: number, subject: EventSubject) => scopeContains(scope, dwFilter, subject),
  watchSubTree: (requested: boolean) => requested,
  eventKey: (filter: Filter) => filter.dwNotifyKey,
  reportedFilter: (event: InternalEvent) => event.bit,
  addSequence: (current: number) => current,
  catchUpNeeded: (given: number, current: number) => given >>> 0 !== current >>> 0,
  catchUpKey: (dwNotifyKey: number) => dwNotifyKey,
  dequeue: 'fifo',
  honourTimeout: true,
  reconnectAfterLoss: (version: ProtocolVersion) => version === 3,
  // 3.1.4.x.66 return table: a call ended by ApiCloseNotify/ApiUnblockGetNotifyCall on another thread
  // gets ERROR_INVALID_FUNCTION (ERROR_NO_MORE_ITEMS is for a port already closed).
  releasedStatus: ERROR.INVALID_FUNCTION,
  closeReleasedStatus: undefined,
  afterUnblock: 'usable',
  staleHandleFault: undefined,
  // 3.1.4.x.10 / .43: a resource's and a group's sequence starts at zero; the other types follow suit.
  initialSequence: () => 0,
  nextSequence: (_type: ObjectType, current: number) => (current + 1) >>> 0,
  sameStateIsTransition: true,
  groupDrivesResources: false,
  registryEventName: (path: readonly string[]) => path.join('\\'),
  clusterEventName: (clusterName: string) => clusterName,
  movePostsState: false,
  dropRegistrationsOnHandleClose: false,
  managementPostsState: true,
  managementPostsProperty: true,
  implementsUnblock: () => true,
  refuseFilter: () => undefined,
  unblockReleases: true,
  closeReleases: true,
  closeNullsHandle: true,
  postHandleClose: false,
  expiredTimerFault: undefined,
  deletionReachesObjectRegistrations: true,
  portTableSize: Number.POSITIVE_INFINITY,
  unblockClosesPort: false,
  servesFromNode: () => true,
  sequenceOnNode: (sequence: number) => sequence,
  nodeLossChangesState: true,
  refuseGoneObjects: true,
  failGoneObjectState: true,
  netInterfaceNumbering: 'windows',
  detectsLinkFailures: true,
  followsNodeActivity: true,
  shutdownRefusal: (version: ProtocolVersion) => (version === 2 ? ERROR.SHUTDOWN_IN_PROGRESS : ERROR.CLUSTER_NODE_SHUTTING_DOWN),
});

/** A mutant's deviation: one (sometimes two closely tied) entries replaced. */
export type BehaviourOverride = Partial<Behaviour>;

export function withOverride(override: BehaviourOverride | undefined): Readonly<Behaviour> {
  return Object.freeze({ ...REFERENCE_BEHAVIOUR, ...override });
}
