// fast-check arbitraries of steps, wrapped as model-based commands. Weights favour what finds bugs:
// registrations and stimuli that overlap, and reads that look at the result.
import fc from 'fast-check';
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';
import { CLUSTER_FILTER_BITS, KEY_FILTER_BITS, KIND_BITS, REGISTRY_BITS, objectFilterBits, stateBit } from '../model/bits';
import { DYNAMIC_KEYS, DYNAMIC_OBJECTS } from '../model/fixture';
import type { NotifyModel } from '../model/oracle';
import { OBJECT_KINDS, type ObjectKind } from '../model/types';
import type { PropertyEnvironment, RunContext } from './context';
import { runStep } from './execute';
import { applies, hasPortsV2 } from './resolve-v2';
import { scenarioArbitrariesV2, stepArbitrariesV2, type SharedArbitraries } from './arbitraries-v2';
import { describeStep, type BadCall, type Racer, type Step, type StimulusChoice } from './steps';

/** One step as a fast-check command: check() asks the model whether it applies, run() executes it. */
export class StepCommand implements fc.AsyncCommand<NotifyModel, RunContext> {
  constructor(
    readonly step: Step,
    private readonly env: PropertyEnvironment,
  ) {}

  check(m: Readonly<NotifyModel>): boolean {
    return applies(this.env, m as NotifyModel, this.step);
  }

  async run(_m: NotifyModel, r: RunContext): Promise<void> {
    await runStep(r, this.step);
  }

  toString(): string {
    return describeStep(this.step);
  }
}

/**
 * A short scenario as one command: steps that only find a bug together (two filters meeting one change,
 * a change missed before a ReAdd, a loss after something was queued), which independent picks bring
 * together too rarely. check() asks about the first step; each later one runs if it applies by then.
 * Every step is recorded on its own, so a replay file holds plain steps.
 */
export class ScenarioCommand implements fc.AsyncCommand<NotifyModel, RunContext> {
  constructor(
    readonly steps: readonly Step[],
    private readonly env: PropertyEnvironment,
  ) {}

  check(m: Readonly<NotifyModel>): boolean {
    return applies(this.env, m as NotifyModel, this.steps[0]);
  }

  async run(_m: NotifyModel, r: RunContext): Promise<void> {
    for (const step of this.steps) if (applies(this.env, r.model, step)) await runStep(r, step);
  }

  toString(): string {
    return this.steps.map(describeStep).join('; ');
  }
}

const orBits = (xs: readonly number[]): number => xs.reduce((a, b) => (a | b) >>> 0, 0);

const port = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 3 }) });
const notifyKey = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 1, arbitrary: fc.constant(0xffffffff) });

/**
 * Objects, weighted so that registrations and stimuli meet often: the first group and resource most,
 * the second object of each kind now and then (its events must not reach the first one's filters).
 */
const target: fc.Arbitrary<{ kind: ObjectKind; object: number }> = fc.oneof(
  ...(
    [
      ['group', 0, 5], ['resource', 0, 4], ['node', 0, 2], ['network', 0, 2], ['netInterface', 0, 2],
      ['group', 1, 1], ['resource', 1, 1], ['node', 1, 1], ['network', 1, 1], ['netInterface', 1, 1],
    ] as const
  ).map(([kind, object, weight]) => ({ weight, arbitrary: fc.constant({ kind: kind as ObjectKind, object }) })),
);

/**
 * Keys: registrations lean toward the run's key (index 1), changes toward the keys below it (its Sub and
 * its dynamic Dyn), so subtree watches and their absence both get exercised.
 */
const keyIndex = fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.nat({ max: 3 }) });
const changedKey = fc.oneof({ weight: 3, arbitrary: fc.constant(2) }, { weight: 2, arbitrary: fc.nat({ max: 3 }) });
const dynamicKey = fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.nat({ max: 2 }) });

