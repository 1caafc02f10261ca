// The profile of a cluster whose objects are known (the builtin target's cluster, default or from a
// cluster file): each role bound to an object that has the role's relations (roles.ts). It is how the
// builtin target is judged without --profile, whatever names its cluster file gives.
import type { ClusterData } from '../../reference';
import type { Profile, Role } from './roles';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function profileFromCluster(data: ClusterData, description = `derived from cluster ${data.name}`): Profile {
  const roles: Partial<Record<Role, string>> = { cluster: data.name };
  const node = data.nodes[0]!.name;
  roles.node = node;
  const resourcesOf = (group: string) => data.resources.filter((r) => same(r.group, group));
  // The core group holds the quorum resource: taking its resources offline is not the suite's to do.
  const core = data.resources.find((r) => same(r.name, data.quorumResource))?.group;
  const candidates = data.groups.filter((g) => (core === undefined || !same(g.name, core)) && resourcesOf(g.name).length > 0);
  // Prefer a group owned by another node: then node2 is its owner.
  const group = candidates.find((g) => !same(g.node, node)) ?? candidates[0];
  if (group) {
    roles.group = group.name;
    const resource = resourcesOf(group.name)[0]!;
    roles.resource = resource.name;
    roles.resourceType = resource.resourceType;
  }
  const node2 = group && !same(group.node, node) ? group.node : data.nodes.find((n) => !same(n.name, node))?.name;
  if (node2) roles.node2 = node2;
  const group2 = candidates.find((g) => g !== group);
  if (group2) {
    roles.group2 = group2.name;
    roles.resource2 = resourcesOf(group2.name)[0]!.name;
  }
  const group3 = data.groups.find((g) => g !== group && g !== group2);
  if (group3) roles.group3 = group3.name;
  // The last network node2 has an interface on (the first one often carries the cluster's own traffic).
  const onNode2 = node2 ? data.netInterfaces.filter((i) => same(i.node, node2)) : [];
  const netInterface = onNode2[onNode2.length - 1];
  if (netInterface) {
    roles.network = netInterface.network;
    roles.netInterface = netInterface.name;
  }
  const onNode = data.netInterfaces.filter((i) => same(i.node, node));
  if (onNode.length) roles.netInterface2 = onNode[onNode.length - 1]!.name;
  const network2 = data.networks.find((n) => roles.network === undefined || !same(n.name, roles.network));
  if (network2) roles.network2 = network2.name;
  const topLevel = data.registry.filter((k) => k.path !== '' && !k.path.includes('\\'));
  const key = topLevel[0];
  if (key) {
    roles.key = key.path;
    const subkey = data.registry.find((k) => k.path.toLowerCase().startsWith(`${key.path.toLowerCase()}\\`) && k.path.split('\\').length === 2);
    if (subkey) roles.subkey = subkey.path;
  }
  const key2 = topLevel[topLevel.length - 1];
  if (key2 && key2 !== key) roles.key2 = key2.path;
  return { description, roles };
}
