// Mutants: variants of the reference server that each break ONE behaviour, to prove the suite's power.
// Each is a small override of one entry of the server's Behaviour (reference/rules/behaviour.ts) and names the
// catalogue clauses (clause names, "x.66: <title>") that must FAIL against it. A mutant applies to both
// protocol versions unless its name starts with "v2-" (protocol version 2); the "port2-" mutants break
// version 2 notification ports, which only protocol version 3 has.
import type { Mutant } from '.';
import { clauseSections, type ClauseName } from '../../cmrp/clause-name';
import { CLUSTER_CHANGE, CLUSTER_CHANGE_REGISTRY_V2, CLUSTER_OBJECT_TYPE, ERROR, validV2Flags } from '../../cmrp/constants';
import { isNotifyMethod, REFERENCE_BEHAVIOUR, type BehaviourOverride } from '../rules/behaviour';

export type Trip = Mutant['trips'][number];

export interface MutantDefinition extends Mutant {
  readonly override: BehaviourOverride;
}

/**
 * A mutant's trips from clause names (cmrp/clause-name.ts): "x.66: <title>" trips the rule in both
 * protocol versions (3.1.4.1.66 and 3.1.4.2.66), "3.1.4.2.66: <title>" in version 3 only.
 */
function trips(...names: ClauseName[]): Trip[] {
  return names.flatMap(clauseSections);
}

/** One title in the x.<minor> sections of several methods. */
function each(minors: readonly number[], title: (minor: number) => string): ClauseName[] {
  return minors.map((minor) => `x.${minor}: ${title(minor)}`);
}

/** The registration methods: Add* and ReAdd*, by minor section number. */
const ADD = [58, 59, 60, 61, 62, 90, 99] as const;
const READD = [63, 64, 65, 91, 100] as const;
const REGISTRATIONS = [...ADD, ...READD];
const OBJECT_REGISTRATIONS = REGISTRATIONS.filter((m) => m !== 58);

/** The object word and handle parameter each registration section uses in its titles. */
const OBJECT: Readonly<Record<number, { word: string; param: string; state?: string }>> = {
  58: { word: 'cluster', param: 'hCluster' },
  59: { word: 'node', param: 'hNode' },
  60: { word: 'group', param: 'hGroup' },
  61: { word: 'resource', param: 'hResource' },
  62: { word: 'key', param: 'hKey' },
  90: { word: 'network', param: 'hNetwork' },
  99: { word: 'interface', param: 'hNetInterface' },
  63: { word: 'node', param: 'hNode', state: 'NODE' },
  64: { word: 'group', param: 'hGroup', state: 'GROUP' },
  65: { word: 'resource', param: 'hResource', state: 'RESOURCE' },
  91: { word: 'network', param: 'hNetwork', state: 'NETWORK' },
  100: { word: 'net interface', param: 'hNetInterface', state: 'NETINTERFACE' },
};

const word = (m: number): string => OBJECT[m]?.word ?? '?';
const designated = (m: number): string => `events only for the designated ${m === 62 ? 'key' : m === 99 ? 'net interface' : word(m)}`;
const catchUp = (m: number): string => `catch-up ${OBJECT[m]?.state ?? '?'}_STATE on differing StateSequence`;

/** Every method whose section has a hNotify ERROR_INVALID_HANDLE row. */
const HNOTIFY_METHODS = [57, ...REGISTRATIONS, 66, 107];

const ONE_EVENT_PER_FILTER = each(REGISTRATIONS, () => 'one event per matching filter');
const CATCH_UP = each(READD, catchUp);

