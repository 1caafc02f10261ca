// fast-check arbitraries of version 2 port steps (protocol version 3 targets with version 2 ports):
// registrations of every object type the run can stir, per object and cluster-wide, reads, blocked
// reads, parameter and handle errors, and scenarios that put ports of both kinds side by side.
import fc from 'fast-check';
import {
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
} from '../../cmrp/constants';
import { KIND_BITS } from '../model/bits';
import { STATES } from '../model/fixture';
import type { ObjectKind } from '../model/types';
import { KIND_TYPE } from '../model/v2';
import type { Racer, Step, StimulusChoice } from './steps';

/** Arbitraries arbitraries.ts lends (it imports this module, so this one cannot import it back). */
export interface SharedArbitraries {
  port: fc.Arbitrary<number>;
  notifyKey: fc.Arbitrary<number>;
  racer: fc.Arbitrary<Racer>;
  anyObject: fc.Arbitrary<{ kind: ObjectKind; object: number }>;
  objectChange: (t: { kind: ObjectKind; object: number }, change: number) => Step;
  keyIndex: fc.Arbitrary<number>;
  changedKey: fc.Arbitrary<number>;
}

/**
 * The flags a generated registration picks from, per type: the events the stimuli raise. COMMON and
 * PRIVATE property go together (a server may report a property change with either). Client-only flags
 * are never sent (3.1.4.2.137: the client MUST NOT), REGISTRY_SUBTREE_V2 is, as the scope modifier it is.
 */
const FLAG_UNITS: Readonly<Record<number, readonly number[]>> = {
  [OT.GROUP]: [G.STATE, G.COMMON_PROPERTY | G.PRIVATE_PROPERTY, G.DELETED, G.RESOURCE_GAINED | G.RESOURCE_LOST],
  [OT.RESOURCE]: [S.STATE, S.COMMON_PROPERTY | S.PRIVATE_PROPERTY, S.OWNER_GROUP, S.DELETED],
  [OT.NODE]: [N.STATE, N.COMMON_PROPERTY | N.PRIVATE_PROPERTY, N.DELETED],
  [OT.NETWORK]: [W.STATE, W.COMMON_PROPERTY | W.PRIVATE_PROPERTY, W.DELETED],
  [OT.NETWORK_INTERFACE]: [I.STATE, I.COMMON_PROPERTY | I.PRIVATE_PROPERTY],
  [OT.CLUSTER]: [CL.GROUP_ADDED, CL.NETWORK_ADDED, CL.RESOURCE_TYPE_ADDED, CL.COMMON_PROPERTY | CL.PRIVATE_PROPERTY, CL.LOST_NOTIFICATIONS],
  [OT.REGISTRY]: [R.NAME, R.VALUE, R.ATTRIBUTES, R.SUBTREE],
  [OT.RESOURCE_TYPE]: [T.DELETED, T.COMMON_PROPERTY | T.PRIVATE_PROPERTY],
  [OT.QUORUM]: [Q.STATE],
};

const orFlags = (xs: readonly number[]): number => xs.reduce((a, b) => (a | b) >>> 0, 0);

const flagsOf = (type: number): fc.Arbitrary<number> => fc.subarray([...FLAG_UNITS[type]], { minLength: 1 }).map(orFlags);

/** Object types, weighted toward the ones most stimuli change. */
const objectType = fc.oneof(
  { weight: 4, arbitrary: fc.constant<number>(OT.GROUP) },
  { weight: 3, arbitrary: fc.constant<number>(OT.RESOURCE) },
  { weight: 2, arbitrary: fc.constant<number>(OT.REGISTRY) },
  { weight: 2, arbitrary: fc.constant<number>(OT.CLUSTER) },
  { weight: 1, arbitrary: fc.constantFrom<number>(OT.NODE, OT.NETWORK, OT.NETWORK_INTERFACE, OT.RESOURCE_TYPE, OT.QUORUM) },
);

const badness = fc.constantFrom('fabricated' as const, 'closed' as const, 'wrong-type' as const);

