// Version 2 notification ports in the oracle model ([MS-CMRP] 3.1.1.8, 3.1.4.2.136-138): what a
// registration of ApiAddNotifyV2 watches, which NOTIFICATION_RPC each internal event becomes on such a
// port, and what the model can check of a notification's NOTIFICATION_DATA_RPC. Independent of the
// reference server: where the spec leaves a choice (COMMON or PRIVATE property flag, the form of an
// object ID, NULL or empty strings, how a move is reported) every choice is accepted.
import { ownName } from '../profile/own';
import {
  CLUSTER_CHANGE as C,
  CLUSTER_CHANGE_CLUSTER_V2 as CL,
  CLUSTER_CHANGE_GROUP_V2 as G,
  CLUSTER_CHANGE_NETINTERFACE_V2 as I,
  CLUSTER_CHANGE_NETWORK_V2 as W,
  CLUSTER_CHANGE_NODE_V2 as N,
  CLUSTER_CHANGE_QUORUM_V2 as Q,
  CLUSTER_CHANGE_REGISTRY_V2 as R,
  CLUSTER_CHANGE_RESOURCE_TYPE_V2 as T,
  CLUSTER_CHANGE_RESOURCE_V2 as S,
  CLUSTER_OBJECT_TYPE as OT,
  V2_CLIENT_ONLY_FLAGS,
  clusterObjectTypeName,
  v2FlagName,
} from '../../cmrp/constants';
import type { NotificationV2 } from '../../cmrp/contract';
import { readDwordPayload } from '../../wire/clusapi/payload';
import type { ClauseRef } from './clauses';
import { objectKey, type ClusterModel } from './cluster';
import { FIXTURE_OBJECTS } from './fixture';
import { ADD2, CREATE2, GET2, PORT2, TABLE } from './refs-v2';
import type { IdExpect, InternalEvent, ObjectKind, V2Expect } from './types';

export type { IdExpect, V2Expect };

/** What an ApiAddNotifyV2 registration watches. */
export type V2Scope =
  /** Every object of the type (a cluster handle; the cluster-only types always). */
  | { kind: 'all' }
  /** One object (isTargetedAtObject with its handle). */
  | { kind: 'object'; objectKind: ObjectKind; name: string }
  /** A registry key (the root through a cluster handle), its subtree with REGISTRY_SUBTREE_V2. */
  | { kind: 'key'; path: readonly string[]; subtree: boolean };

export interface V2Filter {
  id: number;
  dwObjectType: number;
  flags: number;
  key: number;
  scope: V2Scope;
  /** The hObject it was made with; once closed, whether it survives is open (optional deliveries). */
  handle: string;
  orphaned: boolean;
}

/** One internal event as a version 2 event, before a registration turns it into an entry. */
export interface V2Event {
  expect: V2Expect;
  /** What a targeted registration must name to see it. */
  subject: { kind: 'object'; objectKind: ObjectKind | 'resourceType'; name: string } | { kind: 'cluster' } | { kind: 'registry'; path: readonly string[] };
  optional: boolean;
}

/** Object types whose registrations always take the cluster handle (3.1.4.2.137's hObject table). */
export const CLUSTER_HANDLE_TYPES: ReadonlySet<number> = new Set([OT.CLUSTER, OT.QUORUM, OT.RESOURCE_TYPE]);

/** The CLUSTER_OBJECT_TYPE of each fixture kind (a targeted registration's type). */
export const KIND_TYPE: Readonly<Record<ObjectKind, number>> = {
  node: OT.NODE,
  group: OT.GROUP,
  resource: OT.RESOURCE,
  network: OT.NETWORK,
  netInterface: OT.NETWORK_INTERFACE,
};

const PROPERTY_FLAGS: Readonly<Record<number, readonly number[]>> = {
  [OT.CLUSTER]: [CL.COMMON_PROPERTY, CL.PRIVATE_PROPERTY],
  [OT.GROUP]: [G.COMMON_PROPERTY, G.PRIVATE_PROPERTY],
  [OT.RESOURCE]: [S.COMMON_PROPERTY, S.PRIVATE_PROPERTY],
  [OT.RESOURCE_TYPE]: [T.COMMON_PROPERTY, T.PRIVATE_PROPERTY],
  [OT.NETWORK_INTERFACE]: [I.COMMON_PROPERTY, I.PRIVATE_PROPERTY],
  [OT.NETWORK]: [W.COMMON_PROPERTY, W.PRIVATE_PROPERTY],
  [OT.NODE]: [N.COMMON_PROPERTY, N.PRIVATE_PROPERTY],
};

