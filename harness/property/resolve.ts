// Turns a step's indices into the model's ports, handles and concrete stimuli. Pure functions of the
// model, so fast-check's check() and the run agree on whether (and how) a step applies.
import type { ControlVerb, Stimulus } from '../../cmrp/control';
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';
import { objectKey } from '../model/cluster';
import { DYNAMIC_KEYS, DYNAMIC_OBJECTS, FIXTURE_KEYS, STATES, fixtureObjects } from '../model/fixture';
import { FABRICATED } from '../model/handles';
import { ownName } from '../profile/own';
import type { NotifyModel, PortModel } from '../model/oracle';
import type { HandleKind, ObjectKind } from '../model/types';
import type { PropertyEnvironment } from './context';
import type { BadCall, PortKind, Step, StimulusChoice } from './steps';

/** More ports than this add nothing a smaller run does not show. */
export const MAX_PORTS = 4;
/** Past this many open readings, the model waits for reads to settle them before adding more. */
export const MAX_WORLDS = 16;

/** The port a step's index names (-1: the newest), counting only ports of kind `among` (version 1 or 2), all when absent. */
export function portAt(m: NotifyModel, index: number, among?: PortKind, retrieving = false): PortModel | undefined {
  const all = among ? m.ports.filter((p) => p.version === among) : m.ports;
  // A step that registers or reads passes over ports whose retrieval has ended (they can never show it
  // an event); it takes one only when every port of the kind has ended (a read there still judges the
  // closed-port answer).
  const open = retrieving ? all.filter((p) => !m.retrievalEnded(p)) : all;
  const ports = open.length ? open : all;
  return ports.length ? ports[((index % ports.length) + ports.length) % ports.length] : undefined;
}

/** Version 1 registrations: their index counts version 1 ports only (as every step's that does not say otherwise). */
const V1_REGISTRATIONS: ReadonlySet<Step['op']> = new Set(['AddNotifyCluster', 'AddNotifyKey', 'AddNotifyObject', 'ReAddNotifyObject']);

/** Steps that need a port's retrieval to work: they register a filter or read (see portAt). */
const RETRIEVING: ReadonlySet<Step['op']> = new Set([...V1_REGISTRATIONS, 'AddNotifyV2', 'GetNotify', 'BlockedRead', 'Unblock']);

/** Steps worth a fresh port when every port of their kind has ended retrieval: the registrations. */
const WANTS_FRESH_PORT: ReadonlySet<Step['op']> = new Set([...V1_REGISTRATIONS, 'AddNotifyV2']);

/** The port a step's `port` index designates (version 1 ports for version 1 registrations). */
export function stepPort(m: NotifyModel, step: Step): PortModel | undefined {
  if (!('port' in step)) return undefined;
  const retrieving = RETRIEVING.has(step.op);
  if (V1_REGISTRATIONS.has(step.op)) return portAt(m, step.port, 1, retrieving);
  // Steps that do not say count version 1 ports: version 2 ports never shift which port they name (so a
  // version 2 scenario can be shrunk away from a version 1 counterexample).
  return portAt(m, step.port, 'among' in step && step.among ? step.among : step.op === 'AddNotifyV2' || step.op === 'AddNotifyV2Invalid' ? 2 : 1, retrieving);
}

/** Ports of a kind the generator may still open: those whose retrieval has not ended count (MAX_PORTS). */
export function openPorts(m: NotifyModel, version: PortKind): number {
  return m.ports.filter((p) => p.version === version && !m.retrievalEnded(p)).length;
}

/** Ports of a kind there may be at most, ended ones included: a bound on what one sequence creates. */
export const MAX_PORTS_EVER = 2 * MAX_PORTS;

/**
 * The port to create before `step` runs: when the step registers a filter and every port of its kind has
 * ended retrieval, a fresh port of that kind takes its place, instead of a filter nothing will read.
 */
export function freshPortBefore(m: NotifyModel, step: Step): Step | undefined {
  if (!WANTS_FRESH_PORT.has(step.op)) return undefined;
  const port = stepPort(m, step);
  if (!port || !m.retrievalEnded(port)) return undefined;
  if (m.ports.filter((p) => p.version === port.version).length >= MAX_PORTS_EVER) return undefined;
  return port.version === 2 ? { op: 'CreateNotifyV2' } : { op: 'CreateNotify' };
}

export function objectTarget(kind: ObjectKind, index: number): { name: string; target: string } {
  const list = fixtureObjects(kind);
  const o = list[index % list.length];
  return { name: o.name, target: objectKey(kind, o.name) };
}

/** Fixture key paths the run may use: all of them with a fixture, the root alone without. */
export function keyPath(env: PropertyEnvironment, index: number): string {
  return env.fixture ? FIXTURE_KEYS[index % FIXTURE_KEYS.length] : '';
}