/** Values a cluster-wide filter holds, weighted toward those the stimuli raise most. */
const clusterBit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(C.GROUP_STATE, C.RESOURCE_STATE, C.GROUP_PROPERTY, C.REGISTRY_VALUE, C.REGISTRY_NAME, C.QUORUM_STATE) },
  { weight: 2, arbitrary: fc.constantFrom(C.REGISTRY_SUBTREE, C.NODE_STATE, C.NETWORK_STATE, C.NETINTERFACE_STATE) },
  { weight: 2, arbitrary: fc.constantFrom(...CLUSTER_FILTER_BITS) },
);

/** A cluster-wide filter of 1-4 values; REGISTRY_SUBTREE never alone among the registry values (2.2.2.7 R12 reads both ways there). */
const clusterBits = fc.array(clusterBit, { minLength: 1, maxLength: 4 }).map((xs) => {
  const mask = orBits(xs);
  return (mask & C.REGISTRY_SUBTREE) && !(mask & REGISTRY_BITS) ? (mask | C.REGISTRY_VALUE) >>> 0 : mask;
});

const keyBits = fc.subarray([...KEY_FILTER_BITS], { minLength: 1 }).map(orBits);

const objectBits = (k: ObjectKind) => fc.subarray(objectFilterBits(k), { minLength: 1 }).map(orBits);

/** A ReAdd always asks for the state value, so its catch-up matches a registered filter (3.1.4.x.66 R11). */
const reAddBits = (k: ObjectKind) => fc.subarray([KIND_BITS[k].property!, KIND_BITS[k].deleted]).map((xs) => (orBits(xs) | KIND_BITS[k].state!) >>> 0);

export function stimulusArbitrary(): fc.Arbitrary<StimulusChoice> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ target, state: fc.nat({ max: 2 }) }).map(({ target: t, state }) => ({ verb: 'SetState' as const, ...t, state })) },
    { weight: 2, arbitrary: target.map((t) => ({ verb: 'SetProperty' as const, ...t })) },
    { weight: 1, arbitrary: fc.constant({ verb: 'SetProperty' as const, kind: 'cluster' as const, object: 0 }) },
    { weight: 1, arbitrary: fc.record({ verb: fc.constant('MoveResource' as const), object: fc.nat({ max: 1 }) }) },
    { weight: 1, arbitrary: fc.record({ verb: fc.constant('AddOrDeleteObject' as const), index: fc.nat({ max: 2 }) }) },
    { weight: 3, arbitrary: fc.record({ verb: fc.constant('RegistrySetValue' as const), keyIndex: changedKey }) },
    { weight: 1, arbitrary: fc.record({ verb: fc.constant('RegistrySetSecurity' as const), keyIndex: changedKey }) },
    { weight: 2, arbitrary: fc.record({ verb: fc.constant('RegistryCreateOrDeleteKey' as const), index: dynamicKey }) },
    { weight: 2, arbitrary: fc.record({ verb: fc.constant('SetQuorum' as const), object: fc.nat({ max: 1 }) }) },
    { weight: 3, arbitrary: fc.constant({ verb: 'DropEvents' as const }) },
    { weight: 1, arbitrary: fc.record({ verb: fc.constant('SetServerState' as const), readOnly: fc.boolean() }) },
  );
}

const racer: fc.Arbitrary<Racer> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ op: 'Unblock' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'Close' as const }) },
  { weight: 3, arbitrary: stimulusArbitrary().map((stimulus) => ({ op: 'Stimulus' as const, stimulus })) },
);

const kind = fc.constantFrom<ObjectKind>(...OBJECT_KINDS);

const badCall: fc.Arbitrary<BadCall> = fc.oneof(
  fc.constantFrom<BadCall>('ApiCloseNotify', 'ApiGetNotify', 'ApiUnblockGetNotifyCall', 'ApiAddNotifyCluster', 'ApiAddNotifyKey'),
  kind.map((k): BadCall => `Add:${k}`),
  kind.map((k): BadCall => `ReAdd:${k}`),
);