const STATE_FLAG: Readonly<Record<ObjectKind, number>> = { node: N.STATE, group: G.STATE, resource: S.STATE, network: W.STATE, netInterface: I.STATE };

const idOf = (kind: ObjectKind, name: string | undefined): IdExpect => (name ? { of: [objectKey(kind, name)] } : 'any');

function fixtureOf(kind: ObjectKind, name: string) {
  return FIXTURE_OBJECTS.find((o) => o.kind === kind && o.name.toLowerCase() === name.toLowerCase());
}

/**
 * The version 2 events of an internal event (none where version 2 has no counterpart). Fixture
 * objects have IDs the model learns; the run's dynamic objects are recreated with IDs of their own, so
 * theirs are not compared.
 */
export function v2EventsOf(ev: InternalEvent, cluster: ClusterModel): V2Event[] {
  const s = ev.subject;
  const optional = Boolean(ev.optional);
  if (s.kind === 'registry') {
    const flag = ev.bit === C.REGISTRY_NAME ? R.NAME : ev.bit === C.REGISTRY_VALUE ? R.VALUE : ev.bit === C.REGISTRY_ATTRIBUTES ? R.ATTRIBUTES : 0;
    if (!flag) return [];
    // The Name form (relative key name) is as open as version 1's; ObjectId names the changed value.
    const expect: V2Expect = { dwObjectType: OT.REGISTRY, flags: [flag], objectId: 'any', parentId: 'empty', type: 'empty', ...(flag === R.VALUE ? { valueName: ownName('value') } : {}) };
    return [{ expect, subject: s, optional }];
  }
  if (s.kind === 'cluster') {
    if (ev.bit === C.CLUSTER_PROPERTY) {
      return [{ expect: { dwObjectType: OT.CLUSTER, flags: PROPERTY_FLAGS[OT.CLUSTER], objectId: 'any', parentId: 'any', type: 'empty' }, subject: s, optional }];
    }
    // A change of the quorum configuration may or may not be a QUORUM_STATE_V2 event (that flag reports the quorum resource's state).
    if (ev.bit === C.QUORUM_STATE) return [{ expect: { dwObjectType: OT.QUORUM, flags: [Q.STATE], objectId: 'any', parentId: 'empty', type: 'empty' }, subject: s, optional: true }];
    return [];
  }
  const kind = s.objectKind;
  const name = s.name;
  const dynamic = kind === 'resourceType' || !fixtureOf(kind, name);
  const addedRow = (flag: number): V2Event => ({
    // The table gives the new object's ID; an empty ObjectId there is tolerated (3.1.4.2.138 R11 readings).
    expect: { dwObjectType: OT.CLUSTER, flags: [flag], name, objectId: 'any', parentId: 'any', type: 'empty' },
    subject: { kind: 'cluster' },
    optional,
  });
  if (kind === 'resourceType') {
    if (ev.bit === C.RESOURCE_TYPE_ADDED) return [addedRow(CL.RESOURCE_TYPE_ADDED)];
    const base = { dwObjectType: OT.RESOURCE_TYPE, name, objectId: 'empty', parentId: 'empty', type: 'empty' } as const;
    if (ev.bit === C.RESOURCE_TYPE_DELETED) return [{ expect: { ...base, flags: [T.DELETED] }, subject: s, optional }];
    if (ev.bit === C.RESOURCE_TYPE_PROPERTY) return [{ expect: { ...base, flags: PROPERTY_FLAGS[OT.RESOURCE_TYPE] }, subject: s, optional }];
    return [];
  }
  const type = KIND_TYPE[kind];
  const ownId: IdExpect = dynamic ? 'any' : idOf(kind, name);
  const parent = parentOf(kind, name, kind === 'resource' ? cluster.object('resource', name).group : undefined);
  const base = (flags: readonly number[]): V2Expect => ({
    dwObjectType: type,
    flags,
    name,
    objectId: ownId,
    parentId: dynamic ? 'any' : parent,
    type: kind === 'resource' ? (dynamic ? 'any' : { resourceOf: objectKey(kind, name) }) : 'empty',
    ...(kind === 'resource' && !dynamic ? { resource: name } : {}),
  });
  const subject = { kind: 'object' as const, objectKind: kind, name };
  const bits = kindBits(kind);
  if (ev.bit === bits.state) {
    return [{ expect: { ...base([STATE_FLAG[kind]]), ...(ev.state !== undefined ? { state: ev.state } : {}) }, subject, optional }];
  }
  if (ev.bit === bits.property) {
    if (ev.move) {
      // A move may be reported as the resource lost or gained, or as a plain property change of the group.
      const moved = ev.move === 'lost' ? G.RESOURCE_LOST : G.RESOURCE_GAINED;
      return [{ expect: base([moved, ...PROPERTY_FLAGS[type]]), subject, optional: true }];
    }
    // MoveResource's RESOURCE_PROPERTY (optional) may be an owner-group change.
    const flags = kind === 'resource' && optional ? [S.OWNER_GROUP, ...PROPERTY_FLAGS[type]] : PROPERTY_FLAGS[type];
    return [{ expect: base(flags), subject, optional }];
  }
  if (ev.bit === bits.deleted) {
    const deleted = { node: N.DELETED, group: G.DELETED, resource: S.DELETED, network: W.DELETED, netInterface: I.DELETED }[kind];
    return [{ expect: base([deleted]), subject, optional }];
  }
  if (ev.bit === bits.added) {
    if (kind === 'group') return [addedRow(CL.GROUP_ADDED)];
    if (kind === 'network') return [addedRow(CL.NETWORK_ADDED)];
    if (kind === 'node') return [addedRow(CL.NODE_ADDED)];
  }
  return [];
}

