// Control verbs that change cluster objects, and the CLUSTER_CHANGE events each one causes. Each verb
// posts exactly the events listed in its comment, so tests can count them. Membership changes (add,
// delete, move) post no derived *_STATE events: only SetState does.
import type { ObjectType, Stimulus } from '../../cmrp/control';
import { CLUSTER_CHANGE } from '../../cmrp/constants';
import type { ClusterModel } from '../model/cluster';
import type { ClusterObject } from '../model/types';
import { isStateful } from '../model/types';
import { TYPE_BITS } from '../notify/bits';
import { CLUSTER_GROUP_STATE, CLUSTER_NETINTERFACE_STATE, CLUSTER_NETWORK_STATE, CLUSTER_NODE_STATE, CLUSTER_RESOURCE_STATE, netInterfaceStateFromSpecTable } from '../rules/states';
import * as derived from '../model/derived';
import { objectEvent, snapshot, type Publish } from './publisher';
import type { Behaviour } from '../rules/behaviour';

type Verb<V extends Stimulus['verb']> = Extract<Stimulus, { verb: V }>;

/** A new object starts in the state a freshly created one of its type has on Windows. */
const NEW_STATE: Readonly<Record<ObjectType, number>> = {
  node: CLUSTER_NODE_STATE.Up,
  group: CLUSTER_GROUP_STATE.Offline,
  resource: CLUSTER_RESOURCE_STATE.Offline,
  resourceType: 0,
  network: CLUSTER_NETWORK_STATE.Up,
  netInterface: CLUSTER_NETINTERFACE_STATE.Up,
};

/** AddObject: *_ADDED for the new object. */
export function addObject(model: ClusterModel, publish: Publish, s: Verb<'AddObject'>): void {
  if (model.find(s.objectType, s.name)) throw new Error(`AddObject: ${s.objectType} '${s.name}' already exists`);
  const placement: Partial<ClusterObject> = {};
  let state = NEW_STATE[s.objectType];
  if (s.objectType === 'resource') {
    // Unplaced or untyped: the cluster's own choice (whatever its cluster file names them), never a name
    // of the default cluster.
    const group = existing(model, 'group', s.group ?? defaultGroup(model));
    placement.group = group.name;
    placement.resourceType = s.resourceType ?? defaultResourceType(model, group.name);
    // Join in the group's state, so adding a resource does not change the group's derived state.
    if (group.state === CLUSTER_GROUP_STATE.Online) state = CLUSTER_RESOURCE_STATE.Online;
  } else if (s.objectType === 'netInterface') {
    // Unplaced: on the cluster's first node and network (whatever the cluster file names them).
    placement.node = existing(model, 'node', s.node ?? model.all('node')[0]?.name ?? '').name;
    placement.network = existing(model, 'network', s.network ?? model.all('network')[0]?.name ?? '').name;
  } else if (s.objectType === 'group') {
    placement.node = existing(model, 'node', s.node ?? model.all('node')[0]?.name ?? '').name;
  }
  const object = model.add({ type: s.objectType, name: s.name, state, ...placement });
  publish(objectEvent(object, TYPE_BITS[s.objectType].added));
}

/**
 * DeleteObject: *_DELETED. Deleting a group first deletes its resources, and deleting a node or a
 * network first deletes its net interfaces (each with its own *_DELETED), as a cluster would refuse
 * to leave them dangling.
 */
export function deleteObject(model: ClusterModel, publish: Publish, s: Verb<'DeleteObject'>): void {
  const object = existing(model, s.objectType, s.name);
  const dependants =
    object.type === 'group'
      ? model.all('resource').filter((r) => r.group === object.name)
      : object.type === 'node'
        ? model.all('netInterface').filter((n) => n.node === object.name)
        : object.type === 'network'
          ? model.all('netInterface').filter((n) => n.network === object.name)
          : [];
  for (const dependant of dependants) remove(model, publish, dependant);
  if (object.type === 'node') {
    // Groups the node owned move to a surviving node; no event, the move is not what the test asked for.
    const survivor = model.all('node').find((n) => n !== object);
    for (const group of model.all('group').filter((g) => g.node === object.name)) group.node = survivor?.name;
  }
  remove(model, publish, object);
}

/**
 * SetState: *_STATE with the object's new state sequence (by default posted even when the value is
 * unchanged: the test asked for a state change; a variant treats that as no transition at all). Then
 * the states the spec derives from it follow, each transition with its own *_STATE: a resource's group
 * (3.1.4.x.46), an interface's network (3.1.4.x.83), a node's interfaces and their networks (3.1.4.x.94).
 */
export function setState(model: ClusterModel, publish: Publish, s: Verb<'SetState'>, behaviour: Behaviour): void {
  const object = existing(model, s.objectType, s.name);
  const bit = TYPE_BITS[s.objectType].state;
  if (!isStateful(object.type) || bit === undefined) throw new Error(`SetState: ${s.objectType} has no state`);
  // The value of the server's own enumeration: a server numbering interface states by the spec's table takes that.
  const state = object.type === 'netInterface' && behaviour.netInterfaceNumbering === 'spec-table' ? netInterfaceStateFromSpecTable(s.state) : s.state;
  if (object.state === state && !behaviour.sameStateIsTransition) return;
  model.setState(object, state);
  publish(objectEvent(object, bit));
  if (object.type === 'group' && behaviour.groupDrivesResources) driveResources(model, publish, object);
  deriveFrom(model, publish, object);
}