/** Every step kind, weighted by how often it appears in a sequence. */
export function stepArbitraries(): fc.Arbitrary<Step>[] {
  const create = fc.constant<Step>({ op: 'CreateNotify' });
  const addCluster = fc.record({ op: fc.constant('AddNotifyCluster' as const), port, bits: clusterBits, key: notifyKey });
  const addObject = target.chain(({ kind: k, object }) => fc.record({ op: fc.constant('AddNotifyObject' as const), kind: fc.constant(k), object: fc.constant(object), port, bits: objectBits(k), key: notifyKey }));
  const addKey = fc.record({ op: fc.constant('AddNotifyKey' as const), keyIndex, port, bits: keyBits, key: notifyKey, subtree: fc.boolean() });
  const reAdd = target.chain(({ kind: k, object }) =>
    fc.record({ op: fc.constant('ReAddNotifyObject' as const), kind: fc.constant(k), object: fc.constant(object), port, bits: reAddBits(k), key: notifyKey, sequence: fc.constantFrom('stale' as const, 'current' as const) }),
  );
  const read = fc.record({ op: fc.constant('GetNotify' as const), port });
  const blocked = fc.record({ op: fc.constant('BlockedRead' as const), port, racers: fc.array(racer, { minLength: 1, maxLength: 3 }) });
  const unblock = fc.record({ op: fc.constant('Unblock' as const), port });
  const close = fc.record({ op: fc.constant('CloseNotify' as const), port });
  const stimulus = stimulusArbitrary().map((s): Step => ({ op: 'Stimulus', stimulus: s }));
  const bad = fc.record({
    op: fc.constant('BadHandle' as const),
    call: badCall,
    param: fc.constantFrom('hNotify' as const, 'object' as const),
    bad: fc.constantFrom('fabricated' as const, 'closed' as const, 'wrong-type' as const),
    pick: fc.nat({ max: 7 }),
  });
  const closeHandle = fc.oneof(
    target.map(({ kind: k, object }): Step => ({ op: 'CloseObjectHandle', target: k, index: object })),
    fc.record({ op: fc.constant('CloseObjectHandle' as const), target: fc.constantFrom<'cluster' | 'key'>('cluster', 'key'), index: keyIndex }),
  );
  // fc.commands picks uniformly among its arbitraries: repetition is the weighting. Registrations,
  // stimuli and reads dominate; closing a port (a racer does it too) and bad handles are rarer.
  const weighted: [fc.Arbitrary<Step>, number][] = [
    [create, 1], [addCluster, 3], [addObject, 3], [addKey, 2], [reAdd, 2], [read, 5], [blocked, 2],
    [unblock, 1], [close, 1], [stimulus, 4], [bad, 1], [closeHandle, 1],
  ];
  return weighted.flatMap(([a, n]) => Array<fc.Arbitrary<Step>>(n).fill(a));
}

/** Any object, every kind alike: scenarios reach the kinds the weighted `target` favours least. */
const anyObject = fc.record({ kind: fc.constantFrom<ObjectKind>(...OBJECT_KINDS), object: fc.nat({ max: 1 }) });

/** The object's state change (change 0-2 picks the state) or property change (3 and up). */
const objectChange = (t: { kind: ObjectKind; object: number }, change: number): Step => ({
  op: 'Stimulus',
  stimulus: change < 3 ? { verb: 'SetState', ...t, state: change } : { verb: 'SetProperty', ...t },
});