function kindBits(kind: ObjectKind): { state: number; property: number; deleted: number; added: number } {
  const table = {
    node: [C.NODE_STATE, C.NODE_PROPERTY, C.NODE_DELETED, C.NODE_ADDED],
    group: [C.GROUP_STATE, C.GROUP_PROPERTY, C.GROUP_DELETED, C.GROUP_ADDED],
    resource: [C.RESOURCE_STATE, C.RESOURCE_PROPERTY, C.RESOURCE_DELETED, C.RESOURCE_ADDED],
    network: [C.NETWORK_STATE, C.NETWORK_PROPERTY, C.NETWORK_DELETED, C.NETWORK_ADDED],
    netInterface: [C.NETINTERFACE_STATE, C.NETINTERFACE_PROPERTY, C.NETINTERFACE_DELETED, C.NETINTERFACE_ADDED],
  }[kind];
  return { state: table[0], property: table[1], deleted: table[2], added: table[3] };
}

/** ParentId per table: a group's hosting node, a resource's group, an interface's node; empty for the rest. */
function parentOf(kind: ObjectKind, name: string, resourceGroup: string | undefined): IdExpect {
  const f = fixtureOf(kind, name);
  switch (kind) {
    case 'group':
      return idOf('node', f?.node);
    case 'netInterface':
      return idOf('node', f?.node);
    case 'resource':
      return idOf('group', resourceGroup ?? f?.group);
    default:
      return 'empty';
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p.toLowerCase() === b[i].toLowerCase());
}

function isBelow(path: readonly string[], ancestor: readonly string[]): boolean {
  return path.length > ancestor.length && ancestor.every((p, i) => p.toLowerCase() === path[i].toLowerCase());
}

export type V2Match = { kind: 'yes' | 'maybe'; flags: number[]; why: ClauseRef[] } | { kind: 'no' };

/** Whether a registration sees a version 2 event, with the flags it may carry and the clauses saying so. */
export function matchV2(filter: V2Filter, event: V2Event): V2Match {
  const e = event.expect;
  if (filter.dwObjectType !== e.dwObjectType) return { kind: 'no' };
  const flags = e.flags.filter((f) => (filter.flags & f) !== 0);
  if (!flags.length) return { kind: 'no' };
  // Where the server may report the event with a flag the registration lacks, it may not reach it.
  const certain = flags.length === e.flags.length && !event.optional && !filter.orphaned;
  const why: ClauseRef[] = [ADD2.registers, GET2.batch];
  if ((filter.flags & (filter.flags - 1)) !== 0) why.push(ADD2.severalTypes);
  const scope = filter.scope;
  const s = event.subject;
  if (scope.kind === 'all') return { kind: certain ? 'yes' : 'maybe', flags, why: [...why, ADD2.untargeted] };
  if (scope.kind === 'object') {
    if (s.kind !== 'object' || s.objectKind !== scope.objectKind || s.name.toLowerCase() !== scope.name.toLowerCase()) return { kind: 'no' };
    return { kind: certain ? 'yes' : 'maybe', flags, why };
  }
  if (s.kind !== 'registry') return { kind: 'no' };
  const rootWhy = scope.path.length === 0 ? [ADD2.rootKey] : [];
  if (samePath(s.path, scope.path)) return { kind: certain ? 'yes' : 'maybe', flags, why: [...why, ...rootWhy] };
  if (!isBelow(s.path, scope.path)) return { kind: 'no' };
  if (scope.subtree) return { kind: certain ? 'yes' : 'maybe', flags, why: [...why, ...rootWhy, ADD2.subtree, ADD2.below] };
  // A direct subkey created or deleted may count as a change of the key itself (as for version 1 ports).
  if (s.path.length === scope.path.length + 1 && e.flags.includes(R.NAME)) return { kind: 'maybe', flags, why };
  return { kind: 'no' };
}

