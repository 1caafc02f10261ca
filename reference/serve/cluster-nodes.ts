// The served reference as several active nodes of one cluster: one DCE/RPC endpoint per node, all
// serving the one shared cluster (one Target). A node lost (the control verb NodeDown) stops listening
// and drops every connection to it, as a machine that goes away does: its clients see their TCP
// connections end and new ones refused; NodeUp (and Reset, which brings every node back) listens again
// on the same port. The control adapter served beside the endpoints also applies SetClusterSecurity to
// the descriptor every endpoint consults.
import { CONTROL_VERBS, type ClusterControl, type ControlVerb, type Stimulus } from '../../cmrp/control';
import type { Target } from '../../cmrp/contract';
import type { RpcListener } from '../../wire/rpc/server/listener';
import type { ClusterSecurity } from './cluster-security';
import type { HeldReads } from './dcerpc';

/** One node's endpoint: its name as the cluster spells it, its port (fixed once first bound). */
interface NodeEndpoint {
  node: string;
  port: number;
  listener?: RpcListener;
}

export class NodeListeners {
  private readonly endpoints: NodeEndpoint[];

  /** `open` listens for one node on a port (0: any free one). */
  constructor(
    nodes: readonly { node: string; port: number }[],
    private readonly open: (node: string, port: number) => Promise<RpcListener>,
  ) {
    this.endpoints = nodes.map((n) => ({ ...n }));
  }

  /** Listens for every node; returns where each one is. A failure closes the ones already open. */
  async start(): Promise<{ node: string; host: string; port: number }[]> {
    try {
      for (const endpoint of this.endpoints) await this.listen(endpoint);
    } catch (error) {
      await this.close();
      throw error;
    }
    return this.endpoints.map((e) => ({ node: e.node, host: e.listener!.address.host, port: e.port }));
  }

  /** The node is lost: no more listening, every connection to it dropped. */
  async down(node: string): Promise<void> {
    const endpoint = this.find(node);
    const listener = endpoint?.listener;
    if (!endpoint || !listener) return;
    endpoint.listener = undefined;
    await listener.close();
  }

  /** The node is back (or every node, after Reset): it listens again on its port. */
  async up(node?: string): Promise<void> {
    for (const endpoint of node === undefined ? this.endpoints : [this.find(node)].filter((e) => e !== undefined)) {
      if (!endpoint.listener) await this.listen(endpoint);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.endpoints.map(async (e) => {
      const listener = e.listener;
      e.listener = undefined;
      await listener?.close();
    }));
  }

  private async listen(endpoint: NodeEndpoint): Promise<void> {
    endpoint.listener = await this.open(endpoint.node, endpoint.port);
    endpoint.port = endpoint.listener.address.port;
  }

  private find(node: string): NodeEndpoint | undefined {
    return this.endpoints.find((e) => e.node.toLowerCase() === node.toLowerCase());
  }
}

/**
 * The served cluster's Target as its control adapter sees it: the reference's own verbs, with node
 * loss reaching the endpoints, and SetClusterSecurity (when accounts are served) reaching the
 * descriptor. A verb the cluster refuses (an unknown node) changes no endpoint.
 */
export function servedClusterTarget(target: Target, nodes: NodeListeners, security: ClusterSecurity | undefined, heldReads?: HeldReads): Target {
  const control = target.control;
  if (!control) return target;
  const verbs = new Set<ControlVerb>(CONTROL_VERBS.filter((v) => control.verbs.has(v) || (v === 'SetClusterSecurity' && security !== undefined)));
  const served: ClusterControl = {
    verbs,
    apply: async (stimulus: Stimulus) => {
      // Served with accounts, the endpoints consult their descriptor (the callers' sessions then carry
      // the level it grants); served without, the reference's own applies.
      if (stimulus.verb === 'SetClusterSecurity' && security) {
        security.set(stimulus.account, stimulus.access);
        return;
      }
      await control.apply(stimulus);
      if (stimulus.verb === 'NodeDown') await nodes.down(stimulus.name);
      if (stimulus.verb === 'NodeUp') await nodes.up(stimulus.name);
      if (stimulus.verb === 'Reset') {
        security?.reset();
        await nodes.up();
      }
    },
    // The query that finds what a run created of its own (changes nothing).
    ...(control.listObjects ? { listObjects: (prefix: string) => control.listObjects!(prefix) } : {}),
    // The reads the endpoints hold: what a client asks before it releases one by another connection.
    ...(heldReads ? { readsHeld: async (hNotify: string) => heldReads.count(hNotify) } : {}),
  };
  return {
    description: target.description,
    capabilities: target.capabilities,
    control: served,
    connect: (options) => target.connect(options),
    dispose: () => target.dispose(),
  };
}
