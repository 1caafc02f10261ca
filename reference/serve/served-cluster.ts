// One cluster served on the wire as all of its nodes: an endpoint per node (port 0: any free one), the
// full account and the Read account authenticated at every endpoint, one cluster security descriptor
// they all consult, and the control verbs reaching endpoints and descriptor (cluster-nodes.ts). What the
// builtin target's wire face serves inside a run (harness/target/builtin-wire.ts); `serve` assembles
// the same parts from its flags.
import type { Target } from '../../cmrp/contract';
import type { Credentials } from '../../wire/auth';
import type { ServerLimits } from '../../wire/rpc/server/app';
import type { ClusterData } from '../model/initial';
import { DEFAULT_CLUSTER } from '../model/initial';
import type { WireMutantName } from '../mutants/wire';
import { NodeListeners, servedClusterTarget } from './cluster-nodes';
import { ClusterSecurity } from './cluster-security';
import { HeldReads, serveDcerpc } from './dcerpc';
import { serveEndpointMapper } from './epm';
import { CLUSAPI_UUID } from '../../wire/clusapi';
import type { RpcListener } from '../../wire/rpc/server/listener';
import { referenceIdentity } from './identity';

export interface ServedClusterOptions {
  /** The cluster `target` was started from (its nodes are served, its name is told); the default one when absent. */
  cluster?: ClusterData;
  account: Credentials;
  readAccount: Credentials;
  wireMutant?: WireMutantName;
  log?: (line: string) => void;
  limits?: Partial<ServerLimits>;
  /** Also an endpoint mapper (on any free port) naming the first node's endpoint for clusapi 2.0 and 3.0. */
  endpointMapper?: boolean;
}

export interface ServedCluster {
  /** Where each node listens on 127.0.0.1, in the cluster's order (the first is the cluster's first node). */
  endpoints: { node: string; host: string; port: number }[];
  /** The endpoint mapper's port, when one was asked for. */
  epmPort?: number;
  /** The served cluster as its control adapter sees it: NodeDown closes an endpoint, SetClusterSecurity the descriptor. */
  served: Target;
  close(): Promise<void>;
}

/** Serves `target` (which it does not dispose) at one endpoint per node of its cluster. */
export async function serveCluster(target: Target, options: ServedClusterOptions): Promise<ServedCluster> {
  const cluster = options.cluster ?? DEFAULT_CLUSTER;
  const identity = referenceIdentity(cluster);
  const security = new ClusterSecurity();
  const heldReads = new HeldReads();
  const listeners = new NodeListeners(
    cluster.nodes.map((n) => ({ node: n.name, port: 0 })),
    (node, port) =>
      serveDcerpc(target, {
        port,
        node,
        identity: { ...identity, nodeName: node },
        account: options.account,
        readAccount: options.readAccount,
        security,
        heldReads,
        ...(options.wireMutant ? { wireMutant: options.wireMutant } : {}),
        ...(options.log ? { log: options.log } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
      }),
  );
  const endpoints = await listeners.start();
  let mapper: RpcListener | undefined;
  if (options.endpointMapper) {
    const port = endpoints[0]!.port;
    try {
      mapper = await serveEndpointMapper(0, target.capabilities.protocolVersions.map((major) => ({ syntax: { uuid: CLUSAPI_UUID, major, minor: 0 }, port })), options.log);
    } catch (error) {
      await listeners.close();
      throw error;
    }
  }
  return {
    endpoints,
    ...(mapper ? { epmPort: mapper.address.port } : {}),
    served: servedClusterTarget(target, listeners, security, heldReads),
    close: async () => {
      await Promise.all([listeners.close(), mapper?.close()]);
    },
  };
}