/** Does a notification look like the entry (type, one allowed flag, key, name, state buffer)? IDs are checked after. */
export function notificationMatches(expect: V2Expect, key: number | undefined, n: NotificationV2): boolean {
  if (n.dwObjectType >>> 0 !== expect.dwObjectType) return false;
  if (!expect.flags.some((f) => BigInt(f) === BigInt.asUintN(64, BigInt(n.FilterFlags)))) return false;
  if (key !== undefined && n.dwNotifyKey >>> 0 !== key >>> 0) return false;
  if (expect.name !== undefined && (n.Name ?? '').toLowerCase() !== expect.name.toLowerCase()) return false;
  if (expect.state !== undefined && readDwordPayload(n.buffer) !== expect.state >>> 0) return false;
  return true;
}

/** A problem every notification is judged for on its own, whatever the model expected. */
export function staticProblem(n: NotificationV2, registered: readonly V2Filter[]): { refs: ClauseRef[]; message: string } | undefined {
  const type = n.dwObjectType >>> 0;
  const name = clusterObjectTypeName(type);
  const flags = BigInt.asUintN(64, BigInt(n.FilterFlags));
  // Named only when there is a problem to say: naming the flag looks it up in the type's table, and most
  // notifications have no problem.
  const what = (): string => `${name ?? `object type ${type}`} ${v2FlagName(type, flags)}`;
  if (!name) return { refs: [PORT2.objectType, GET2.onlyRegistered], message: `a notification of object type ${type}, which CLUSTER_OBJECT_TYPE lacks` };
  const clientOnly = BigInt(V2_CLIENT_ONLY_FLAGS[name] ?? 0) & flags;
  const table = TABLE[type] ? [TABLE[type]] : [];
  const single = flags !== 0n && (flags & (flags - 1n)) === 0n;
  // A client-only flag is the evidence that matters most: a server never returns one, alone or not.
  if (clientOnly) return { refs: [GET2.clientOnly], message: `${what()}: FilterFlags holds a client-only flag, which the server never returns` };
  if (!single) return { refs: [...table, PORT2.perTypeValue], message: `${what()}: FilterFlags holds ${flags === 0n ? 'no flag' : 'more than one flag'}, not the one flag of the event` };
  if (!registered.length) return { refs: [CREATE2.nothingBeforeFilter], message: `${what()} on a port with no registration yet` };
  if (!registered.some((f) => f.dwObjectType === type && (BigInt(f.flags) & flags) !== 0n)) {
    return { refs: [GET2.onlyRegistered], message: `${what()}: no registration of the port asked for that event type` };
  }
  return undefined;
}

/** The IDs (and resource types) the server has shown for the model's objects: one ID per object, one object per ID. */
export class IdBook {
  constructor(
    private readonly ids = new Map<string, string>(),
    private readonly owners = new Map<string, string>(),
    private readonly types = new Map<string, string>(),
  ) {}

  clone(): IdBook {
    return new IdBook(new Map(this.ids), new Map(this.owners), new Map(this.types));
  }

  /** Binds (or checks) the ID of one of `keys` (any may be meant); a sentence when it contradicts what was seen. */
  id(keys: readonly string[], shown: string): string | undefined {
    // IDs are compared without case: a GUID's hex digits may come in either.
    const id = shown.toLowerCase();
    const known = keys.filter((k) => this.ids.has(k));
    if (known.some((k) => this.ids.get(k) === id)) return undefined;
    const owner = this.owners.get(id);
    if (owner !== undefined) return `ID ${JSON.stringify(shown)} is that of ${owner}, not of ${keys.join(' or ')}`;
    const free = keys.find((k) => !this.ids.has(k));
    if (!free) return `${keys.join(' or ')} had ID ${JSON.stringify(this.ids.get(keys[0]))}, now ${JSON.stringify(shown)}`;
    this.ids.set(free, id);
    this.owners.set(id, free);
    return undefined;
  }