/** Every version 2 step kind, repeated by weight (fc.commands picks uniformly among arbitraries). */
export function stepArbitrariesV2(a: SharedArbitraries): fc.Arbitrary<Step>[] {
  const create = fc.constant<Step>({ op: 'CreateNotifyV2' });
  const add = objectType.chain((type) =>
    fc.record({
      op: fc.constant('AddNotifyV2' as const),
      port: a.port,
      objectType: fc.constant(type),
      flags: flagsOf(type),
      key: a.notifyKey,
      targeted: fc.boolean(),
      object: fc.nat({ max: 3 }),
    }),
  );
  const read = fc.record({ op: fc.constant('GetNotify' as const), port: a.port, among: fc.constant(2 as const) });
  const blocked = fc.record({ op: fc.constant('BlockedRead' as const), port: a.port, racers: fc.array(a.racer, { minLength: 1, maxLength: 3 }), among: fc.constant(2 as const) });
  const release = fc.oneof(
    fc.record({ op: fc.constant('Unblock' as const), port: a.port, among: fc.constant(2 as const) }),
    fc.record({ op: fc.constant('CloseNotify' as const), port: a.port, among: fc.constant(2 as const) }),
  );
  const invalid = fc.record({ op: fc.constant('AddNotifyV2Invalid' as const), port: a.port, invalid: fc.constantFrom('dwVersion' as const, 'objectType' as const, 'flags' as const), pick: fc.nat({ max: 7 }) });
  const bad = fc.record({
    op: fc.constant('BadHandleV2' as const),
    call: fc.constantFrom('ApiAddNotifyV2' as const, 'ApiGetNotifyV2' as const),
    param: fc.constantFrom('hNotify' as const, 'object' as const),
    bad: badness,
    pick: fc.nat({ max: 7 }),
  });
  // Version 1 steps keep most of each sequence (their clauses' hit rates and the run time stay as they were):
  // the rarer version 2 steps share one slot.
  const rare = fc.oneof(blocked, release, invalid, bad);
  const weighted: [fc.Arbitrary<Step>, number][] = [[create, 1], [add, 2], [read, 2], [rare, 1]];
  return weighted.flatMap(([arb, n]) => Array<fc.Arbitrary<Step>>(n).fill(arb));
}

const read2 = (port: number): Step => ({ op: 'GetNotify', port, among: 2 });

/** The port index of the newest version 2 port: each scenario creates its own port first. */
const NEWEST = -1;