export const MUTANT_DEFINITIONS: readonly MutantDefinition[] = [
  {
    name: 'merge-filters',
    description: 'An internal event that matches several filters of a port is queued once, for the first matching filter only.',
    trips: trips(...ONE_EVENT_PER_FILTER),
    override: { selectFilters: (matching) => matching.slice(0, 1) },
  },
  {
    name: 'drop-catch-up',
    description: 'ReAdd* never posts the catch-up *_STATE indication, even when StateSequence is stale.',
    trips: trips(...CATCH_UP),
    override: { catchUpNeeded: () => false },
  },
  {
    name: 'catch-up-wrong-key',
    description: 'The catch-up *_STATE indication of ReAdd* carries dwNotifyKey + 1 instead of the ReAdd key.',
    // The catch-up is posted (its own clause holds); only the key it carries is wrong.
    trips: trips(...each(READD, (m) => `dwNotifyKey returned with the ${word(m)}'s events`)),
    override: { catchUpKey: (key) => (key + 1) >>> 0 },
  },
  {
    name: 'wrong-type-handle-ok',
    description: 'A live context handle of the wrong type (a group handle as hNotify, a port handle as hGroup) is accepted: the call returns ERROR_SUCCESS and does nothing.',
    trips: trips(
      ...each(HNOTIFY_METHODS, () => 'invalid hNotify gives ERROR_INVALID_HANDLE'),
      ...each(REGISTRATIONS, (m) => `invalid ${OBJECT[m]?.param ?? '?'} gives ERROR_INVALID_HANDLE`),
      'x.13: invalid hResource gives ERROR_INVALID_HANDLE',
      'x.46: invalid hGroup gives ERROR_INVALID_HANDLE',
      'x.69: invalid hNode gives ERROR_INVALID_HANDLE',
      'x.83: invalid hNetwork gives ERROR_INVALID_HANDLE',
      'x.94: invalid hNetInterface gives ERROR_INVALID_HANDLE',
      // The version 2 port methods take the same hNotify (protocol version 3 only).
      '3.1.4.2.137: invalid hNotify gives ERROR_INVALID_HANDLE',
      '3.1.4.2.138: invalid hNotify gives ERROR_INVALID_HANDLE',
    ),
    override: { acceptBadHandle: (fault) => fault === 'wrong-type' },
  },
  {
    name: 'refuse-read-only',
    description: 'In the read-only protocol server state every notification method fails with ERROR_SHARING_PAUSED.',
    trips: trips(
      ...each([57, ...REGISTRATIONS, 66], () => 'accepted in read-only state'),
      ...[56, 136, 137, 138].map((minor) => `3.1.4.2.${minor}: accepted in read-only state`),
    ),
    override: { acceptInReadOnly: () => false },
  },
  {
    name: 'early-events',
    description: 'A port with no filter yet receives every internal event (key 0) instead of nothing.',
    trips: trips('x.56: nothing queued before the first filter'),
    override: { queueWithoutFilters: true },
  },
  {
    name: 'client-only-value',
    description: 'Closing an object handle that a registration names posts CLUSTER_CHANGE_HANDLE_CLOSE to the port.',
    trips: trips('x.66: forbidden CLUSTER_CHANGE values never returned', '2.2.2.7: HANDLE_CLOSE is client-only'),
    override: { postHandleClose: true },
  },
  {
    name: 'wrong-key',
    description: 'Every indication carries its filter\'s dwNotifyKey + 1.',
    trips: trips(
      ...each(REGISTRATIONS, (m) => `dwNotifyKey returned with the ${word(m)}'s events`),
      "x.66: dwNotifyKey is the matching registration's key",
      "3.1.1.8: v1 indication carries the client's context value",
      '3.1.1.8: context value comes back with matching indications',
    ),
    override: { eventKey: (filter) => (filter.dwNotifyKey + 1) >>> 0 },
  },
  {
    name: 'ignore-unblock',
    description: 'ApiUnblockGetNotifyCall returns ERROR_SUCCESS but leaves pending ApiGetNotify calls blocked.',
    trips: trips('x.107: pending ApiGetNotify calls completed', 'x.66: unblock or close elsewhere gives ERROR_INVALID_FUNCTION'),
    override: { unblockReleases: false },
  },
  {
    name: 'close-no-release',
    description: 'ApiCloseNotify closes the port but leaves pending ApiGetNotify (and ApiGetNotifyV2) calls blocked.',
    trips: trips('x.57: outstanding ApiGetNotify calls completed', '3.1.4.2.57: outstanding ApiGetNotifyV2 calls completed'),
    override: { closeReleases: false },
  },
  {
    name: 'close-keeps-handle',
    description: 'ApiCloseNotify succeeds but returns the context handle unchanged instead of NULL.',
    trips: trips('x.57: handle set to NULL on success'),
    override: { closeNullsHandle: false },
  },
  {
    name: 'scope-leak',
    description: 'An object registration receives the events of every object of its type; a key registration those of every key.',
    trips: trips(...each(OBJECT_REGISTRATIONS, designated)),
    override: {
      scopeContains: (scope, dwFilter, subject) => {
        if (scope.kind === 'object') return subject.kind === 'object' && subject.type === scope.type;
        if (scope.kind === 'key') return subject.kind === 'registry';
        return REFERENCE_BEHAVIOUR.scopeContains(scope, dwFilter, subject);
      },
    },
  },
  {
    name: 'lifo-queue',
    description: 'ApiGetNotify returns the most recently queued indication instead of the first.',
    trips: trips(
      'x.66: returns the first queued indication',
      '3.1.1.8: v1 retrieval takes the head of the queue',
      '3.1.1.8: port is a FIFO queue',
    ),
    override: { dequeue: 'lifo' },
  },
  {
    name: 'add-wrong-sequence',
    description: 'Add* returns the state sequence the object will have after its next change, not its current one.',
    trips: trips(
      // A ReAdd with the sequence from Add, made after one state change, then finds it current; and the
      // value seen before a transition equals the one after it.
      ...each([59, 60, 61, 90, 99], (m) => `returns the ${word(m)}'s StateSequence`),
      ...CATCH_UP,
      ...each([13, 46], () => 'state sequence incremented on each transition'),
    ),
    override: { addSequence: (current) => (current + 1) >>> 0 },
  },
  {
    name: 'subtree-ignored',
    description: 'ApiAddNotifyKey ignores WatchSubTree: changes below the designated key are never reported.',
    trips: trips('x.62: WatchSubTree extends to subkeys'),
    override: { watchSubTree: () => false },
  },
  {
    name: 'v2-create-read-only',
    description: 'A protocol version 2 server accepts ApiCreateNotify in the read-only protocol server state.',
    trips: trips('3.1.4.1.56: accepted only in read/write state'),
    override: { acceptInReadOnly: () => true },
  },
  {
    name: 'v2-no-timeout',
    description: 'Protocol version 2 ApiGetNotify ignores Timeout and blocks until an indication, an unblock or a close.',
    trips: trips(
      '3.1.4.1.66: Timeout starts the GetNotify timer',
      '3.1.4.1.66: no indication before expiry gives WAIT_TIMEOUT',
      '3.1.4.1.66: expired Timeout gives WAIT_TIMEOUT',
      '3.1.5.4: expiry completes the call with WAIT_TIMEOUT',
    ),
    override: { honourTimeout: false },
  },
  {
    name: 'no-reconnect-event',
    description: 'A protocol version 3 server that lost queued indications never reports CLUSTER_CHANGE_CLUSTER_RECONNECT.',
    trips: trips('3.1.4.2.66: CLUSTER_RECONNECT reported after lost indications'),
    override: { reconnectAfterLoss: () => false },
  },
  {
    name: 'v2-reconnect',
    description: 'A protocol version 2 server reports CLUSTER_CHANGE_CLUSTER_RECONNECT after losing queued indications.',
    trips: trips('3.1.4.1.66: forbidden CLUSTER_CHANGE values never returned'),
    override: { reconnectAfterLoss: () => true },
  },
  {
    name: 'invalid-hnotify-ok',
    description: 'An hNotify the server never issued (the fabricated handle) is accepted: the call returns ERROR_SUCCESS and does nothing.',
    trips: trips(...each(HNOTIFY_METHODS, () => 'invalid hNotify gives ERROR_INVALID_HANDLE')),
    override: { acceptBadHandle: (fault, expected) => fault === 'unknown' && expected === 'notify' },
  },
  {
    name: 'refuse-read-access',
    description: 'Notification methods fail with ERROR_ACCESS_DENIED for a client whose access level is only Read.',
    // Refusing ApiCreateNotify leaves a Read client no port: a client with Read access cannot use any
    // notification method, so every one of their "SHOULD accept at Read" falls short (NON-STRICT); the
    // MUST of 3.1.4.2.138 is only not reached (INCONCLUSIVE).
    trips: trips(...[56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 90, 99, 100, 107, 136, 137].map((n) => `3.1.4.2.${n}: accepted at access level Read` as const)),
    override: { acceptAccess: (method, level, version) => level === 'full' || (version === 3 && !isNotifyMethod(method)) },
  },
  {
    name: 'release-success',
    description: 'An ApiGetNotify released by ApiUnblockGetNotifyCall or ApiCloseNotify completes with ERROR_SUCCESS and an empty indication.',
    trips: trips(
      'x.66: unblock or close elsewhere gives ERROR_INVALID_FUNCTION',
      'x.57: outstanding ApiGetNotify calls completed',
      'x.107: pending ApiGetNotify calls completed',
      // The same release of an ApiGetNotifyV2 on a version 2 port.
      '3.1.4.2.138: unblock or close elsewhere gives ERROR_INVALID_FUNCTION',
      '3.1.4.2.57: outstanding ApiGetNotifyV2 calls completed',
      '3.1.4.2.107: pending ApiGetNotifyV2 calls completed',
    ),
    override: { releasedStatus: ERROR.SUCCESS },
  },
  {
    name: 'report-subtree-bit',
    description: 'A registry change seen through a subtree watch is reported with CLUSTER_CHANGE_REGISTRY_SUBTREE added to dwFilter.',
    trips: trips(
      'x.66: forbidden CLUSTER_CHANGE values never returned',
      '2.2.2.7: one CLUSTER_CHANGE value per indication',
      '2.2.2.7: REGISTRY_SUBTREE is client-only',
    ),
    override: { reportedFilter: (event, throughSubtree) => (throughSubtree ? event.bit | CLUSTER_CHANGE.REGISTRY_SUBTREE : event.bit) },
  },
  {
    name: 'v2-quorum-state',
    description: 'A protocol version 2 server posts CLUSTER_CHANGE_QUORUM_STATE, which version 2.0 does not support.',
    trips: trips('2.2.2.7: v2 servers do not support QUORUM_STATE'),
    override: { postsQuorumState: () => true },
  },
  {
    name: 'v2-read-access',
    description: 'A protocol version 2 server serves a client that has only Read access instead of refusing it.',
    trips: trips(
      '3.1.4.1: every method requires All',
      '3.1.4.1: client without All gets ERROR_ACCESS_DENIED',
      '3.1.4.1: version 2 has only access level All',
      '3.1.4.1: access level from the cluster SD',
      '3.1.4.1: SD without All gives ERROR_ACCESS_DENIED',
    ),
    override: { acceptAccess: () => true },
  },
  {
    name: 'v2-timeout-fault',
    description: 'Protocol version 2: an expired GetNotify timer completes ApiGetNotify with an RPC fault (RPC_S_CALL_FAILED_DNE) instead of WAIT_TIMEOUT.',
    // Every version 2 proof of absence meets it: none may PASS "no further event" on a fault.
    trips: trips(
      '3.1.4.1.66: expired Timeout gives WAIT_TIMEOUT',
      '3.1.4.1.66: no indication before expiry gives WAIT_TIMEOUT',
      '3.1.4.1.66: Timeout starts the GetNotify timer',
      '3.1.5.4: expiry completes the call with WAIT_TIMEOUT',
    ),
    override: { expiredTimerFault: 0x6bf },
  },
  {
    name: 'deletion-skips-own-registration',
    description: 'Deleting an object drops the registrations made on that object before its *_DELETED is posted: only cluster-wide registrations see the deletion.',
    trips: trips(...each([59, 60, 61, 90, 99], designated)),
    override: { deletionReachesObjectRegistrations: false },
  },
  {
    name: 'port-table-64',
    description: 'The server offers each event to its 64 oldest live ports only: a 65th port registers fine but never receives anything.',
    trips: trips(...each([60], designated)),
    override: { portTableSize: 64 },
  },
  {
    name: 'unblock-closes-port',
    description: 'ApiUnblockGetNotifyCall releases the pending reads and then frees the port, as if it were ApiCloseNotify: its handle is invalid from then on.',
    trips: trips('x.66: blocks until an indication or a close', 'x.107: pending ApiGetNotify calls completed'),
    override: { unblockClosesPort: true },
  },
  {
    name: 'port2-merge-registrations',
    description: 'On a version 2 port, an event that matches several registrations is queued once, for the first of them only.',
    trips: trips("3.1.4.2.137: dwNotifyKey returned with the object's events", "3.1.4.2.138: dwNotifyKey is the matching registration's key"),
    override: { selectRegistrationsV2: (matching) => matching.slice(0, 1) },
  },
  {
    name: 'port2-all-flags',
    description: "A version 2 notification carries every flag its registration asked for in FilterFlags, not the one flag of the event.",
    trips: trips(
      '3.1.4.2.138: group events fill NOTIFICATION_DATA_RPC per table',
      '3.1.1.8: v2 indication carries a per-type event value',
      // A registration holding REGISTRY_SUBTREE_V2 gets it back: a flag the server never returns.
      '3.1.4.2.138: client-only V2 flags never returned',
    ),
    override: { reportedFlagsV2: (event, registration) => registration.FilterFlags & validV2Flags(event.dwObjectType) },
  },
  {
    name: 'port2-group-parent',
    description: "A version 2 group event carries the group's own ID as ParentId instead of its hosting node's.",
    trips: trips('3.1.4.2.138: group events fill NOTIFICATION_DATA_RPC per table'),
    override: { notificationDataV2: (event) => (event.dwObjectType === CLUSTER_OBJECT_TYPE.GROUP ? { ...event.data, ParentId: event.data.ObjectId } : event.data) },
  },
  {
    name: 'port2-subtree-flag',
    description: 'A registry change seen through REGISTRY_SUBTREE_V2 is reported with CLUSTER_CHANGE_REGISTRY_SUBTREE_V2 added to FilterFlags, a flag the server never returns.',
    trips: trips('3.1.4.2.138: client-only V2 flags never returned', '3.1.4.2.138: only registered event types returned'),
    override: { reportedFlagsV2: (event, _registration, throughSubtree) => BigInt(event.flag) | (throughSubtree ? BigInt(CLUSTER_CHANGE_REGISTRY_V2.SUBTREE) : 0n) },
  },
  {
    name: 'port2-any-version',
    description: 'ApiAddNotifyV2 accepts any dwVersion, not only 2.',
    trips: trips('3.1.4.2.137: invalid dwVersion gives ERROR_INVALID_PARAMETER'),
    override: { checksDwVersion: false },
  },
  {
    name: 'port2-any-object-type',
    description: 'ApiAddNotifyV2 accepts an object type outside CLUSTER_OBJECT_TYPE (and registers it against the cluster).',
    trips: trips('3.1.4.2.137: invalid object type gives ERROR_INVALID_PARAMETER'),
    override: { checksObjectType: false },
  },
  {
    name: 'port2-no-wait',
    description: 'ApiGetNotifyV2 on a version 2 port with nothing queued completes at once with ERROR_SUCCESS and no notification.',
    trips: trips('3.1.4.2.138: blocks until an indication or a close'),
    override: { blocksOnEmptyV2: false },
  },
  {
    name: 'port2-unblock-ignored',
    description: 'ApiUnblockGetNotifyCall succeeds on a version 2 port but leaves its pending ApiGetNotifyV2 blocked.',
    trips: trips('3.1.4.2.107: pending ApiGetNotifyV2 calls completed', '3.1.1.8: closing a v2 port includes unblocking'),
    override: { unblockReleasesV2: false },
  },
  {
    name: 'only-first-node-serves',
    description: 'Only the first node of the cluster serves clients: every other active node refuses every method with ERROR_CLUSTER_NODE_NOT_READY.',
    trips: trips('x: active node accepts initialized clients', 'x: active node accepts valid clients', '3.1.1: active node serves valid clients'),
    override: { servesFromNode: (nodeIndex: number) => nodeIndex === 0 },
  },
  {
    name: 'sequence-per-node',
    description: 'Each node keeps state sequences of its own: a registration through any node but the first returns a value 1000 above the cluster\'s.',
    trips: trips('3.1.1.8: state value is consistent on all active nodes'),
    override: { sequenceOnNode: (sequence: number, nodeIndex: number) => (nodeIndex === 0 ? sequence : sequence + 1000) },
  },
  {
    name: 'node-loss-unreported',
    description: 'A lost node (NodeDown) keeps the state Up: its connections drop, but the other nodes report it as up and post no NODE_STATE.',
    trips: trips('x.69: node state follows cluster events'),
    override: { nodeLossChangesState: false },
  },
  {
    name: 'gone-object-registered',
    description: 'A registration through a live handle whose object (or registry key) has since been deleted succeeds, registering by name, instead of failing with a code outside the table.',
    trips: trips(...each(OBJECT_REGISTRATIONS, () => 'other failures use unlisted codes'), '3.1.4.2.137: other failures use unlisted codes'),
    override: { refuseGoneObjects: false },
  },
  {
    name: 'gone-object-state',
    description: 'ApiGetNodeState, ApiGetNetworkState and ApiGetNetInterfaceState through a handle whose object has since been deleted return ERROR_SUCCESS (with an Unknown state).',
    trips: trips(...each([69, 83, 94], () => 'other failures use unlisted codes')),
    override: { failGoneObjectState: false },
  },
  {
    name: 'port2-early-events',
    description: 'A version 2 port with no registration yet receives every event (key 0) instead of nothing.',
    trips: trips('3.1.4.2.136: nothing queued before the first filter', '3.2.4.5.2: no events before the first filter'),
    override: { queueWithoutRegistrationsV2: true },
  },
  {
    name: 'links-ignored',
    description: 'Link-level failures (an interface unplugged, a path between two interfaces cut) change no interface or network state.',
    trips: trips(
      'x.94: State matches connectivity and node state',
      'x.94: server detects interface state changes',
      "x.83: State matches the interfaces' states",
      'x.83: network state derived from its interfaces',
      'x.83: network state may change on interface failure',
    ),
    override: { detectsLinkFailures: false },
  },
  {
    name: 'node-activity-ignored',
    description: 'A node that stops being active (or is paused) keeps reporting ClusterNodeUp, and its interfaces keep their states.',
    // Its interfaces stay up too: the unavailable rule of 3.1.4.x.94 is broken with it.
    trips: trips('x.69: State reflects node activity', 'x.94: State matches connectivity and node state'),
    override: { followsNodeActivity: false },
  },
  {
    name: 'read-access-changes-cluster',
    description: 'A client whose access level is only Read may call the methods that change the cluster (they ask for All), directly and through the handles it opened.',
    trips: trips(
      '3.1.4.2: three ordered access levels',
      '3.1.4.2: excess access request gives ERROR_ACCESS_DENIED',
      '3.1.4.2: All denied by SD gives ERROR_ACCESS_DENIED',
      '3.1.4.2: per-method access level required',
      '3.1.4.2: Read allowed by SD is granted',
      '3.1.4.2: object handles record the granted level',
      '3.1.4.2: handle level validated on use',
      '3.1.4.2: insufficient handle level gives ERROR_ACCESS_DENIED',
    ),
    override: { acceptChangeAt: () => true },
  },
  {
    name: 'change-in-read-only',
    description: 'In the read-only protocol server state a method that changes the cluster is carried out instead of failing with ERROR_SHARING_PAUSED.',
    trips: trips(
      '3.1.1: server keeps a protocol server state',
      '3.1.1: state Read-Only accepts only non-modifying requests',
      'x: method beyond server state not accepted',
      'x: ERROR_SHARING_PAUSED beyond server state',
    ),
    override: { acceptChangeInReadOnly: true },
  },
  {
    name: 'descriptor-ignored',
    description: 'The cluster security descriptor is never consulted: each principal keeps the level it started with, even once the descriptor grants it nothing or more.',
    trips: trips(
      '2.1: calls only by principals the cluster SD permits',
      '3.1.3: cluster SD decides who may call',
      '3.1.3: permission validated before any method',
      '3.1.3: unpermitted client gets a nonzero error',
      '3.1.4.2: level from cluster SD and backup privilege',
      '3.1.4.2: All allowed by SD is granted',
      '3.1.4.2: Read denied by SD gives ERROR_ACCESS_DENIED',
      '3.1.4.2: no object handle below Read',
      '3.1.4.2: handle-less methods check access per call',
      '3.1.4.2: handle-less insufficient access gives ACCESS_DENIED',
    ),
    override: { honoursClusterSecurity: false },
  },
  {
    name: 'node-server-state-shared',
    description: 'The server keeps one protocol server state for the whole cluster: setting one node read-only makes every node read-only.',
    trips: trips('x: node maintains its protocol server state'),
    override: { serverStatePerNode: false },
  },
  {
    name: 'shutdown-node-not-ready',
    description: 'A version 2 node no longer active because its computer is shutting down refuses a change with ERROR_CLUSTER_NODE_NOT_READY instead of the shutdown codes.',
    trips: trips('3.1.4.1: shutdown gives ERROR_SHUTDOWN_IN_PROGRESS codes'),
    override: { shutdownRefusal: () => ERROR.CLUSTER_NODE_NOT_READY },
  },
  {
    name: 'inactive-node-changes',
    description: 'A node that runs the cluster software but is no longer active carries out a change of the cluster instead of refusing it.',
    // A node whose computer is shutting down is such a node too: it carries that change out as well.
    trips: trips('x: non-active node gives NODE_NOT_READY codes', '3.1.4.1: shutdown gives ERROR_SHUTDOWN_IN_PROGRESS codes'),
    override: { inactiveNode: { servesReads: true, changeRefusal: undefined } },
  },
  {
    name: 'inactive-node-refuses-reads',
    description: 'A node that runs the cluster software but is no longer active refuses every request with ERROR_CLUSTER_NODE_NOT_READY, reads too.',
    trips: trips('x: non-active node accepts non-modifying requests'),
    override: { inactiveNode: { servesReads: false, changeRefusal: ERROR.CLUSTER_NODE_NOT_READY } },
  },
  {
    name: 'management-state-unannounced',
    description: 'A state change made through a management method (ApiOfflineGroup, ApiOnlineResource, ApiPauseNode, ...) happens but posts no indication; a control adapter\'s changes are announced as usual.',
    trips: trips('2.2.2.7: GROUP_STATE reports a group state change', '2.2.2.7: RESOURCE_STATE reports a resource state change'),
    override: { managementPostsState: false },
    inband: true,
  },
  {
    name: 'management-property-unannounced',
    description: 'A property set through Api*Control (CLUSCTL_*_SET_COMMON_PROPERTIES) changes but posts no indication; a control adapter\'s changes are announced as usual.',
    trips: trips('2.2.2.7: GROUP_PROPERTY reports property change or resource moved'),
    override: { managementPostsProperty: false },
    inband: true,
  },
];

/** The mutant list as the CLI shows it (reference/mutants/index.ts): name, description, trips. */
export const MUTANTS: readonly Mutant[] = MUTANT_DEFINITIONS.map(({ name, description, trips, inband }) => ({ name, description, trips, ...(inband ? { inband } : {}) }));

export const MUTANT_NAMES: readonly string[] = MUTANT_DEFINITIONS.map((m) => m.name);

/** The override of a named mutant; throws, listing the valid names, for an unknown one. */
export function mutantOverride(name: string): BehaviourOverride {
  const mutant = MUTANT_DEFINITIONS.find((m) => m.name === name);
  if (!mutant) throw new Error(`unknown mutant '${name}'; valid mutants: ${MUTANT_NAMES.join(', ')}`);
  return mutant.override;
}
