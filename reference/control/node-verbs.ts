// The several-node verbs of the control adapter: a node lost and back (NodeDown, NodeUp) and a group
// failed over (MoveGroup). The cluster state is one and shared ([MS-CMRP] 3.1.1: a change is visible
// through every active node); what is per node is which clients are connected to it.
import type { Stimulus } from '../../cmrp/control';
import type { ClusterModel } from '../model/cluster';
import type { ClusterObject } from '../model/types';
import type { Behaviour } from '../rules/behaviour';
import { CLUSTER_NODE_STATE } from '../rules/states';
import type { Publish } from './publisher';
import { setState } from './object-verbs';

type Verb<V extends Stimulus['verb']> = Extract<Stimulus, { verb: V }>;

/** Up and Paused are the states of an active node (3.1.1: what ApiGetNodeState reports for one). */
export function isActiveNode(node: ClusterObject): boolean {
  return node.state === CLUSTER_NODE_STATE.Up || node.state === CLUSTER_NODE_STATE.Paused;
}

function node(model: ClusterModel, name: string, verb: string): ClusterObject {
  const found = model.find('node', name);
  if (!found) throw new Error(`${verb}: the cluster has no node '${name}'`);
  return found;
}

/** The active node a group of a lost node moves to: the first other active node, in cluster order. */
function survivor(model: ClusterModel, lost: ClusterObject): ClusterObject | undefined {
  return model.all('node').find((n) => n !== lost && isActiveNode(n));
}

/**
 * The node's state goes Down (NODE_STATE and the derived interface states, as SetState posts them), and
 * its groups move to a surviving node. Returns the node's name as the model spells it, so the caller can
 * drop the connections to it. Refused for the last active node: a cluster without one serves nobody.
 */
export function nodeDown(model: ClusterModel, publish: Publish, s: Verb<'NodeDown'>, behaviour: Behaviour): string {
  const lost = node(model, s.name, 'NodeDown');
  if (!isActiveNode(lost) && !model.running.has(lost.name.toLowerCase())) throw new Error(`NodeDown: node '${lost.name}' is not an active node`);
  const next = survivor(model, lost);
  if (!next) throw new Error(`NodeDown: '${lost.name}' is the last active node`);
  if (behaviour.nodeLossChangesState) setState(model, publish, { verb: 'SetState', objectType: 'node', name: lost.name, state: CLUSTER_NODE_STATE.Down }, behaviour);
  for (const group of model.all('group')) if (sameName(group.node, lost.name)) group.node = next.name;
  model.running.delete(lost.name.toLowerCase());
  return lost.name;
}

export function nodeUp(model: ClusterModel, publish: Publish, s: Verb<'NodeUp'>, behaviour: Behaviour): void {
  const back = node(model, s.name, 'NodeUp');
  // Already Up (a server that never marked it Down): nothing to report.
  if (back.state === CLUSTER_NODE_STATE.Up) return;
  setState(model, publish, { verb: 'SetState', objectType: 'node', name: back.name, state: CLUSTER_NODE_STATE.Up }, behaviour);
}

/** The group's owner becomes `node`, which must be active; its state and state sequence stay. */
export function moveGroup(model: ClusterModel, s: Verb<'MoveGroup'>): void {
  const group = model.find('group', s.name);
  if (!group) throw new Error(`MoveGroup: the cluster has no group '${s.name}'`);
  const owner = node(model, s.node, 'MoveGroup');
  if (!isActiveNode(owner)) throw new Error(`MoveGroup: node '${owner.name}' is not an active node`);
  group.node = owner.name;
}

function sameName(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