/** The scenarios, each a short list of steps (see ScenarioCommand). */
export function scenarioArbitraries(): fc.Arbitrary<Step[]>[] {
  // One change, two matching filters on one port (the object's and a cluster-wide one): two indications.
  // Half the changes are property changes: each kind's *_PROPERTY meaning is a clause of its own.
  const overlap = fc.record({ t: anyObject, port, keys: fc.tuple(notifyKey, notifyKey), change: fc.nat({ max: 5 }), reAdd: fc.boolean() }).map(({ t, port: p, keys, change, reAdd }): Step[] => {
    const bits = (stateBit(t.kind) | KIND_BITS[t.kind].property!) >>> 0;
    const object = { kind: t.kind, object: t.object, port: p, bits, key: keys[0] };
    return [
      reAdd ? { op: 'ReAddNotifyObject', ...object, sequence: 'current' } : { op: 'AddNotifyObject', ...object },
      { op: 'AddNotifyCluster', port: p, bits, key: keys[1] },
      objectChange(t, change),
      { op: 'GetNotify', port: p },
      { op: 'GetNotify', port: p },
    ];
  });
  // A change the registration saw, then a ReAdd with the sequence from before it: a catch-up is due.
  const catchUp = fc.record({ t: anyObject, port, keys: fc.tuple(notifyKey, notifyKey), state: fc.nat({ max: 2 }), seen: fc.boolean() }).map(
    ({ t, port: p, keys, state, seen }): Step[] => [
      { op: 'AddNotifyObject', kind: t.kind, object: t.object, port: p, bits: seen ? stateBit(t.kind) : KIND_BITS[t.kind].deleted, key: keys[0] },
      objectChange(t, state),
      { op: 'ReAddNotifyObject', kind: t.kind, object: t.object, port: p, bits: stateBit(t.kind), key: keys[1], sequence: 'stale' },
      { op: 'GetNotify', port: p },
      { op: 'GetNotify', port: p },
    ],
  );
  // Something queued, then lost: version 3 reports CLUSTER_RECONNECT, version 2 never.
  const loss = fc.record({ port, key: notifyKey, keyIndex: changedKey }).map(({ port: p, key, keyIndex: k }): Step[] => [
    { op: 'AddNotifyKey', keyIndex: k, port: p, bits: C.REGISTRY_VALUE, key, subtree: false },
    { op: 'Stimulus', stimulus: { verb: 'RegistrySetValue', keyIndex: k } },
    { op: 'Stimulus', stimulus: { verb: 'DropEvents' } },
    { op: 'GetNotify', port: p },
  ]);
  // A dynamic object added and deleted under a cluster-wide filter for both: *_ADDED, then *_DELETED.
  const lifecycle = fc.record({ index: fc.nat({ max: 2 }), port, key: notifyKey }).map(({ index, port: p, key }): Step[] => [
    { op: 'AddNotifyCluster', port: p, bits: DYNAMIC_BITS[index], key },
    { op: 'Stimulus', stimulus: { verb: 'AddOrDeleteObject', index } },
    { op: 'Stimulus', stimulus: { verb: 'AddOrDeleteObject', index } },
    { op: 'GetNotify', port: p },
    { op: 'GetNotify', port: p },
  ]);
  // Registrations made in the read-only server state (each SHOULD be accepted there), then read/write again.
  // The key and cluster-wide watches are here because random picks rarely made them while the state was read-only.
  const readOnly = fc.record({ t: anyObject, port, key: notifyKey, keyIndex }).map(({ t, port: p, key, keyIndex: k }): Step[] => [
    { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: true } },
    { op: 'CreateNotify' },
    { op: 'AddNotifyObject', kind: t.kind, object: t.object, port: p, bits: stateBit(t.kind), key },
    { op: 'AddNotifyKey', keyIndex: k, port: p, bits: C.REGISTRY_VALUE, key, subtree: false },
    { op: 'AddNotifyCluster', port: p, bits: stateBit(t.kind), key },
    { op: 'ReAddNotifyObject', kind: t.kind, object: t.object, port: p, bits: stateBit(t.kind), key, sequence: 'current' },
    { op: 'CloseNotify', port: p },
    { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: false } },
  ]);
  // Registry changes seen by a cluster-wide subtree filter and a key watch at once.
  const registry = fc.record({ port, keys: fc.tuple(notifyKey, notifyKey), keyIndex, change: fc.nat({ max: 2 }), target: changedKey, subtree: fc.boolean() }).map(
    ({ port: p, keys, keyIndex: k, change, target: changed, subtree }): Step[] => [
      { op: 'AddNotifyCluster', port: p, bits: (REGISTRY_BITS | C.REGISTRY_SUBTREE) >>> 0, key: keys[0] },
      { op: 'AddNotifyKey', keyIndex: k, port: p, bits: REGISTRY_BITS, key: keys[1], subtree },
      {
        op: 'Stimulus',
        stimulus:
          change === 0
            ? { verb: 'RegistrySetValue', keyIndex: changed }
            : change === 1
              ? { verb: 'RegistrySetSecurity', keyIndex: changed }
              : { verb: 'RegistryCreateOrDeleteKey', index: changed % DYNAMIC_KEYS.length },
      },
      { op: 'GetNotify', port: p },
      { op: 'GetNotify', port: p },
    ],
  );
  // Changes of the cluster itself: a cluster property, the quorum resource. The filter holds the value the
  // change raises, alone or with the other: a version 2 server may refuse any filter holding QUORUM_STATE
  // (2.2.2.7 R35), and CLUSTER_PROPERTY alone is still registered there.
  const cluster = fc.record({ port, key: notifyKey, quorum: fc.boolean(), both: fc.boolean(), object: fc.nat({ max: 1 }) }).map(({ port: p, key, quorum, both, object }): Step[] => [
    { op: 'AddNotifyCluster', port: p, bits: both ? (C.CLUSTER_PROPERTY | C.QUORUM_STATE) >>> 0 : quorum ? C.QUORUM_STATE : C.CLUSTER_PROPERTY, key },
    { op: 'Stimulus', stimulus: quorum ? { verb: 'SetQuorum', object } : { verb: 'SetProperty', kind: 'cluster', object: 0 } },
    { op: 'GetNotify', port: p },
  ]);
  // Each registration of one kind given a bad object handle: ERROR_INVALID_HANDLE (or a fault where allowed).
  const badness = fc.constantFrom('fabricated' as const, 'closed' as const, 'wrong-type' as const);
  const badObjects = fc.record({ kind: fc.constantFrom<ObjectKind | 'cluster' | 'key'>(...OBJECT_KINDS, 'cluster', 'key'), bads: fc.tuple(badness, badness), pick: fc.nat({ max: 7 }) }).map(
    ({ kind: k, bads, pick }): Step[] =>
      (k === 'cluster' ? ['ApiAddNotifyCluster' as const] : k === 'key' ? ['ApiAddNotifyKey' as const] : ([`Add:${k}`, `ReAdd:${k}`] as const)).map((call, i) => ({
        op: 'BadHandle',
        call,
        param: 'object',
        bad: bads[i],
        pick,
      })),
  );
  return [overlap, catchUp, loss, lifecycle, readOnly, registry, cluster, badObjects];
}

/** ADDED|DELETED of each dynamic object (a group, a network, a resource type). */
const DYNAMIC_BITS: readonly number[] = DYNAMIC_OBJECTS.map((d) => (KIND_BITS[d.kind].added | KIND_BITS[d.kind].deleted) >>> 0);

/** What the version 2 generators share with these (arbitraries-v2.ts cannot import this module back). */
function shared(): SharedArbitraries {
  return { port, notifyKey, racer, anyObject, objectChange, keyIndex, changedKey };
}

export function commandArbitraries(env: PropertyEnvironment): fc.Arbitrary<fc.AsyncCommand<NotifyModel, RunContext>>[] {
  // Version 2 ports only where the target has them (protocol version 3): other runs draw what they always drew.
  const v2 = hasPortsV2(env);
  return [
    ...[...stepArbitraries(), ...(v2 ? stepArbitrariesV2(shared()) : [])].map((a) => a.map((step) => new StepCommand(step, env))),
    ...[...scenarioArbitraries(), ...(v2 ? scenarioArbitrariesV2(shared()) : [])].map((a) => a.map((steps) => new ScenarioCommand(steps, env))),
  ];
}
