// Control verbs for link-level failures and node activity, and the states the spec derives from them:
// an interface's from its node and its connectivity (3.1.4.x.94), a network's from its interfaces
// (3.1.4.x.83), a node's from its activity (3.1.4.x.69). Each real transition posts its own *_STATE.
import type { Stimulus } from '../../cmrp/control';
import type { ClusterModel } from '../model/cluster';
import * as derived from '../model/derived';
import type { ClusterObject } from '../model/types';
import { TYPE_BITS } from '../notify/bits';
import type { Behaviour } from '../rules/behaviour';
import { sameName } from '../rules/names';
import { CLUSTER_NODE_STATE } from '../rules/states';
import { objectEvent, type Publish } from './publisher';

type Verb<V extends Stimulus['verb']> = Extract<Stimulus, { verb: V }>;

const ACTIVITY_STATE = { active: CLUSTER_NODE_STATE.Up, inactive: CLUSTER_NODE_STATE.Down, paused: CLUSTER_NODE_STATE.Paused } as const;

/** SetInterfaceLink: the link changes; the interfaces of its network and the network follow. */
export function setInterfaceLink(model: ClusterModel, publish: Publish, s: Verb<'SetInterfaceLink'>, behaviour: Behaviour): void {
  const nic = existing(model, 'netInterface', s.name);
  if (s.peer === undefined) model.links.setOwnLink(nic.name, s.connected);
  else {
    const peer = existing(model, 'netInterface', s.peer);
    if (!nic.network || !peer.network || !sameName(nic.network, peer.network)) throw new Error(`SetInterfaceLink: '${nic.name}' and '${peer.name}' are not on one network`);
    model.links.setPath(nic.name, peer.name, s.connected);
  }
  if (behaviour.detectsLinkFailures && nic.network) rederiveNetwork(model, publish, nic.network);
}

/** SetNodeActivity: NODE_STATE, then its interfaces (unavailable or back) and their networks. */
export function setNodeActivity(model: ClusterModel, publish: Publish, s: Verb<'SetNodeActivity'>, behaviour: Behaviour): void {
  const node = existing(model, 'node', s.name);
  if (!behaviour.followsNodeActivity) return;
  if (s.activity === 'inactive') model.running.add(node.name.toLowerCase());
  else model.running.delete(node.name.toLowerCase());
  model.shuttingDown.delete(node.name.toLowerCase());
  transition(model, publish, node, ACTIVITY_STATE[s.activity]);
  const networks = new Set(model.all('netInterface').filter((n) => n.node && sameName(n.node, node.name) && n.network).map((n) => n.network!));
  for (const network of networks) rederiveNetwork(model, publish, network);
}

/** NodeShutdown: the node stops being active as SetNodeActivity 'inactive' does, for the reason of a shutdown. */
export function nodeShutdown(model: ClusterModel, publish: Publish, s: Verb<'NodeShutdown'>, behaviour: Behaviour): void {
  setNodeActivity(model, publish, { verb: 'SetNodeActivity', name: s.name, activity: 'inactive' }, behaviour);
  if (behaviour.followsNodeActivity) model.shuttingDown.add(existing(model, 'node', s.name).name.toLowerCase());
}

function rederiveNetwork(model: ClusterModel, publish: Publish, networkName: string): void {
  const network = model.find('network', networkName);
  const nics = model.all('netInterface').filter((n) => n.network && sameName(n.network, networkName));
  const onNetwork = nics.map((n) => ({ name: n.name, nodeState: (n.node ? model.find('node', n.node)?.state : undefined) ?? CLUSTER_NODE_STATE.Down, linked: model.links.hasOwnLink(n.name) }));
  const states = derived.interfaceStates(onNetwork, (a, b) => model.links.connected(a, b));
  for (const nic of nics) transition(model, publish, nic, states.get(nic.name));
  if (network) transition(model, publish, network, derived.networkState(nics.map((n) => n.state)));
}

function transition(model: ClusterModel, publish: Publish, object: ClusterObject, state: number | undefined): void {
  const bit = TYPE_BITS[object.type].state;
  if (state === undefined || state === object.state || bit === undefined) return;
  model.setState(object, state);
  publish(objectEvent(object, bit));
}

function existing(model: ClusterModel, type: 'node' | 'netInterface', name: string): ClusterObject {
  const object = model.find(type, name);
  if (!object) throw new Error(`no ${type} named '${name}' in the cluster`);
  return object;
}
