// A connection-oriented DCE/RPC server on a TCP port of 127.0.0.1 (ncacn_ip_tcp): accepts connections,
// gives each its own RpcServerConnection, and shares association groups between them.
import { createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_SERVER_LIMITS, type ServerApp, type ServerLimits, type ServerSecurity } from './app';
import { RpcServerConnection, type ServerLog } from './connection';
import { GroupRegistry } from './groups';

export interface RpcListener {
  address: { host: string; port: number };
  /** Stops listening and drops every connection (their groups are run down). */
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
  limits?: Partial<ServerLimits>;
  log?: ServerLog;
  /** Authentication (NTLM, SPNEGO): absent, a bind carrying an auth verifier is refused. */
  security?: ServerSecurity;
}

export async function listenRpc<G>(app: ServerApp<G>, options: ListenOptions): Promise<RpcListener> {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const log = options.log ?? (() => undefined);
  const groups = new GroupRegistry<G>();
  const connections = new Map<Socket, RpcServerConnection<G>>();
  const server: Server = createServer((socket) => {
    if (connections.size >= limits.maxConnections) {
      log(`refusing a connection: ${limits.maxConnections} already open`);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const connection = new RpcServerConnection(socket, app, groups, limits, log, options.security);
    connections.set(socket, connection);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('error', (error) => log(`listener error: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : options.port;
  let closing: Promise<void> | undefined;
  return {
    address: { host: options.host, port },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections.values()) connection.drop();
      })),
  };
}
