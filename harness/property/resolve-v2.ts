// Version 2 port steps resolved against the model: whether they apply (a protocol version 3 target
// with version 2 ports), which handle an ApiAddNotifyV2 names and what its registration watches.
// `applies` is the one check every caller uses, version 1 steps going to resolve.ts.
import { CLUSTER_CHANGE_REGISTRY_V2, CLUSTER_OBJECT_TYPE as OT } from '../../cmrp/constants';
import { splitPath } from '../model/fixture';
import { FABRICATED } from '../model/handles';
import type { NotifyModel } from '../model/oracle';
import type { HandleKind, ObjectKind } from '../model/types';
import { CLUSTER_HANDLE_TYPES, KIND_TYPE, type V2Scope } from '../model/v2';
import type { PropertyEnvironment } from './context';
import { MAX_PORTS, MAX_PORTS_EVER, MAX_WORLDS, applicable, openPorts, keyPath, objectTarget, stepPort } from './resolve';
import { isStepV2, type Step, type StepV2 } from './steps';

/** Can the step run now? Version 2 port steps only where the target has version 2 ports. */
export function applies(env: PropertyEnvironment, m: NotifyModel, step: Step): boolean {
  return isStepV2(step) ? applicableV2(env, m, step) : applicable(env, m, step);
}

/** The target speaks protocol version 3 and implements ApiCreateNotifyV2 / ApiAddNotifyV2 / ApiGetNotifyV2. */
export function hasPortsV2(env: PropertyEnvironment): boolean {
  return env.version === 3 && env.target.capabilities.notifyV2;
}

const KIND_OF_TYPE: Readonly<Record<number, ObjectKind>> = Object.fromEntries(Object.entries(KIND_TYPE).map(([k, t]) => [t, k as ObjectKind]));

/** What an ApiAddNotifyV2 step names: hObject (a model handle id), its expected kind, and the scope. */
export interface AddV2Target {
  objectId: string;
  objectKind: HandleKind;
  scope: V2Scope;
}

export function addV2Target(env: PropertyEnvironment, m: NotifyModel, step: Extract<StepV2, { op: 'AddNotifyV2' }>): AddV2Target | undefined {
  const subtree = (step.flags & CLUSTER_CHANGE_REGISTRY_V2.SUBTREE) !== 0;
  // Untargeted, or a type only the cluster handle names: every object of the type; the registry through the cluster is its root key.
  if (!step.targeted || CLUSTER_HANDLE_TYPES.has(step.objectType)) {
    const cluster = m.currentHandle('cluster');
    if (!cluster) return undefined;
    const scope: V2Scope = step.objectType === OT.REGISTRY ? { kind: 'key', path: [], subtree } : { kind: 'all' };
    return { objectId: cluster, objectKind: 'cluster', scope };
  }
  if (step.objectType === OT.REGISTRY) {
    const path = keyPath(env, step.object);
    const key = m.currentHandle(`key:${path}`);
    return key ? { objectId: key, objectKind: 'key', scope: { kind: 'key', path: splitPath(path), subtree } } : undefined;
  }
  const kind = KIND_OF_TYPE[step.objectType];
  if (!kind || !env.fixture) return undefined;
  const { name, target } = objectTarget(kind, step.object);
  const id = m.currentHandle(target);
  return id ? { objectId: id, objectKind: kind, scope: { kind: 'object', objectKind: kind, name } } : undefined;
}

/** The handle ids a BadHandleV2 step passes: hNotify, and hObject for ApiAddNotifyV2 (a targeted GROUP registration). */
export function badV2Handles(env: PropertyEnvironment, m: NotifyModel, step: Extract<StepV2, { op: 'BadHandleV2' }>): { notifyId: string; objectId?: string; objectKind?: HandleKind } | undefined {
  const bad = (expected: HandleKind, exclude: readonly HandleKind[]): string | undefined => {
    if (step.bad === 'fabricated') return FABRICATED;
    if (step.bad === 'closed') return m.staleHandle(expected);
    const live = m.handles.all().filter((h) => h.live && h.kind !== expected && !exclude.includes(h.kind));
    return live.length ? live[step.pick % live.length].id : undefined;
  };
  const ports = m.livePorts().filter((p) => p.version === 2);
  const param = step.call === 'ApiGetNotifyV2' ? 'hNotify' : step.param;
  const notifyId = param === 'hNotify' ? bad('notify', []) : ports.length ? ports[step.pick % ports.length].handle : undefined;
  if (!notifyId) return undefined;
  if (step.call === 'ApiGetNotifyV2') return { notifyId };
  if (param === 'hNotify') {
    const cluster = m.currentHandle('cluster');
    return cluster ? { notifyId, objectId: cluster, objectKind: 'cluster' } : undefined;
  }
  // A targeted GROUP registration given something that is no live group handle; a cluster handle is left out (a server may read it as untargeted).
  if (!env.fixture) return undefined;
  const objectId = bad('group', ['cluster', 'notify']);
  return objectId ? { notifyId, objectId, objectKind: 'group' } : undefined;
}

function applicableV2(env: PropertyEnvironment, m: NotifyModel, step: StepV2): boolean {
  if (!hasPortsV2(env) || m.deniedEverything) return false;
  const calm = m.ambiguity <= MAX_WORLDS;
  switch (step.op) {
    case 'CreateNotifyV2':
      return openPorts(m, 2) < MAX_PORTS && m.ports.filter((p) => p.version === 2).length < MAX_PORTS_EVER;
    case 'AddNotifyV2':
      return calm && stepPort(m, step) !== undefined && addV2Target(env, m, step) !== undefined;
    case 'AddNotifyV2Invalid':
      return stepPort(m, step)?.live === true && m.currentHandle('cluster') !== undefined;
    case 'BadHandleV2':
      return badV2Handles(env, m, step) !== undefined;
  }
}
