// The steps of a property run, as plain JSON data: what fast-check generates and shrinks, what a
// replay file stores, and what the run executes. Ports, objects and keys are named by index and
// resolved at run time against the model (a port index wraps around the ports created so far), so a
// shrunk sequence stays meaningful when earlier steps are removed.
import { clusterChangeName, clusterObjectTypeName, v2FlagName } from '../../cmrp/constants';
import type { ObjectKind } from '../model/types';

export type StimulusChoice =
  /** `state` picks among the kind's states other than the current one (fixture.ts STATES). */
  | { verb: 'SetState'; kind: ObjectKind; object: number; state: number }
  | { verb: 'SetProperty'; kind: ObjectKind | 'cluster'; object: number }
  /** Moves a fixture resource to the other fixture group. */
  | { verb: 'MoveResource'; object: number }
  /** Adds the dynamic object if absent, deletes it if present. */
  | { verb: 'AddOrDeleteObject'; index: number }
  | { verb: 'RegistrySetValue'; keyIndex: number }
  | { verb: 'RegistrySetSecurity'; keyIndex: number }
  /** Creates the dynamic key if absent, deletes it if present. */
  | { verb: 'RegistryCreateOrDeleteKey'; index: number }
  | { verb: 'SetQuorum'; object: number }
  | { verb: 'DropEvents' }
  | { verb: 'SetServerState'; readOnly: boolean };

/** What runs while a read is blocked; the scheduler picks the order. */
export type Racer = { op: 'Unblock' } | { op: 'Close' } | { op: 'Stimulus'; stimulus: StimulusChoice };

export type BadCall = 'ApiCloseNotify' | 'ApiGetNotify' | 'ApiUnblockGetNotifyCall' | 'ApiAddNotifyCluster' | 'ApiAddNotifyKey' | `Add:${ObjectKind}` | `ReAdd:${ObjectKind}`;

/** Which ports a step's port index counts among: version 1 ports, version 2 ports, or every port. */
export type PortKind = 1 | 2;

export type Step =
  | { op: 'CreateNotify' }
  | { op: 'CloseNotify'; port: number; among?: PortKind }
  | { op: 'AddNotifyCluster'; port: number; bits: number; key: number }
  | { op: 'AddNotifyObject'; kind: ObjectKind; object: number; port: number; bits: number; key: number }
  | { op: 'AddNotifyKey'; keyIndex: number; port: number; bits: number; key: number; subtree: boolean }
  | { op: 'ReAddNotifyObject'; kind: ObjectKind; object: number; port: number; bits: number; key: number; sequence: 'current' | 'stale' }
  /** A read that must complete: v3 releases it with ApiUnblockGetNotifyCall if it may block, v2 gives a short Timeout. */
  | { op: 'GetNotify'; port: number; among?: PortKind }
  | { op: 'Unblock'; port: number; among?: PortKind }
  | { op: 'Stimulus'; stimulus: StimulusChoice }
  /** A read left blocked while `racers` run in the order the scheduler picks; `order` pins that order (replays). */
  | { op: 'BlockedRead'; port: number; racers: Racer[]; order?: number[]; among?: PortKind }
  /** One call with one bad handle (`param`): fabricated, closed, or live of the wrong type (`pick` chooses which). */
  | { op: 'BadHandle'; call: BadCall; param: 'hNotify' | 'object'; bad: 'fabricated' | 'closed' | 'wrong-type'; pick: number }
  /** Closes the object handle registrations were made with, then opens a fresh one. */
  | { op: 'CloseObjectHandle'; target: 'cluster' | 'key' | ObjectKind; index: number }
  | StepV2;

/**
 * Version 2 port steps (protocol version 3). `objectType` is a CLUSTER_OBJECT_TYPE value, `flags` its
 * *_V2 flags; `object` picks the fixture object (or key) a targeted registration names.
 */
export type StepV2 =
  | { op: 'CreateNotifyV2' }
  | { op: 'AddNotifyV2'; port: number; objectType: number; flags: number; key: number; targeted: boolean; object: number }
  /** ApiAddNotifyV2 with one parameter invalid (`pick` chooses the bad value): ERROR_INVALID_PARAMETER. */
  | { op: 'AddNotifyV2Invalid'; port: number; invalid: 'dwVersion' | 'objectType' | 'flags'; pick: number }
  /** ApiAddNotifyV2 or ApiGetNotifyV2 with one bad handle. */
  | { op: 'BadHandleV2'; call: 'ApiAddNotifyV2' | 'ApiGetNotifyV2'; param: 'hNotify' | 'object'; bad: 'fabricated' | 'closed' | 'wrong-type'; pick: number };

