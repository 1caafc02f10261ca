// Every clause the model's predictions embody, by clause name ("x.66: <title>", cmrp/clause-name.ts).
// Kept in one place so a test can prove each name resolves in the catalogue, coverage can credit the
// property runs with what they resolve to (harness/coverage), and a reader sees at a glance what the
// model claims to know.
import type { ControlVerb } from '../../cmrp/control';
import { CLUSTER_OBJECT_TYPE as OT } from '../../cmrp/constants';
import { ref, type ClauseRef } from './clauses';
import { TABLE } from './refs-v2';
import type { ObjectKind, RegistrationMethod } from './types';

/** The registrations' common rows, for a method section ('x.58', 'x.64', ...). */
export function registrationRefs(section: string) {
  return {
    success: ref(`${section}: ERROR_SUCCESS on success`),
    readWrite: ref(`${section}: accepted in read/write state`),
    readOnly: ref(`${section}: accepted in read-only state`),
    perFilter: ref(`${section}: one event per matching filter`),
    badNotify: ref(`${section}: invalid hNotify gives ERROR_INVALID_HANDLE`),
  };
}

export const CREATE = {
  success: ref('x.56: ERROR_SUCCESS on success'),
  handle: ref('x.56: valid handle returned on success'),
  queue: ref('x.56: port gets a queue for indications'),
  nothingBeforeFilter: ref('x.56: nothing queued before the first filter'),
  readWrite: ref('x.56: accepted in read/write state'),
  /** Version 3: SHOULD. */
  readOnly: ref('x.56: accepted in read-only state'),
  /** Version 2: refused in read-only. */
  onlyReadWrite: ref('x.56: accepted only in read/write state'),
  nullOnFailure: ref('x.56: NULL handle returned on failure'),
  beyondState: ref('x: method beyond server state not accepted'),
  sharingPaused: ref('x: ERROR_SHARING_PAUSED beyond server state'),
  clientNoEvents: ref('3.2.4.5.1: no events before the first filter'),
} as const;

export const CLOSE = {
  frees: ref("x.57: frees the port's context"),
  completes: ref('x.57: outstanding ApiGetNotify calls completed'),
  nulls: ref('x.57: handle set to NULL on success'),
  success: ref('x.57: ERROR_SUCCESS on success'),
  badNotify: ref('x.57: invalid hNotify gives ERROR_INVALID_HANDLE'),
  readWrite: ref('x.57: accepted in read/write state'),
  readOnly: ref('x.57: accepted in read-only state'),
  unblocks: ref('3.1.1.8: closing a v1 port includes unblocking'),
} as const;

export const CLUSTER = {
  ...registrationRefs('x.58'),
  everyObject: ref('x.58: events for every object of the cluster'),
  rootKey: ref('x.58: registry filters watch the root key'),
  subtree: ref('x.58: REGISTRY_SUBTREE covers the whole tree'),
  underSubkeys: ref('x.58: changes under subkeys reported'),
  key: ref("x.58: dwNotifyKey returned with the cluster's events"),
  badObject: ref('x.58: invalid hCluster gives ERROR_INVALID_HANDLE'),
} as const;

export const KEY = {
  ...registrationRefs('x.62'),
  only: ref('x.62: events only for the designated key'),
  monitored: ref('x.62: key, security and values monitored'),
  subtree: ref('x.62: WatchSubTree extends to subkeys'),
  perChange: ref('x.62: one event per detected subtree change'),
  key: ref("x.62: dwNotifyKey returned with the key's events"),
  badObject: ref('x.62: invalid hKey gives ERROR_INVALID_HANDLE'),
} as const;

export interface ObjectRegistrationRefs {
  add: ReturnType<typeof registrationRefs> & { only: ClauseRef; key: ClauseRef; sequence: ClauseRef; badObject: ClauseRef };
  reAdd: ReturnType<typeof registrationRefs> & { only: ClauseRef; key: ClauseRef; catchUp: ClauseRef; badObject: ClauseRef };
}

