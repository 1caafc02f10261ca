// What the served reference says of itself on the wire (ApiGetClusterName, ApiGetClusterVersion2): a
// Windows Server 2016-era cluster named as its cluster, on its first node. Shared by `serve` and by the
// builtin target's wire face (harness/target/builtin-wire.ts), so both answer alike.
import { DEFAULT_CLUSTER, type ClusterData } from '../model/initial';
import type { ServedIdentity } from './dcerpc';

export function referenceIdentity(cluster: ClusterData = DEFAULT_CLUSTER): ServedIdentity {
  return {
    clusterName: cluster.name,
    nodeName: cluster.nodes[0]!.name,
    version: { major: 10, minor: 0, build: 14393, vendorId: 'Microsoft(R) Cluster Server', csdVersion: '' },
    operationalVersion: { highest: 0x00090003, lowest: 0x00090003 },
  };
}

export const REFERENCE_IDENTITY: ServedIdentity = referenceIdentity();