const V2_OPS: ReadonlySet<string> = new Set(['CreateNotifyV2', 'AddNotifyV2', 'AddNotifyV2Invalid', 'BadHandleV2']);

export function isStepV2(step: Step): step is StepV2 {
  return V2_OPS.has(step.op);
}

function portName(step: { port: number; among?: PortKind }): string {
  return `${step.among === 2 ? 'v2port' : step.among === 1 ? 'v1port' : 'port'}[${step.port}]`;
}

function bits(mask: number): string {
  const parts: string[] = [];
  for (let b = 0; b < 32; b++) if ((mask >>> 0) & ((1 << b) >>> 0)) parts.push(clusterChangeName((1 << b) >>> 0));
  return parts.join('|') || '0';
}

export function describeStimulus(s: StimulusChoice): string {
  switch (s.verb) {
    case 'SetState':
      return `SetState(${s.kind}[${s.object}], state choice ${s.state})`;
    case 'SetProperty':
      return s.kind === 'cluster' ? 'SetProperty(cluster)' : `SetProperty(${s.kind}[${s.object}])`;
    case 'MoveResource':
      return `MoveResource(resource[${s.object}])`;
    case 'AddOrDeleteObject':
      return `AddOrDeleteObject(dynamic[${s.index}])`;
    case 'RegistrySetValue':
    case 'RegistrySetSecurity':
      return `${s.verb}(key[${s.keyIndex}])`;
    case 'RegistryCreateOrDeleteKey':
      return `RegistryCreateOrDeleteKey(dynamicKey[${s.index}])`;
    case 'SetQuorum':
      return `SetQuorum(resource[${s.object}])`;
    case 'DropEvents':
      return 'DropEvents';
    case 'SetServerState':
      return `SetServerState(${s.readOnly ? 'read-only' : 'read-write'})`;
  }
}

/** One line per step, from the data alone (resolved names are in the call trace). */
export function describeStep(step: Step): string {
  switch (step.op) {
    case 'CreateNotify':
      return 'ApiCreateNotify';
    case 'CloseNotify':
      return `ApiCloseNotify(${portName(step)})`;
    case 'AddNotifyCluster':
      return `ApiAddNotifyCluster(port[${step.port}], ${bits(step.bits)}, key ${step.key})`;
    case 'AddNotifyObject':
      return `ApiAddNotify ${step.kind}[${step.object}] (port[${step.port}], ${bits(step.bits)}, key ${step.key})`;
    case 'AddNotifyKey':
      return `ApiAddNotifyKey(port[${step.port}], key[${step.keyIndex}], ${bits(step.bits)}, key ${step.key}, WatchSubTree ${step.subtree})`;
    case 'ReAddNotifyObject':
      return `ApiReAddNotify ${step.kind}[${step.object}] (port[${step.port}], ${bits(step.bits)}, key ${step.key}, ${step.sequence} StateSequence)`;
    case 'GetNotify':
      return `ApiGetNotify${step.among === 2 ? 'V2' : ''}(${portName(step)})`;
    case 'Unblock':
      return `ApiUnblockGetNotifyCall(${portName(step)})`;
    case 'Stimulus':
      return `control ${describeStimulus(step.stimulus)}`;
    case 'BlockedRead': {
      const racers = step.racers.map((r) => (r.op === 'Stimulus' ? describeStimulus(r.stimulus) : r.op));
      return `blocked ApiGetNotify(${portName(step)}) racing [${racers.join(', ')}]${step.order ? ` in order ${step.order.join(',')}` : ''}`;
    }
    case 'BadHandle':
      return `${step.call} with a ${step.bad} ${step.param} (pick ${step.pick})`;
    case 'CloseObjectHandle':
      return `close and reopen ${step.target}[${step.index}] handle`;
    case 'CreateNotifyV2':
      return 'ApiCreateNotifyV2';
    case 'AddNotifyV2': {
      const type = clusterObjectTypeName(step.objectType) ?? String(step.objectType);
      return `ApiAddNotifyV2(v2port[${step.port}], ${type}, ${v2FlagNames(step.objectType, step.flags)}, key ${step.key}, ${step.targeted ? `targeted at object ${step.object}` : 'untargeted'})`;
    }
    case 'AddNotifyV2Invalid':
      return `ApiAddNotifyV2(v2port[${step.port}]) with an invalid ${step.invalid} (pick ${step.pick})`;
    case 'BadHandleV2':
      return `${step.call} with a ${step.bad} ${step.param} (pick ${step.pick})`;
  }
}

function v2FlagNames(objectType: number, flags: number): string {
  const parts: string[] = [];
  for (let b = 0; b < 31; b++) if (flags & (1 << b)) parts.push(v2FlagName(objectType, BigInt(1 << b)));
  return parts.join('|') || '0';
}