function objectRefs(add: string, reAdd: string, noun: string, addPossessive: string, reAddPossessive: string, param: string, stateName: string): ObjectRegistrationRefs {
  return {
    add: {
      ...registrationRefs(add),
      only: ref(`${add}: events only for the designated ${noun}`),
      key: ref(`${add}: dwNotifyKey returned with the ${addPossessive} events`),
      sequence: ref(`${add}: returns the ${addPossessive} StateSequence`),
      badObject: ref(`${add}: invalid ${param} gives ERROR_INVALID_HANDLE`),
    },
    reAdd: {
      ...registrationRefs(reAdd),
      only: ref(`${reAdd}: events only for the designated ${noun}`),
      key: ref(`${reAdd}: dwNotifyKey returned with the ${reAddPossessive} events`),
      catchUp: ref(`${reAdd}: catch-up ${stateName} on differing StateSequence`),
      badObject: ref(`${reAdd}: invalid ${param} gives ERROR_INVALID_HANDLE`),
    },
  };
}

export const OBJECT: Readonly<Record<ObjectKind, ObjectRegistrationRefs>> = {
  node: objectRefs('x.59', 'x.63', 'node', "node's", "node's", 'hNode', 'NODE_STATE'),
  group: objectRefs('x.60', 'x.64', 'group', "group's", "group's", 'hGroup', 'GROUP_STATE'),
  resource: objectRefs('x.61', 'x.65', 'resource', "resource's", "resource's", 'hResource', 'RESOURCE_STATE'),
  network: objectRefs('x.90', 'x.91', 'network', "network's", "network's", 'hNetwork', 'NETWORK_STATE'),
  netInterface: objectRefs('x.99', 'x.100', 'net interface', "interface's", "net interface's", 'hNetInterface', 'NETINTERFACE_STATE'),
};

export const GET = {
  first: ref('x.66: returns the first queued indication'),
  blocks: ref('x.66: blocks until an indication or a close'),
  forbidden: ref('x.66: forbidden CLUSTER_CHANGE values never returned'),
  reconnect: ref('x.66: CLUSTER_RECONNECT reported after lost indications'),
  readWrite: ref('x.66: accepted in read/write state'),
  readOnly: ref('x.66: accepted in read-only state'),
  key: ref("x.66: dwNotifyKey is the matching registration's key"),
  type: ref('x.66: dwFilter names the event type'),
  matches: ref('x.66: dwFilter matches a registered filter'),
  sequence: ref('x.66: dwStateSequence returned with the indication'),
  name: ref("x.66: Name is the event's object name"),
  success: ref('x.66: ERROR_SUCCESS on success'),
  badNotify: ref('x.66: invalid hNotify gives ERROR_INVALID_HANDLE'),
  closedPort: ref('x.66: closed port gives ERROR_NO_MORE_ITEMS'),
  released: ref('x.66: unblock or close elsewhere gives ERROR_INVALID_FUNCTION'),
  /** Version 2 only: the GetNotify timer. */
  timerStarts: ref('x.66: Timeout starts the GetNotify timer'),
  noIndication: ref('x.66: no indication before expiry gives WAIT_TIMEOUT'),
  expired: ref('x.66: expired Timeout gives WAIT_TIMEOUT'),
  timerPerCall: ref('3.1.5.4: GetNotify timer starts with each call'),
  expiry: ref('3.1.5.4: expiry completes the call with WAIT_TIMEOUT'),
  bounds: ref('3.1.2.4: timer bounds the wait for an event'),
} as const;

export const UNBLOCK = {
  /** SHOULD in version 2, descriptive in version 3. */
  completes: ref('x.107: pending ApiGetNotify calls completed'),
  success: ref('x.107: ERROR_SUCCESS on success'),
  badNotify: ref('x.107: invalid hNotify gives ERROR_INVALID_HANDLE'),
} as const;

export const PORT = {
  fifo: ref('3.1.1.8: port is a FIFO queue'),
  carriesType: ref('3.1.1.8: v1 indication carries its CLUSTER_CHANGE type'),
  carriesName: ref("3.1.1.8: v1 indication carries the object's name"),
  carriesState: ref('3.1.1.8: v1 indication carries a state value for stateful objects'),
  carriesContext: ref("3.1.1.8: v1 indication carries the client's context value"),
  manyFilters: ref('3.1.1.8: port accepts one or more filters'),
  classOrObject: ref('3.1.1.8: filter targets a class of objects or one object'),
  contextBack: ref('3.1.1.8: context value comes back with matching indications'),
  currentState: ref("3.1.1.8: v1 indication carries the object's current state value"),
  head: ref('3.1.1.8: v1 retrieval takes the head of the queue'),
} as const;

