// The nodes of a cluster reached on the wire, each at its own endpoint (run --node-target): which
// endpoint serves which node. [MS-CMRP] 3.1.4.x ApiGetClusterName returns the name of the node the
// client is connected to, so the suite asks each endpoint rather than trusting the command line's order.
// Names are learned when first needed and kept (a node's name does not change; a node that is down
// then answers nobody, so it is asked again only while its name is unknown).
import { TargetError } from '../../cmrp/contract';
import type { ProtocolVersion } from '../../cmrp/constants';
import { CLUSAPI } from '../../wire/clusapi';
import { RpcAssociation } from '../../wire/rpc/client/association';
import type { ClientSecurity, ConnectionLimits, Endpoint } from '../../wire/rpc/client/connection';
import type { SyntaxId } from '../../wire/rpc/constants';

export interface NodeProbe {
  syntax: (version: ProtocolVersion) => SyntaxId;
  limits: ConnectionLimits;
  security: (host: string) => { security?: () => ClientSecurity };
  callTimeoutMs: number;
}

export class NodeEndpoints {
  /** Lowercase node name -> the endpoint that said it is that node. */
  private readonly known = new Map<string, Endpoint>();
  private readonly unnamed: Endpoint[];

  constructor(
    readonly endpoints: readonly Endpoint[],
    private readonly probe: NodeProbe,
  ) {
    this.unnamed = [...endpoints];
  }

  /** The endpoint of the node named `node` (case-insensitive), or a TargetError naming what was asked. */
  async endpointOf(node: string, version: ProtocolVersion): Promise<Endpoint> {
    const key = node.toLowerCase();
    const answers: string[] = [];
    for (const endpoint of [...this.unnamed]) {
      if (this.known.has(key)) break;
      try {
        const name = await this.nameOf(endpoint, version);
        this.known.set(name.toLowerCase(), endpoint);
        this.unnamed.splice(this.unnamed.indexOf(endpoint), 1);
        answers.push(`${endpoint.host}:${endpoint.port} is node '${name}'`);
      } catch (error) {
        answers.push(`${endpoint.host}:${endpoint.port} did not say (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    const found = this.known.get(key);
    if (found) return found;
    throw new TargetError('connect', 'unreachable', `no node endpoint serves node '${node}' (ApiGetClusterName: ${answers.join('; ') || [...this.known].map(([n, e]) => `${e.host}:${e.port} is node '${n}'`).join('; ')})`);
  }

  /** NodeName of ApiGetClusterName on a fresh association. */
  private async nameOf(endpoint: Endpoint, version: ProtocolVersion): Promise<string> {
    const association = await RpcAssociation.open(endpoint, this.probe.syntax(version), { ...this.probe.limits, ...this.probe.security(endpoint.host) });
    try {
      const codec = CLUSAPI.ApiGetClusterName;
      const outcome = await association.call(codec.opnum, codec.encodeRequest(version, []), this.probe.callTimeoutMs);
      if (outcome.fault !== undefined) throw new Error(`fault 0x${outcome.fault.toString(16)}`);
      const reply = codec.decodeResponse(version, outcome.stub) as { status: number; NodeName?: unknown };
      if (reply.status !== 0 || typeof reply.NodeName !== 'string' || reply.NodeName === '') throw new Error(`status ${reply.status}, no NodeName`);
      return reply.NodeName;
    } finally {
      association.close();
    }
  }
}