/** A group brought online or taken offline directly takes its resources along (a real cluster does). */
function driveResources(model: ClusterModel, publish: Publish, group: ClusterObject): void {
  const target =
    group.state === CLUSTER_GROUP_STATE.Online ? CLUSTER_RESOURCE_STATE.Online : group.state === CLUSTER_GROUP_STATE.Offline ? CLUSTER_RESOURCE_STATE.Offline : undefined;
  if (target === undefined) return;
  for (const resource of model.all('resource').filter((r) => r.group === group.name)) transition(model, publish, resource, target);
}

function deriveFrom(model: ClusterModel, publish: Publish, object: ClusterObject): void {
  if (object.type === 'resource' && object.group) {
    const group = model.find('group', object.group);
    if (group) transition(model, publish, group, derived.groupState(model.all('resource').filter((r) => r.group === group.name).map((r) => r.state)));
  } else if (object.type === 'netInterface' && object.network) {
    const network = model.find('network', object.network);
    if (network) transition(model, publish, network, derived.networkState(model.all('netInterface').filter((n) => n.network === network.name).map((n) => n.state)));
  } else if (object.type === 'node') {
    for (const nic of model.all('netInterface').filter((n) => n.node === object.name)) {
      if (transition(model, publish, nic, derived.interfaceStateForNode(object.state, nic.state))) deriveFrom(model, publish, nic);
    }
  }
}

/** A derived state change: only a real transition counts (changes the sequence, posts *_STATE). */
function transition(model: ClusterModel, publish: Publish, object: ClusterObject, state: number | undefined): boolean {
  const bit = TYPE_BITS[object.type].state;
  if (state === undefined || state === object.state || bit === undefined) return false;
  model.setState(object, state);
  publish(objectEvent(object, bit));
  return true;
}

/** SetProperty: *_PROPERTY for an object, CLUSTER_PROPERTY for the cluster itself. */
export function setProperty(model: ClusterModel, publish: Publish, s: Verb<'SetProperty'>, behaviour: Behaviour): void {
  if (s.objectType === 'cluster') {
    model.properties.set(s.property, s.value);
    const property = { name: s.property, value: s.value };
    publish({ subject: { kind: 'cluster' }, bit: CLUSTER_CHANGE.CLUSTER_PROPERTY, name: behaviour.clusterEventName(model.name), stateSequence: 0, detail: { property } });
    return;
  }
  const object = existing(model, s.objectType, s.name);
  object.properties.set(s.property, s.value);
  publish(objectEvent(object, TYPE_BITS[s.objectType].property, { property: { name: s.property, value: s.value } }));
}

/**
 * MoveResource (ApiChangeResourceGroup): the resource's state sequence is incremented (3.1.4.x.26);
 * RESOURCE_PROPERTY for the resource, then GROUP_PROPERTY for the old and the new group.
 */
export function moveResource(model: ClusterModel, publish: Publish, s: Verb<'MoveResource'>, behaviour: Behaviour): void {
  const resource = existing(model, 'resource', s.name);
  const target = existing(model, 'group', s.group);
  const source = resource.group ? model.find('group', resource.group) : undefined;
  model.moveToGroup(resource, target.name);
  const move = { resource: resource.name, from: source?.name, to: target.name };
  publish(objectEvent(resource, CLUSTER_CHANGE.RESOURCE_PROPERTY, { move }));
  if (behaviour.movePostsState) publish(objectEvent(resource, CLUSTER_CHANGE.RESOURCE_STATE, { move }));
  if (source) publish(objectEvent(source, CLUSTER_CHANGE.GROUP_PROPERTY, { move }));
  publish(objectEvent(target, CLUSTER_CHANGE.GROUP_PROPERTY, { move }));
}

/** SetQuorum: QUORUM_STATE about the cluster, named after the new quorum resource. */
export function setQuorum(model: ClusterModel, publish: Publish, s: Verb<'SetQuorum'>): void {
  const resource = existing(model, 'resource', s.resource);
  model.quorumResource = resource.name;
  publish({ subject: { kind: 'cluster' }, bit: CLUSTER_CHANGE.QUORUM_STATE, name: resource.name, stateSequence: 0, detail: { object: snapshot(resource) } });
}

/** Where an unplaced resource goes: the first group not holding the quorum resource (else the first group). */
function defaultGroup(model: ClusterModel): string {
  const quorumGroup = model.find('resource', model.quorumResource)?.group;
  const groups = model.all('group');
  return (groups.find((g) => g.name !== quorumGroup) ?? groups[0])?.name ?? '';
}

/** An untyped resource's type: that of a resource already in its group, else the cluster's first type. */
function defaultResourceType(model: ClusterModel, group: string): string {
  const sibling = model.all('resource').find((r) => r.group === group && r.resourceType !== undefined);
  const type = sibling?.resourceType ?? model.all('resourceType')[0]?.name;
  if (type === undefined) throw new Error('AddObject: the cluster has no resource type to give the resource (name one in resourceType)');
  return type;
}

function remove(model: ClusterModel, publish: Publish, object: ClusterObject): void {
  model.remove(object);
  publish(objectEvent(object, TYPE_BITS[object.type].deleted));
}

function existing(model: ClusterModel, type: ObjectType, name: string): ClusterObject {
  const object = model.find(type, name);
  if (!object) throw new Error(`no ${type} named '${name}' in the cluster`);
  return object;
}