export function methodFor(kind: ObjectKind, reAdd: boolean): `Api${'Add' | 'ReAdd'}Notify${string}` {
  const cap = kind === 'netInterface' ? 'NetInterface' : kind[0].toUpperCase() + kind.slice(1);
  return `Api${reAdd ? 'ReAdd' : 'Add'}Notify${cap}`;
}

const STIMULUS_VERBS: Readonly<Record<StimulusChoice['verb'], readonly ControlVerb[]>> = {
  SetState: ['SetState'],
  SetProperty: ['SetProperty'],
  MoveResource: ['MoveResource'],
  AddOrDeleteObject: ['AddObject', 'DeleteObject'],
  RegistrySetValue: ['RegistrySetValue'],
  RegistrySetSecurity: ['RegistrySetSecurity'],
  RegistryCreateOrDeleteKey: ['RegistryCreateKey', 'RegistryDeleteKey'],
  SetQuorum: ['SetQuorum'],
  DropEvents: ['DropEvents'],
  SetServerState: ['SetServerState'],
};

const NEEDS_FIXTURE: ReadonlySet<StimulusChoice['verb']> = new Set(['SetState', 'MoveResource', 'AddOrDeleteObject', 'RegistryCreateOrDeleteKey', 'SetQuorum']);

/** The control stimulus a choice means now, or undefined when the target cannot apply it. */
export function resolveStimulus(env: PropertyEnvironment, m: NotifyModel, s: StimulusChoice, value: number): Stimulus | undefined {
  if (!STIMULUS_VERBS[s.verb].every((v) => env.verbs.has(v))) return undefined;
  if (NEEDS_FIXTURE.has(s.verb) && !env.fixture) return undefined;
  switch (s.verb) {
    case 'SetState': {
      const { name } = objectTarget(s.kind, s.object);
      const current = m.cluster.current(m.cluster.object(s.kind, name)).state;
      // An unknown current state (derived by the server): any of the kind's states will do.
      const others = STATES[s.kind].filter((x) => x !== current);
      return { verb: 'SetState', objectType: s.kind, name, state: others[s.state % others.length] };
    }
    case 'SetProperty':
      // The cluster object is the suite's to change only where the control can Reset it (env.fixture):
      // on a live cluster a run changes nothing but its own objects (docs/profiles.md).
      if (!env.fixture) return undefined;
      if (s.kind === 'cluster') return { verb: 'SetProperty', objectType: 'cluster', name: '', property: ownName('property'), value };
      return { verb: 'SetProperty', objectType: s.kind, name: objectTarget(s.kind, s.object).name, property: ownName('property'), value };
    case 'MoveResource': {
      const { name } = objectTarget('resource', s.object);
      const group = m.cluster.object('resource', name).group;
      const target = fixtureObjects('group').find((g) => g.name !== group);
      return target ? { verb: 'MoveResource', name, group: target.name } : undefined;
    }
    case 'AddOrDeleteObject': {
      const i = s.index % DYNAMIC_OBJECTS.length;
      const d = DYNAMIC_OBJECTS[i];
      if (m.cluster.dynamicObjects[i]) return { verb: 'DeleteObject', objectType: d.kind, name: d.name };
      return { verb: 'AddObject', objectType: d.kind, name: d.name, ...(d.kind === 'group' ? { node: fixtureObjects('node')[0].name } : {}) };
    }
    case 'RegistrySetValue':
      return { verb: 'RegistrySetValue', path: keyPath(env, s.keyIndex), valueName: ownName('value'), data: value };
    case 'RegistrySetSecurity':
      // Without a fixture the only key is the root, which is not the suite's.
      if (!env.fixture) return undefined;
      return { verb: 'RegistrySetSecurity', path: keyPath(env, s.keyIndex) };
    case 'RegistryCreateOrDeleteKey': {
      const i = s.index % DYNAMIC_KEYS.length;
      return m.cluster.dynamicKeys[i] ? { verb: 'RegistryDeleteKey', path: DYNAMIC_KEYS[i] } : { verb: 'RegistryCreateKey', path: DYNAMIC_KEYS[i] };
    }
    case 'SetQuorum':
      return { verb: 'SetQuorum', resource: objectTarget('resource', s.object).name };
    case 'DropEvents':
      return { verb: 'DropEvents' };
    case 'SetServerState':
      return { verb: 'SetServerState', state: s.readOnly ? 'read-only' : 'read-write' };
  }
}

/** A call with one bad handle, resolved: the model handle ids to pass. */
export interface BadResolution {
  call: BadCall;
  notifyId: string;
  objectId?: string;
  objectKind?: HandleKind;
}

