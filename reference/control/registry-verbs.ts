// Control verbs that change the cluster registry: REGISTRY_NAME when a key is created or deleted,
// REGISTRY_VALUE when a value is set, REGISTRY_ATTRIBUTES when its security changes. The event is about
// the changed key; registrations decide who sees it (the key's watchers, and subtree watchers above it).
import type { Stimulus } from '../../cmrp/control';
import { CLUSTER_CHANGE } from '../../cmrp/constants';
import type { ClusterModel } from '../model/cluster';
import type { RegistryKey } from '../model/registry';
import { joinPath, splitPath } from '../rules/names';
import type { InternalEvent } from '../rules/event';
import type { Publish } from './publisher';
import type { Behaviour } from '../rules/behaviour';

type Verb<V extends Stimulus['verb']> = Extract<Stimulus, { verb: V }>;

/**
 * The event about one key. Name is the key's path relative to the cluster registry root ("" for the
 * root): the client API documents "the relative name of the changed key" and 3.1.4.x.66 leaves the
 * form open, so tests must not depend on it.
 */
function keyEvent(path: readonly string[], bit: number, model: ClusterModel, behaviour: Behaviour, valueName?: string): InternalEvent {
  return {
    subject: { kind: 'registry', path },
    bit,
    name: behaviour.registryEventName(path, model.name),
    stateSequence: 0,
    ...(valueName === undefined ? {} : { detail: { valueName } }),
  };
}

/** RegistryCreateKey: REGISTRY_NAME for each key created (missing parents first); none if it existed. */
export function createKey(model: ClusterModel, publish: Publish, s: Verb<'RegistryCreateKey'>, behaviour: Behaviour): void {
  for (const path of model.registry.create(splitPath(s.path))) publish(keyEvent(path, CLUSTER_CHANGE.REGISTRY_NAME, model, behaviour));
}

/** RegistryDeleteKey: REGISTRY_NAME for the deleted key (its subtree goes with it). */
export function deleteKey(model: ClusterModel, publish: Publish, s: Verb<'RegistryDeleteKey'>, behaviour: Behaviour): void {
  const path = splitPath(s.path);
  if (path.length === 0) throw new Error('RegistryDeleteKey: the root key cannot be deleted');
  existingKey(model, path);
  model.registry.delete(path);
  publish(keyEvent(path, CLUSTER_CHANGE.REGISTRY_NAME, model, behaviour));
}

/** RegistrySetValue: REGISTRY_VALUE for the key holding the value. */
export function setValue(model: ClusterModel, publish: Publish, s: Verb<'RegistrySetValue'>, behaviour: Behaviour): void {
  const path = splitPath(s.path);
  existingKey(model, path).values.set(s.valueName, s.data);
  publish(keyEvent(path, CLUSTER_CHANGE.REGISTRY_VALUE, model, behaviour, s.valueName));
}

/**
 * A value deleted (ApiDeleteValue, or the control verb RegistryDeleteValue): REGISTRY_VALUE for the key that held it,
 * as for a value set. Throws when the key or the value does not exist.
 */
export function deleteValue(model: ClusterModel, publish: Publish, path: readonly string[], valueName: string, behaviour: Behaviour): void {
  const key = existingKey(model, path);
  let found: string | undefined;
  for (const name of key.values.keys()) if (name.toLowerCase() === valueName.toLowerCase()) found = name;
  if (found === undefined) throw new Error(`no value '${valueName}' under '${joinPath(path)}'`);
  key.values.delete(found);
  publish(keyEvent(path, CLUSTER_CHANGE.REGISTRY_VALUE, model, behaviour, valueName));
}

/** RegistrySetSecurity: REGISTRY_ATTRIBUTES for the key (its security descriptor is its one attribute). */
export function setSecurity(model: ClusterModel, publish: Publish, s: Verb<'RegistrySetSecurity'>, behaviour: Behaviour): void {
  const path = splitPath(s.path);
  existingKey(model, path).securityVersion += 1;
  publish(keyEvent(path, CLUSTER_CHANGE.REGISTRY_ATTRIBUTES, model, behaviour));
}

function existingKey(model: ClusterModel, path: readonly string[]): RegistryKey {
  const key = model.registry.find(path);
  if (!key) throw new Error(`no cluster registry key '${joinPath(path)}'`);
  return key;
}
