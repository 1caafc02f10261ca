// The initial cluster a server starts from and Reset returns to. Its shape (ClusterData) is what a cluster
// file holds (docs/cluster.schema.json, loaded by ./load-cluster.ts), so `serve --cluster FILE` and
// `--target builtin:cluster=FILE` start the reference with a cluster of other names. DEFAULT_CLUSTER is
// the small two-node cluster served when no file is given (examples/clusters/default.json is the same
// data); nothing in the suite may depend on its names: sequences name objects by role (harness/profile).
import { CLUSTER_GROUP_STATE, CLUSTER_NETINTERFACE_STATE, CLUSTER_NETWORK_STATE, CLUSTER_NODE_STATE, CLUSTER_RESOURCE_STATE } from '../rules/states';
import type { ObjectType } from './types';

type StateName<T> = keyof T & string;

/** A cluster as data: names and states by their enumeration names (reference/rules/states.ts). */
export interface ClusterData {
  /** The cluster's name (what ApiGetClusterName returns). */
  name: string;
  /** The resource ApiGetQuorumResource names; one of `resources`. */
  quorumResource: string;
  /** The first node is the one the server runs on: the node a client is connected to. */
  nodes: { name: string; state: StateName<typeof CLUSTER_NODE_STATE> }[];
  resourceTypes: string[];
  groups: { name: string; state: StateName<typeof CLUSTER_GROUP_STATE>; node: string }[];
  resources: { name: string; state: StateName<typeof CLUSTER_RESOURCE_STATE>; group: string; resourceType: string }[];
  networks: { name: string; state: StateName<typeof CLUSTER_NETWORK_STATE> }[];
  netInterfaces: { name: string; state: StateName<typeof CLUSTER_NETINTERFACE_STATE>; node: string; network: string }[];
  /** Keys of the cluster database (paths under the root, "" for the root) and their values. */
  registry: { path: string; values: Record<string, string | number> }[];
}

export const DEFAULT_CLUSTER: ClusterData = {
  name: 'CLUSTER1',
  quorumResource: 'Cluster Disk 1',
  nodes: [
    { name: 'node1', state: 'Up' },
    { name: 'node2', state: 'Up' },
  ],
  resourceTypes: ['Physical Disk', 'IP Address', 'Network Name', 'Generic Service'],
  groups: [
    { name: 'Cluster Group', state: 'Online', node: 'node1' },
    { name: 'Available Storage', state: 'Online', node: 'node1' },
    { name: 'App Group', state: 'Online', node: 'node2' },
  ],
  resources: [
    { name: 'Cluster Name', state: 'Online', group: 'Cluster Group', resourceType: 'Network Name' },
    { name: 'Cluster IP Address', state: 'Online', group: 'Cluster Group', resourceType: 'IP Address' },
    { name: 'Cluster Disk 1', state: 'Online', group: 'Cluster Group', resourceType: 'Physical Disk' },
    { name: 'Cluster Disk 2', state: 'Online', group: 'Available Storage', resourceType: 'Physical Disk' },
    { name: 'App Service', state: 'Online', group: 'App Group', resourceType: 'Generic Service' },
  ],
  networks: [
    { name: 'Cluster Network 1', state: 'Up' },
    { name: 'Cluster Network 2', state: 'Up' },
  ],
  netInterfaces: [
    { name: 'node1 - Ethernet', state: 'Up', node: 'node1', network: 'Cluster Network 1' },
    { name: 'node2 - Ethernet', state: 'Up', node: 'node2', network: 'Cluster Network 1' },
    { name: 'node1 - Ethernet 2', state: 'Up', node: 'node1', network: 'Cluster Network 2' },
    { name: 'node2 - Ethernet 2', state: 'Up', node: 'node2', network: 'Cluster Network 2' },
  ],
  registry: [
    { path: '', values: { ClusterName: 'CLUSTER1' } },
    { path: 'Parameters', values: { Description: 'reference cluster', Timeout: 30 } },
    { path: 'Parameters\\Advanced', values: { Level: 1 } },
    { path: 'Groups', values: {} },
    { path: 'Resources', values: {} },
    { path: 'Nodes', values: { Count: 2 } },
  ],
};

/** The default cluster's name (what the served reference calls itself without --cluster). */
export const CLUSTER_NAME = DEFAULT_CLUSTER.name;

export interface InitialObject {
  type: ObjectType;
  name: string;
  state: number;
  group?: string;
  node?: string;
  network?: string;
  resourceType?: string;
}

/** The model's objects of a cluster, states as numbers. */
export function initialObjects(data: ClusterData): InitialObject[] {
  return [
    ...data.nodes.map((n) => ({ type: 'node' as const, name: n.name, state: CLUSTER_NODE_STATE[n.state] })),
    ...data.resourceTypes.map((name) => ({ type: 'resourceType' as const, name, state: 0 })),
    ...data.groups.map((g) => ({ type: 'group' as const, name: g.name, state: CLUSTER_GROUP_STATE[g.state], node: g.node })),
    ...data.resources.map((r) => ({ type: 'resource' as const, name: r.name, state: CLUSTER_RESOURCE_STATE[r.state], group: r.group, resourceType: r.resourceType })),
    ...data.networks.map((n) => ({ type: 'network' as const, name: n.name, state: CLUSTER_NETWORK_STATE[n.state] })),
    ...data.netInterfaces.map((i) => ({ type: 'netInterface' as const, name: i.name, state: CLUSTER_NETINTERFACE_STATE[i.state], node: i.node, network: i.network })),
  ];
}
