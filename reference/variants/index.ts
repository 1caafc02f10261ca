// Variants: the dual of mutants. Each is the reference server making another choice the spec leaves
// open (a reading the catalogue records in an ambiguity, or a value left to the server), as one small
// override of the server's Behaviour (reference/rules/behaviour.ts). A correct suite gives every variant
// zero FAIL; a variant that departs from a SHOULD on purpose declares the clauses it may make NON-STRICT.
// A variant applies to both protocol versions unless `versions` says otherwise.
import { CLUSTER_CHANGE, ERROR, type ProtocolVersion } from '../../cmrp/constants';
import { REFERENCE_BEHAVIOUR, type BehaviourOverride } from '../rules/behaviour';
import { NCA_S_FAULT_CONTEXT_MISMATCH } from '../rules/codes';
import { scopeContains } from '../rules/filter';

/** A clause named like a mutant's trip: its section and its catalogue title. */
export interface ClauseName {
  readonly section: string;
  readonly title: string;
}

export interface VariantDefinition {
  readonly name: string;
  readonly description: string;
  /** The catalogue clauses whose open reading (or unspecified value) the variant takes. */
  readonly readings: readonly ClauseName[];
  /** SHOULD clauses the variant departs from on purpose: NON-STRICT is expected there, nowhere else. */
  readonly nonStrict: readonly ClauseName[];
  readonly versions: readonly ProtocolVersion[];
  readonly override: BehaviourOverride;
}

const BOTH: readonly ProtocolVersion[] = [2, 3];

/** The v2 and v3 sections of one method minor number, under one title. */
function both(minor: number, title: string): ClauseName[] {
  return [1, 2].map((v) => ({ section: `3.1.4.${v}.${minor}`, title }));
}

const STATELESS_COUNTERS = new Set(['node', 'network', 'netInterface']);

