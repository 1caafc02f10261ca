// The `builtin` target: the in-process reference server (reference/), optionally one of its mutants and
// optionally started with a cluster of other names (a cluster file). It goes through the server's public
// API only (reference/index.ts), never its internals.
import { createServer, type ServerOptions } from '../../reference';
import type { ClusapiConnection, ConnectOptions, Target } from '../../cmrp/contract';

export interface BuiltinOptions extends ServerOptions {
  /** The cluster file `cluster` came from, for the description. */
  clusterFile?: string;
}

export function createBuiltinTarget(options: BuiltinOptions = {}): Target {
  // Throws for an unknown mutant or variant, with the list of valid names.
  const server = createServer(options);
  const notes = [options.mutant ? `mutant ${options.mutant}` : '', options.variant ? `variant ${options.variant}` : '', options.clusterFile ? `cluster ${options.clusterFile}` : ''].filter(Boolean);
  return {
    description: notes.length ? `builtin (${notes.join(', ')})` : 'builtin',
    // Every node of its cluster serves connections (connect's `node`), as active nodes of one cluster.
    capabilities: { protocolVersions: [2, 3], notifyV2: true, accessLevels: ['full', 'read'], management: true, nodeEndpoints: server.cluster.nodes.length },
    control: server.control,
    async connect(connectOptions: ConnectOptions): Promise<ClusapiConnection> {
      return server.connect(connectOptions);
    },
    async dispose(): Promise<void> {
      server.dispose();
    },
  };
}