export const CHANGE = {
  oneValue: ref('2.2.2.7: one CLUSTER_CHANGE value per indication'),
  reserved: ref('2.2.2.7: no reserved CLUSTER_CHANGE values'),
  subtreeClientOnly: ref('2.2.2.7: REGISTRY_SUBTREE is client-only'),
  subtreeWidens: ref('2.2.2.7: REGISTRY_SUBTREE widens registry watching to the subtree'),
  clusterStateClientOnly: ref('2.2.2.7: CLUSTER_STATE is client-only'),
  handleCloseClientOnly: ref('2.2.2.7: HANDLE_CLOSE is client-only'),
  reconnectDropped: ref('2.2.2.7: server CLUSTER_RECONNECT means events were dropped'),
  v2NoQuorum: ref('2.2.2.7: v2 servers do not support QUORUM_STATE'),
} as const;

/** The 2.2.2.7 row that says what each CLUSTER_CHANGE value a server posts reports. */
export const BIT_MEANING: Readonly<Record<number, ClauseRef>> = {
  0x00000001: ref('2.2.2.7: NODE_STATE reports a node state change'),
  0x00000008: ref('2.2.2.7: NODE_PROPERTY reports a node property change'),
  0x00000010: ref('2.2.2.7: REGISTRY_NAME reports a key created or deleted'),
  0x00000020: ref('2.2.2.7: REGISTRY_ATTRIBUTES reports a key security change'),
  0x00000040: ref('2.2.2.7: REGISTRY_VALUE reports a value changed or deleted'),
  0x00000100: ref('2.2.2.7: RESOURCE_STATE reports a resource state change'),
  0x00000800: ref('2.2.2.7: RESOURCE_PROPERTY reports property, dependency or owner change'),
  0x00001000: ref('2.2.2.7: GROUP_STATE reports a group state change'),
  0x00002000: ref('2.2.2.7: GROUP_DELETED reports a group deleted'),
  0x00004000: ref('2.2.2.7: GROUP_ADDED reports a group created'),
  0x00008000: ref('2.2.2.7: GROUP_PROPERTY reports property change or resource moved'),
  0x00010000: ref('2.2.2.7: RESOURCE_TYPE_DELETED reports a resource type deleted'),
  0x00020000: ref('2.2.2.7: RESOURCE_TYPE_ADDED reports a resource type created'),
  0x00100000: ref('2.2.2.7: NETWORK_STATE reports a network state change'),
  0x00200000: ref('2.2.2.7: NETWORK_DELETED reports a network removed'),
  0x00400000: ref('2.2.2.7: NETWORK_ADDED reports a network added'),
  0x00800000: ref('2.2.2.7: NETWORK_PROPERTY reports a network property change'),
  0x01000000: ref('2.2.2.7: NETINTERFACE_STATE reports an interface state change'),
  0x08000000: ref('2.2.2.7: NETINTERFACE_PROPERTY reports an interface property change'),
  0x10000000: ref('2.2.2.7: QUORUM_STATE reports a quorum configuration change'),
  0x40000000: ref('2.2.2.7: CLUSTER_PROPERTY reports a cluster property change'),
};

/** Every reference above, for the test that proves each one resolves. */
export function allRefs(): ClauseRef[] {
  const out: ClauseRef[] = [];
  const walk = (v: unknown): void => {
    if (v && typeof v === 'object') {
      if ('section' in v && 'title' in v) out.push(v as ClauseRef);
      else Object.values(v).forEach(walk);
    }
  };
  walk([CREATE, CLOSE, CLUSTER, KEY, OBJECT, GET, UNBLOCK, PORT, CHANGE, BIT_MEANING, ACCESS_V2]);
  return out;
}

/**
 * Rows the model judges only when the server takes one path of several the spec allows, so a correct
 * server that takes another never shows them: the property judges them when they happen but does not
 * claim to reach them (tools/property-sweep.ts --hits holds the claim to at least 95 % of the seeds).
 * - In version 3 every notification method SHOULD be accepted in the read-only state and no listed
 *   condition makes ApiCreateNotify fail, so its failure rows appear only on a server that refuses.
 * - A read ended by ApiCloseNotify may complete with ERROR_INVALID_FUNCTION or ERROR_NO_MORE_ITEMS.
 */