/** Scenarios that meet version 2 registrations with the change they watch, each on a port it creates first. */
export function scenarioArbitrariesV2(a: SharedArbitraries): fc.Arbitrary<Step[]>[] {
  // One change, a targeted and an untargeted registration of its type: two NOTIFICATION_RPC, one per registration.
  const overlap = fc.record({ t: a.anyObject, keys: fc.tuple(a.notifyKey, a.notifyKey), change: fc.nat({ max: 5 }), both: fc.boolean() }).map(({ t, keys, change, both }): Step[] => {
    const type = KIND_TYPE[t.kind];
    const flags = orFlags(FLAG_UNITS[type].slice(0, 2));
    const port = NEWEST;
    return [
      { op: 'CreateNotifyV2' },
      { op: 'AddNotifyV2', port, objectType: type, flags, key: keys[0], targeted: true, object: t.object },
      ...(both ? [{ op: 'AddNotifyV2', port, objectType: type, flags, key: keys[1], targeted: false, object: 0 } as Step] : []),
      a.objectChange(t, change),
      read2(port),
    ];
  });
  // Ports of both kinds side by side on one connection, watching one object: each gets its own kind of event.
  const sideBySide = fc.record({ t: a.anyObject, v1: a.port, keys: fc.tuple(a.notifyKey, a.notifyKey), change: fc.nat({ max: 5 }) }).map(({ t, v1, keys, change }): Step[] => {
    const type = KIND_TYPE[t.kind];
    const ports = [v1, NEWEST];
    return [
      { op: 'CreateNotifyV2' },
      { op: 'AddNotifyObject', kind: t.kind, object: t.object, port: ports[0], bits: v1Bits(t.kind), key: keys[0] },
      { op: 'AddNotifyV2', port: ports[1], objectType: type, flags: orFlags(FLAG_UNITS[type].slice(0, 2)), key: keys[1], targeted: true, object: t.object },
      a.objectChange(t, change),
      { op: 'GetNotify', port: ports[0], among: 1 },
      read2(ports[1]),
    ];
  });
  // Registry changes seen through the root (the cluster handle) with REGISTRY_SUBTREE_V2 and through a key.
  const registry = fc.record({ keys: fc.tuple(a.notifyKey, a.notifyKey), keyIndex: a.keyIndex, changed: a.changedKey, change: fc.nat({ max: 2 }), subtree: fc.boolean() }).map(
    ({ keys, keyIndex, changed, change, subtree }): Step[] => [
      { op: 'CreateNotifyV2' },
      { op: 'AddNotifyV2', port: NEWEST, objectType: OT.REGISTRY, flags: R.NAME | R.VALUE | R.ATTRIBUTES | R.SUBTREE, key: keys[0], targeted: false, object: 0 },
      { op: 'AddNotifyV2', port: NEWEST, objectType: OT.REGISTRY, flags: R.NAME | R.VALUE | R.ATTRIBUTES | (subtree ? R.SUBTREE : 0), key: keys[1], targeted: true, object: keyIndex },
      { op: 'Stimulus', stimulus: registryChange(change, changed) },
      read2(NEWEST),
    ],
  );
  // The cluster's own events: objects added (CLUSTER *_ADDED_V2), a resource type deleted, a cluster property, the quorum.
  // The dynamic resource type (index 2) is the only object whose own events reach RESOURCE_TYPE registrations: it comes first.
  const dynamicIndex = fc.oneof({ weight: 2, arbitrary: fc.constant(2) }, { weight: 2, arbitrary: fc.nat({ max: 1 }) });
  const cluster = fc.record({ key: a.notifyKey, index: dynamicIndex, first: fc.nat({ max: 2 }), quorum: fc.nat({ max: 1 }) }).map(({ key, index, first, quorum }): Step[] => [
    { op: 'CreateNotifyV2' },
    { op: 'AddNotifyV2', port: NEWEST, objectType: OT.CLUSTER, flags: CL.GROUP_ADDED | CL.NETWORK_ADDED | CL.RESOURCE_TYPE_ADDED | CL.COMMON_PROPERTY | CL.PRIVATE_PROPERTY, key, targeted: false, object: 0 },
    { op: 'AddNotifyV2', port: NEWEST, objectType: [OT.GROUP, OT.NETWORK, OT.RESOURCE_TYPE][index], flags: [G.DELETED, W.DELETED, T.DELETED][index], key: (key + 1) >>> 0, targeted: false, object: 0 },
    ...(first === 2 ? [{ op: 'AddNotifyV2', port: NEWEST, objectType: OT.QUORUM, flags: Q.STATE, key: (key + 2) >>> 0, targeted: false, object: 0 } as Step] : []),
    {
      op: 'Stimulus',
      stimulus: first === 0 ? { verb: 'SetProperty', kind: 'cluster', object: 0 } : first === 1 ? { verb: 'AddOrDeleteObject', index } : { verb: 'SetQuorum', object: quorum },
    },
    { op: 'Stimulus', stimulus: { verb: 'AddOrDeleteObject', index } },
    read2(NEWEST),
  ]);
  // A read left blocked on a version 2 port while an unblock, a close or a change races it.
  const blocked = fc.record({ t: a.anyObject, key: a.notifyKey, racers: fc.array(a.racer, { minLength: 1, maxLength: 2 }) }).map(({ t, key, racers }): Step[] => [
    { op: 'CreateNotifyV2' },
    { op: 'AddNotifyV2', port: NEWEST, objectType: KIND_TYPE[t.kind], flags: FLAG_UNITS[KIND_TYPE[t.kind]][0], key, targeted: true, object: t.object },
    { op: 'BlockedRead', port: NEWEST, racers, among: 2 },
  ]);
  // The parameter checks of ApiAddNotifyV2, one bad parameter at a time.
  const invalid = fc.record({ picks: fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 7 }), fc.nat({ max: 7 })) }).map(({ picks }): Step[] => [
    { op: 'CreateNotifyV2' },
    ...(['dwVersion', 'objectType', 'flags'] as const).map((invalid, i): Step => ({ op: 'AddNotifyV2Invalid', port: NEWEST, invalid, pick: picks[i] })),
  ]);
  // A bad hObject and a bad hNotify.
  const badHandles = fc.record({ picks: fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 7 })), bads: fc.tuple(badness, badness) }).map(({ picks, bads }): Step[] => [
    { op: 'CreateNotifyV2' },
    { op: 'BadHandleV2', call: 'ApiAddNotifyV2', param: 'object', bad: bads[0], pick: picks[0] },
    { op: 'BadHandleV2', call: picks[1] % 2 ? 'ApiAddNotifyV2' : 'ApiGetNotifyV2', param: 'hNotify', bad: bads[1], pick: picks[1] },
  ]);
  // A fresh version 2 port read before and after its first registration: it must block while nothing is queued.
  const fresh = fc.record({ t: a.anyObject, key: a.notifyKey, state: fc.nat({ max: 2 }) }).map(({ t, key, state }): Step[] => [
    { op: 'CreateNotifyV2' },
    { op: 'Stimulus', stimulus: stateChange(t, state) },
    read2(NEWEST),
    { op: 'AddNotifyV2', port: NEWEST, objectType: KIND_TYPE[t.kind], flags: FLAG_UNITS[KIND_TYPE[t.kind]][0], key, targeted: true, object: t.object },
    read2(NEWEST),
  ]);
  // Two slots among the version 1 scenarios' eight, whichever version 2 scenario fills them.
  // A port made, a registration and a read in the read-only server state (each SHOULD be accepted there), then read/write again.
  // With `event`, the watched object changes in read/write between them, so the read has an event to return:
  // 3.1.4.2.138's read-only row is judged on returned events (a read of an empty port is only released).
  // `event` shrinks away when a counterexample does not need it.
  const readOnly = fc.record({ t: a.anyObject, key: a.notifyKey, state: fc.nat({ max: 2 }), event: fc.boolean() }).map(({ t, key, state, event }): Step[] => [
    { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: true } },
    { op: 'CreateNotifyV2' },
    { op: 'AddNotifyV2', port: NEWEST, objectType: KIND_TYPE[t.kind], flags: FLAG_UNITS[KIND_TYPE[t.kind]][0], key, targeted: true, object: t.object },
    ...(event
      ? ([
          { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: false } },
          { op: 'Stimulus', stimulus: stateChange(t, state) },
          { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: true } },
        ] as Step[])
      : []),
    read2(NEWEST),
    { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: false } },
  ]);
  // The run's resource type added and deleted (or deleted and added): a RESOURCE_TYPE_DELETED_V2 event either way.
  const resourceType = a.notifyKey.map((key): Step[] => [
    { op: 'CreateNotifyV2' },
    { op: 'AddNotifyV2', port: NEWEST, objectType: OT.RESOURCE_TYPE, flags: T.DELETED, key, targeted: false, object: 0 },
    { op: 'Stimulus', stimulus: { verb: 'AddOrDeleteObject', index: 2 } },
    { op: 'Stimulus', stimulus: { verb: 'AddOrDeleteObject', index: 2 } },
    read2(NEWEST),
  ]);
  const any = fc.oneof(overlap, sideBySide, registry, cluster, resourceType, blocked, invalid, badHandles, fresh, readOnly);
  return [any, any];
}

function v1Bits(kind: ObjectKind): number {
  return (KIND_BITS[kind].state! | KIND_BITS[kind].property!) >>> 0;
}

function registryChange(change: number, keyIndex: number): StimulusChoice {
  if (change === 0) return { verb: 'RegistrySetValue', keyIndex };
  if (change === 1) return { verb: 'RegistrySetSecurity', keyIndex };
  return { verb: 'RegistryCreateOrDeleteKey', index: keyIndex % 3 };
}

function stateChange(t: { kind: ObjectKind; object: number }, state: number): StimulusChoice {
  return { verb: 'SetState', kind: t.kind, object: t.object, state: state % STATES[t.kind].length };
}
