// The initial cluster every server starts from and Reset returns to: the small two-node cluster the
// conformance suites are written against (their vectors name these objects).
import { CLUSTER_GROUP_STATE, CLUSTER_NETINTERFACE_STATE, CLUSTER_NETWORK_STATE, CLUSTER_NODE_STATE, CLUSTER_RESOURCE_STATE } from '../rules/states';
import type { ObjectType } from './types';

export const CLUSTER_NAME = 'CLUSTER1';

export interface InitialObject {
  type: ObjectType;
  name: string;
  state: number;
  group?: string;
  node?: string;
  network?: string;
  resourceType?: string;
}

export const INITIAL_OBJECTS: readonly InitialObject[] = [
  { type: 'node', name: 'node1', state: CLUSTER_NODE_STATE.Up },
  { type: 'node', name: 'node2', state: CLUSTER_NODE_STATE.Up },
  { type: 'resourceType', name: 'Physical Disk', state: 0 },
  { type: 'resourceType', name: 'IP Address', state: 0 },
  { type: 'resourceType', name: 'Network Name', state: 0 },
  { type: 'resourceType', name: 'Generic Service', state: 0 },
  { type: 'group', name: 'Cluster Group', state: CLUSTER_GROUP_STATE.Online, node: 'node1' },
  { type: 'group', name: 'Available Storage', state: CLUSTER_GROUP_STATE.Online, node: 'node1' },
  { type: 'group', name: 'App Group', state: CLUSTER_GROUP_STATE.Online, node: 'node2' },
  { type: 'resource', name: 'Cluster Name', state: CLUSTER_RESOURCE_STATE.Online, group: 'Cluster Group', resourceType: 'Network Name' },
  { type: 'resource', name: 'Cluster IP Address', state: CLUSTER_RESOURCE_STATE.Online, group: 'Cluster Group', resourceType: 'IP Address' },
  { type: 'resource', name: 'Cluster Disk 1', state: CLUSTER_RESOURCE_STATE.Online, group: 'Cluster Group', resourceType: 'Physical Disk' },
  { type: 'resource', name: 'Cluster Disk 2', state: CLUSTER_RESOURCE_STATE.Online, group: 'Available Storage', resourceType: 'Physical Disk' },
  { type: 'resource', name: 'App Service', state: CLUSTER_RESOURCE_STATE.Online, group: 'App Group', resourceType: 'Generic Service' },
  { type: 'network', name: 'Cluster Network 1', state: CLUSTER_NETWORK_STATE.Up },
  { type: 'network', name: 'Cluster Network 2', state: CLUSTER_NETWORK_STATE.Up },
  { type: 'netInterface', name: 'node1 - Ethernet', state: CLUSTER_NETINTERFACE_STATE.Up, node: 'node1', network: 'Cluster Network 1' },
  { type: 'netInterface', name: 'node2 - Ethernet', state: CLUSTER_NETINTERFACE_STATE.Up, node: 'node2', network: 'Cluster Network 1' },
  { type: 'netInterface', name: 'node1 - Ethernet 2', state: CLUSTER_NETINTERFACE_STATE.Up, node: 'node1', network: 'Cluster Network 2' },
  { type: 'netInterface', name: 'node2 - Ethernet 2', state: CLUSTER_NETINTERFACE_STATE.Up, node: 'node2', network: 'Cluster Network 2' },
];

export const INITIAL_QUORUM_RESOURCE = 'Cluster Disk 1';

/** Registry keys (paths under the root) and values of the initial cluster database. */
export const INITIAL_REGISTRY: readonly { path: string; values: Record<string, string | number> }[] = [
  { path: '', values: { ClusterName: CLUSTER_NAME } },
  { path: 'Parameters', values: { Description: 'reference cluster', Timeout: 30 } },
  { path: 'Parameters\\Advanced', values: { Level: 1 } },
  { path: 'Groups', values: {} },
  { path: 'Resources', values: {} },
  { path: 'Nodes', values: { Count: 2 } },
];