export const VARIANT_DEFINITIONS: readonly VariantDefinition[] = [
  {
    name: 'close-release-no-more-items',
    description: 'An ApiGetNotify released by ApiCloseNotify completes with ERROR_NO_MORE_ITEMS (the port has been closed); one released by ApiUnblockGetNotifyCall still gets ERROR_INVALID_FUNCTION.',
    readings: both(66, 'unblock or close elsewhere gives ERROR_INVALID_FUNCTION'),
    nonStrict: [],
    versions: BOTH,
    override: { closeReleasedStatus: ERROR.NO_MORE_ITEMS },
  },
  {
    name: 'unblock-ends-retrieval',
    description: 'ApiUnblockGetNotifyCall closes the port for retrieval: later ApiGetNotify calls complete at once with ERROR_NO_MORE_ITEMS; ApiCloseNotify still succeeds.',
    readings: [...both(107, 'pending ApiGetNotify calls completed'), { section: '3.1.1.8', title: 'closing a v1 port includes unblocking' }],
    nonStrict: [],
    versions: BOTH,
    override: { afterUnblock: ERROR.NO_MORE_ITEMS },
  },
  {
    name: 'unblock-ends-retrieval-invalid-function',
    description: 'ApiUnblockGetNotifyCall closes the port for retrieval: later ApiGetNotify calls complete at once with ERROR_INVALID_FUNCTION.',
    readings: both(107, 'pending ApiGetNotify calls completed'),
    nonStrict: [],
    versions: BOTH,
    override: { afterUnblock: ERROR.INVALID_FUNCTION },
  },
  {
    name: 'stale-handle-fault',
    description: 'A fabricated or closed context handle is rejected by the RPC runtime with nca_s_fault_context_mismatch before the method runs (a live handle of the wrong type still gets ERROR_INVALID_HANDLE).',
    readings: [...both(57, 'invalid hNotify gives ERROR_INVALID_HANDLE'), { section: '3.1.4.2', title: 'no exceptions besides RPC runtime ones' }],
    nonStrict: [],
    versions: BOTH,
    override: { staleHandleFault: NCA_S_FAULT_CONTEXT_MISMATCH },
  },
  {
    name: 'catch-up-when-current',
    description: 'ApiReAddNotify* posts the catch-up *_STATE indication even when StateSequence is current.',
    readings: both(64, 'catch-up GROUP_STATE on differing StateSequence'),
    nonStrict: [],
    versions: BOTH,
    override: { catchUpNeeded: () => true },
  },
  {
    name: 'sequence-is-state',
    description: 'The "internal state" a node, network or net interface registration reports and a ReAdd compares is the state code itself; groups and resources keep counters.',
    readings: [...both(99, "returns the interface's StateSequence")],
    nonStrict: [],
    versions: BOTH,
    override: {
      initialSequence: (type, state) => (STATELESS_COUNTERS.has(type) ? state : 0),
      nextSequence: (type, current, state) => (STATELESS_COUNTERS.has(type) ? state : (current + 1) >>> 0),
    },
  },
  {
    name: 'netinterface-spec-numbering',
    description: "Interface states are numbered by the spec's table in 3.1.4.x.94 (Failed 0, Unreachable 1, Unavailable 2, Up 3), in ApiGetNetInterfaceState, in SetState and in version 2 payloads, not by the Windows enumeration.",
    readings: [...both(94, 'State matches connectivity and node state'), ...both(94, 'State set to a listed value on success')],
    nonStrict: [],
    versions: BOTH,
    override: { netInterfaceNumbering: 'spec-table' },
  },
  {
    name: 'sequence-steps-and-wraps',
    description: 'State sequences of groups and resources grow by 7 per transition; those of nodes, networks and net interfaces start just below 2^32 and wrap around.',
    readings: [...both(46, 'state sequence incremented on each transition'), ...both(64, 'catch-up GROUP_STATE on differing StateSequence')],
    nonStrict: [],
    versions: BOTH,
    override: {
      initialSequence: (type) => (STATELESS_COUNTERS.has(type) ? 0xfffffffe : 0),
      nextSequence: (type, current) => (current + (STATELESS_COUNTERS.has(type) ? 1 : 7)) >>> 0,
    },
  },
  {
    name: 'same-state-silent',
    description: 'A SetState to the value an object already has is no transition: no *_STATE indication, no change of its state sequence.',
    readings: both(46, 'state sequence incremented on each transition'),
    nonStrict: [],
    versions: BOTH,
    override: { sameStateIsTransition: false },
  },
  {
    name: 'group-drives-resources',
    description: 'A group brought online or taken offline directly takes its resources along, each with its own RESOURCE_STATE and state sequence change.',
    readings: both(46, 'some online resources make ClusterGroupPartialOnline'),
    nonStrict: [],
    versions: BOTH,
    override: { groupDrivesResources: true },
  },
  {
    name: 'registry-name-absolute',
    description: 'Registry events carry the changed key as a path that starts with the cluster name.',
    readings: [...both(66, "Name is the event's object name"), ...both(62, 'key, security and values monitored')],
    nonStrict: [],
    versions: BOTH,
    override: { registryEventName: (path, cluster) => [cluster, ...path].join('\\') },
  },
  {
    name: 'registry-name-leaf',
    description: 'Registry events carry only the changed key\'s own name (empty for the root).',
    readings: both(58, 'registry filters watch the root key'),
    nonStrict: [],
    versions: BOTH,
    override: { registryEventName: (path) => path[path.length - 1] ?? '' },
  },
  {
    name: 'cluster-event-empty-name',
    description: 'Events about the cluster itself (CLUSTER_PROPERTY) carry an empty Name.',
    readings: [...both(66, "Name is the event's object name"), ...both(66, 'empty Name when no name applies')],
    nonStrict: [],
    versions: BOTH,
    override: { clusterEventName: () => '' },
  },
  {
    name: 'move-posts-state',
    description: 'A resource moved to another group is also reported as RESOURCE_STATE (carrying its raised state sequence).',
    readings: both(26, 'state sequence incremented on a move'),
    nonStrict: [],
    versions: BOTH,
    override: { movePostsState: true },
  },
  {
    name: 'registrations-end-with-handle',
    description: 'Closing the object, key or cluster handle a registration was made with ends that registration.',
    readings: [{ section: '2.2.2.7', title: 'HANDLE_CLOSE is client-only' }],
    nonStrict: [],
    versions: BOTH,
    override: { dropRegistrationsOnHandleClose: true },
  },
  {
    name: 'reverse-filter-order',
    description: 'The indications one change queues for several matching filters of a port come in reverse registration order.',
    readings: [{ section: '3.1.1.8', title: 'port is a FIFO queue' }],
    nonStrict: [],
    versions: BOTH,
    override: { selectFilters: (matching) => [...matching].reverse() },
  },
  {
    name: 'direct-subkey-name',
    description: 'Creating or deleting a direct subkey is reported (REGISTRY_NAME) to a watcher of its parent without a subtree watch, and to cluster-wide registry filters for keys right under the root.',
    readings: [...both(62, 'key, security and values monitored'), ...both(58, 'registry filters watch the root key')],
    nonStrict: [],
    versions: BOTH,
    override: {
      scopeContains: (scope, dwFilter, subject, bit) => {
        if (REFERENCE_BEHAVIOUR.scopeContains(scope, dwFilter, subject, bit)) return true;
        if (bit !== CLUSTER_CHANGE.REGISTRY_NAME || subject.kind !== 'registry') return false;
        if (scope.kind === 'cluster') return subject.path.length === 1;
        return scope.kind === 'key' && subject.path.length === scope.path.length + 1 && scopeContains({ ...scope, watchSubTree: true }, dwFilter, subject);
      },
    },
  },
  {
    name: 'read-only-refuses-unblock',
    description: 'In the read-only server state ApiUnblockGetNotifyCall fails with ERROR_SHARING_PAUSED (no row says it is processed there).',
    readings: [{ section: '3.1.1', title: 'state Read-Only accepts only non-modifying requests' }],
    nonStrict: [{ section: '3.1.1', title: 'state Read-Only accepts only non-modifying requests' }],
    versions: BOTH,
    override: { acceptInReadOnly: (method, version) => method !== 'ApiUnblockGetNotifyCall' && REFERENCE_BEHAVIOUR.acceptInReadOnly(method, version) },
  },
  {
    name: 'read-only-refuses-open',
    description:
      'In the read-only server state ApiOpenCluster, ApiOpen<Object>, ApiGetRootKey and ApiOpenKey fail with ERROR_SHARING_PAUSED: each method only SHOULD be accepted there (none of those sentences is a clause of the notification catalogue).',
    readings: [],
    nonStrict: [],
    versions: BOTH,
    override: { acceptOpenInReadOnly: false },
  },
  {
    name: 'v2-no-unblock',
    description: 'A protocol version 2 server without ApiUnblockGetNotifyCall: the call fails with RPC_S_PROCNUM_OUT_OF_RANGE.',
    readings: [{ section: '3.1.4.1.107', title: 'pending ApiGetNotify calls completed' }],
    nonStrict: [{ section: '3.1.4.1.107', title: 'pending ApiGetNotify calls completed' }],
    versions: [2],
    override: { implementsUnblock: (version) => version !== 2 },
  },
  {
    name: 'v2-refuse-quorum-filter',
    description: 'A protocol version 2 server refuses a registration whose filter holds CLUSTER_CHANGE_QUORUM_STATE with ERROR_INVALID_PARAMETER.',
    readings: [{ section: '2.2.2.7', title: 'v2 servers do not support QUORUM_STATE' }],
    nonStrict: [],
    versions: [2],
    override: { refuseFilter: (dwFilter, version) => (version === 2 && (dwFilter & CLUSTER_CHANGE.QUORUM_STATE) !== 0 ? ERROR.INVALID_PARAMETER : undefined) },
  },
  {
    name: 'v3-no-reconnect',
    description: 'A protocol version 3 server that loses queued indications does not report CLUSTER_RECONNECT (the 3.1.4.2.66 SHOULD not kept).',
    readings: [{ section: '2.2.2.7', title: 'server CLUSTER_RECONNECT means events were dropped' }],
    nonStrict: [
      { section: '3.1.4.2.66', title: 'CLUSTER_RECONNECT reported after lost indications' },
      { section: '2.2.2.7', title: 'server CLUSTER_RECONNECT means events were dropped' },
    ],
    versions: [3],
    override: { reconnectAfterLoss: () => false },
  },
];

export const VARIANT_NAMES: readonly string[] = VARIANT_DEFINITIONS.map((v) => v.name);

/** The override of a named variant; throws, listing the valid names, for an unknown one. */
export function variantOverride(name: string): BehaviourOverride {
  const variant = VARIANT_DEFINITIONS.find((v) => v.name === name);
  if (!variant) throw new Error(`unknown variant '${name}'; valid variants: ${VARIANT_NAMES.join(', ')}`);
  return variant.override;
}