export const READING_DEPENDENT: Readonly<Record<2 | 3, readonly ClauseRef[]>> = {
  2: [GET.closedPort],
  3: [GET.closedPort, CREATE.nullOnFailure, CREATE.beyondState, CREATE.sharingPaused],
};

/**
 * Rows only some control verbs can make a server show (the event they describe has no other cause the
 * property stirs): a target that offers none of the verbs cannot show them, so the property does not
 * claim them there and reports them NOT-TESTED naming the verbs (harness/property/runner.ts).
 */
export const ONLY_THROUGH: readonly { refs: readonly ClauseRef[]; verbs: readonly ControlVerb[] }[] = [
  // 2.2.2.7 R35 (version 2 never reports QUORUM_STATE) is judged only on a quorum change, which only SetQuorum makes.
  { refs: [BIT_MEANING[0x10000000], TABLE[OT.QUORUM], CHANGE.v2NoQuorum], verbs: ['SetQuorum'] },
  { refs: [BIT_MEANING[0x40000000], BIT_MEANING[0x00000008], BIT_MEANING[0x00800000], BIT_MEANING[0x08000000]], verbs: ['SetProperty'] },
  { refs: [BIT_MEANING[0x00000800], BIT_MEANING[0x00008000]], verbs: ['SetProperty', 'MoveResource'] },
  { refs: [BIT_MEANING[0x00000020]], verbs: ['RegistrySetSecurity'] },
];

/**
 * Rows only one method can show: a target that does not offer it (3.1.4.1.107: a version 2 server may
 * lack ApiUnblockGetNotifyCall; the model learns so from RPC_S_PROCNUM_OUT_OF_RANGE) cannot show them, so
 * the property does not claim them there and reports them NOT-TESTED naming the method, as the scripted
 * suite does (harness/sequence/interpret.ts).
 */
export const ONLY_BY_METHOD: readonly { refs: readonly ClauseRef[]; method: 'ApiUnblockGetNotifyCall' }[] = [
  { refs: [UNBLOCK.completes, UNBLOCK.success, UNBLOCK.badNotify], method: 'ApiUnblockGetNotifyCall' },
];

/** The method section of each registration method. */
export const REGISTRATION_SECTION: Readonly<Record<RegistrationMethod, string>> = {
  ApiAddNotifyCluster: 'x.58',
  ApiAddNotifyNode: 'x.59',
  ApiAddNotifyGroup: 'x.60',
  ApiAddNotifyResource: 'x.61',
  ApiAddNotifyKey: 'x.62',
  ApiReAddNotifyNode: 'x.63',
  ApiReAddNotifyGroup: 'x.64',
  ApiReAddNotifyResource: 'x.65',
  ApiAddNotifyNetwork: 'x.90',
  ApiReAddNotifyNetwork: 'x.91',
  ApiAddNotifyNetInterface: 'x.99',
  ApiReAddNotifyNetInterface: 'x.100',
};

/** Every method section of the notification calls the model makes. */
export const METHOD_SECTIONS: readonly string[] = ['x.56', 'x.57', ...Object.values(REGISTRATION_SECTION), 'x.66', 'x.107'];

/**
 * The rows that say a method is processed in the server state and at the access level of the call:
 * read/write (MUST), read-only (SHOULD), access level Read (SHOULD, version 3). Rows a section lacks
 * (ApiUnblockGetNotifyCall has no server-state rows) resolve to nothing and are skipped.
 */
export function acceptanceRefs(section: string, serverState: 'read-write' | 'read-only', access: 'full' | 'read'): ClauseRef[] {
  const refs = [ref(`${section}: ${serverState === 'read-write' ? 'accepted in read/write state' : 'accepted in read-only state'}`)];
  if (access === 'read') refs.push(ref(`${section}: accepted at access level Read`));
  return refs;
}

/** Protocol version 2 knows only access level All (3.1.4.1 R18-R22). */
export const ACCESS_V2 = {
  requiresAll: ref('x: every method requires All'),
  denied: ref('x: client without All gets ERROR_ACCESS_DENIED'),
} as const;

/** The acceptance rows as references, for the test that proves each one resolves somewhere. */
export function allAcceptanceRefs(): ClauseRef[] {
  return METHOD_SECTIONS.flatMap((s) => [...acceptanceRefs(s, 'read-write', 'read'), ...acceptanceRefs(s, 'read-only', 'full')]);
}