export function badCallKind(call: BadCall): 'cluster' | 'key' | ObjectKind | undefined {
  if (call === 'ApiAddNotifyCluster') return 'cluster';
  if (call === 'ApiAddNotifyKey') return 'key';
  if (call.startsWith('Add:') || call.startsWith('ReAdd:')) return call.split(':')[1] as ObjectKind;
  return undefined;
}

export function resolveBad(env: PropertyEnvironment, m: NotifyModel, step: Extract<Step, { op: 'BadHandle' }>): BadResolution | undefined {
  const kind = badCallKind(step.call);
  const param = kind ? step.param : 'hNotify';
  const bad = (expected: HandleKind): string | undefined =>
    step.bad === 'fabricated' ? FABRICATED : step.bad === 'closed' ? m.staleHandle(expected) : m.wrongTypeHandle(expected, step.pick);
  const live = m.livePorts().filter((p) => p.version === 1);
  const notifyId = param === 'hNotify' ? bad('notify') : live.length ? live[step.pick % live.length].handle : undefined;
  if (!notifyId) return undefined;
  if (!kind) return { call: step.call, notifyId };
  if (kind !== 'cluster' && kind !== 'key' && !env.fixture) return undefined;
  let objectId: string | undefined;
  if (param === 'object') objectId = bad(kind);
  else if (kind === 'cluster') objectId = m.currentHandle('cluster');
  else if (kind === 'key') objectId = m.currentHandle(`key:${keyPath(env, step.pick)}`);
  else objectId = m.currentHandle(objectTarget(kind, step.pick).target);
  return objectId ? { call: step.call, notifyId, objectId, objectKind: kind } : undefined;
}

/** A filter every registration kind accepts, for the bad-handle calls (the handle is what is judged). */
export function plainBits(kind: HandleKind): number {
  if (kind === 'cluster') return C.GROUP_STATE;
  if (kind === 'key') return C.REGISTRY_VALUE;
  return { node: C.NODE_STATE, group: C.GROUP_STATE, resource: C.RESOURCE_STATE, network: C.NETWORK_STATE, netInterface: C.NETINTERFACE_STATE }[kind as ObjectKind];
}

/** Can the step run in the model's current state? (fast-check's check(), and the replay loop.) */
export function applicable(env: PropertyEnvironment, m: NotifyModel, step: Step): boolean {
  if (m.deniedEverything) return step.op === 'CreateNotify';
  const calm = m.ambiguity <= MAX_WORLDS;
  const port = stepPort(m, step);
  switch (step.op) {
    case 'CreateNotify':
      return openPorts(m, 1) < MAX_PORTS && m.ports.filter((p) => p.version === 1).length < MAX_PORTS_EVER;
    case 'CloseNotify':
    case 'GetNotify':
      return port !== undefined;
    case 'Unblock':
      return port !== undefined && m.unblockSupported;
    case 'AddNotifyCluster':
      return port !== undefined && calm && m.currentHandle('cluster') !== undefined;
    case 'AddNotifyKey':
      return port !== undefined && calm && m.currentHandle(`key:${keyPath(env, step.keyIndex)}`) !== undefined;
    case 'AddNotifyObject':
      return port !== undefined && calm && env.fixture && m.currentHandle(objectTarget(step.kind, step.object).target) !== undefined;
    case 'ReAddNotifyObject': {
      if (!(port !== undefined && calm && env.fixture && m.currentHandle(objectTarget(step.kind, step.object).target) !== undefined)) return false;
      // A stale sequence needs a sequence to be stale against: one the server reported for the object.
      return step.sequence === 'current' || m.cluster.chooseSequence(step.kind, objectTarget(step.kind, step.object).name, 'stale').differs === true;
    }
    case 'Stimulus':
      return calm && resolveStimulus(env, m, step.stimulus, 0) !== undefined;
    case 'BlockedRead':
      return port !== undefined && port.live && calm && m.unblockSupported;
    case 'BadHandle':
      return resolveBad(env, m, step) !== undefined;
    case 'CloseObjectHandle':
      // Its reopen is an ApiOpen*, which a server in the read-only state only SHOULD accept (a refusal
      // would leave the run without the handle): what it is for (2.2.2.7 R38) is judged in read/write.
      if (m.serverState === 'read-only') return false;
      if (step.target === 'cluster') return m.currentHandle('cluster') !== undefined;
      if (step.target === 'key') return m.currentHandle(`key:${keyPath(env, step.index)}`) !== undefined && (keyPath(env, step.index) === '' || m.currentHandle('key:') !== undefined);
      return env.fixture && m.currentHandle(objectTarget(step.target, step.index).target) !== undefined;
    default:
      // Version 2 port steps: harness/property/resolve-v2.ts.
      return false;
  }
}
