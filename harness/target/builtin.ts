// The `builtin` target: the in-process reference server (reference/), optionally one of its mutants. It
// goes through the server's public API only (reference/index.ts), never its internals.
import { createServer, type ServerOptions } from '../../reference';
import type { ClusapiConnection, ConnectOptions, Target } from '../../cmrp/contract';

export function createBuiltinTarget(options: ServerOptions = {}): Target {
  // Throws for an unknown mutant or variant, with the list of valid names.
  const server = createServer(options);
  return {
    description: options.mutant ? `builtin (mutant ${options.mutant})` : options.variant ? `builtin (variant ${options.variant})` : 'builtin',
    capabilities: { protocolVersions: [2, 3], notifyV2: true, accessLevels: ['full', 'read'] },
    control: server.control,
    async connect(connectOptions: ConnectOptions): Promise<ClusapiConnection> {
      return server.connect(connectOptions);
    },
    async dispose(): Promise<void> {
      server.dispose();
    },
  };
}