  type(resource: string, type: string): string | undefined {
    const known = this.types.get(resource);
    if (known === undefined) {
      this.types.set(resource, type);
      return undefined;
    }
    return known === type ? undefined : `${resource} had Type ${JSON.stringify(known)}, now ${JSON.stringify(type)}`;
  }
}

const isEmpty = (v: string | null): boolean => v === null || v === '';

/**
 * The NOTIFICATION_DATA_RPC fields of a notification matched to `expect`: IDs (learned, one per
 * object), ParentId, Type. Returns the clauses broken and why, or undefined. Mutates `book`.
 */
export function dataProblem(expect: V2Expect, n: NotificationV2, book: IdBook, groupNow?: string): { refs: ClauseRef[]; message: string } | undefined {
  const table = TABLE[expect.dwObjectType];
  const parentId: IdExpect =
    typeof expect.parentId === 'object' && groupNow !== undefined ? { of: [...new Set([...expect.parentId.of, objectKey('group', groupNow)])] } : expect.parentId;
  const fail = (extra: ClauseRef, message: string) => ({ refs: [table, extra], message });
  const idField = (field: 'ObjectId' | 'ParentId', want: IdExpect, extra: ClauseRef) => {
    const got = n[field];
    if (want === 'any') return undefined;
    if (want === 'empty') return isEmpty(got) ? undefined : fail(extra, `${field} is ${JSON.stringify(got)}, not empty`);
    if (isEmpty(got)) return fail(extra, `${field} is empty, not the ID of ${want.of.join(' or ')}`);
    const problem = book.id(want.of, got!);
    return problem ? fail(extra, `${field}: ${problem}`) : undefined;
  };
  const problem =
    idField('ObjectId', expect.objectId, PORT2.id) ??
    idField('ParentId', parentId, PORT2.id) ??
    (expect.type === 'empty' && !isEmpty(n.Type) ? fail(PORT2.objectType, `Type is ${JSON.stringify(n.Type)}, not empty`) : undefined) ??
    (typeof expect.type === 'object' ? typeProblem(expect.type.resourceOf, n.Type, book, table) : undefined) ??
    (expect.valueName !== undefined && (n.ObjectId ?? '').toLowerCase() !== expect.valueName.toLowerCase()
      ? fail(PORT2.id, `ObjectId is ${JSON.stringify(n.ObjectId)}, not the changed value's name ${JSON.stringify(expect.valueName)}`)
      : undefined);
  return problem;
}

function typeProblem(resource: string, type: string | null, book: IdBook, table: ClauseRef) {
  if (isEmpty(type)) return { refs: [table], message: `Type is empty, not the resource type of ${resource}` };
  const p = book.type(resource, type!);
  return p ? { refs: [table], message: p } : undefined;
}

/** The clauses a notification that passed every check confirms. */
export function passRefs(expect: V2Expect): ClauseRef[] {
  const refs = [PORT2.objectType, PORT2.perTypeValue, PORT2.context, GET2.data, TABLE[expect.dwObjectType]];
  if (expect.name !== undefined) refs.push(PORT2.name);
  if (expect.objectId !== 'any' || expect.valueName !== undefined) refs.push(PORT2.id);
  if (expect.state !== undefined) refs.push(PORT2.buffer);
  return refs;
}

export function describeNotifications(list: readonly NotificationV2[]): string {
  if (!list.length) return 'no notification';
  return list
    .map((n) => {
      const type = clusterObjectTypeName(n.dwObjectType) ?? String(n.dwObjectType);
      return `{key ${n.dwNotifyKey}, ${type} ${v2FlagName(n.dwObjectType, BigInt.asUintN(64, BigInt(n.FilterFlags)))}, Name ${JSON.stringify(n.Name)}, ObjectId ${JSON.stringify(n.ObjectId)}, ParentId ${JSON.stringify(n.ParentId)}}`;
    })
    .join(', ');
}

export function describeExpect(e: V2Expect): string {
  const type = clusterObjectTypeName(e.dwObjectType) ?? String(e.dwObjectType);
  return `${type} ${e.flags.map((f) => v2FlagName(e.dwObjectType, BigInt(f))).join(' or ')}${e.name !== undefined ? ` of '${e.name}'` : ''}`;
}
