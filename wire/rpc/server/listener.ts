// A connection-oriented DCE/RPC server on a TCP port of 127.0.0.1 (ncacn_ip_tcp): accepts connections,
// gives each its own RpcServerConnection, and shares association groups between them.
import { createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_SERVER_LIMITS, type ServerApp, type ServerLimits, type ServerSecurity } from './app';
import { RpcServerConnection, type PressureLog, type ServerLog } from './connection';
import { GroupRegistry } from './groups';
import { ServerResources } from './resources';

export interface RpcListener {
  address: { host: string; port: number };
  /** Stops listening and drops every connection (their groups are run down). */
  close(): Promise<void>;
  /** Connections open now and the bytes they hold for unfinished calls: what the limits bound. */
  stats(): { connections: number; heldBytes: number };
}

export interface ListenOptions {
  host: string;
  port: number;
  limits?: Partial<ServerLimits>;
  log?: ServerLog;
  /** Authentication (NTLM, SPNEGO): absent, a bind carrying an auth verifier is refused. */
  security?: ServerSecurity;
}

/** How often a summary of the lines hostile load produces in bulk is written. */
const PRESSURE_LOG_PERIOD_MS = 10_000;

/**
 * The first line of each kind is written as it comes; the rest are counted and summarised once per
 * period, so a thousand refused or idle connections cost a few lines, not a thousand.
 */
function pressureLogger(log: ServerLog): { log: PressureLog; stop(): void } {
  const counts = new Map<string, number>();
  const timer = setInterval(() => {
    for (const [kind, n] of counts) if (n) log(`${n} more connection(s) closed or refused (${kind}) in the last ${PRESSURE_LOG_PERIOD_MS / 1000} s`);
    counts.clear();
  }, PRESSURE_LOG_PERIOD_MS);
  timer.unref();
  return {
    log: (kind, line) => {
      const n = counts.get(kind);
      if (n === undefined) {
        counts.set(kind, 0);
        log(line);
      } else counts.set(kind, n + 1);
    },
    stop: () => clearInterval(timer),
  };
}

export async function listenRpc<G>(app: ServerApp<G>, options: ListenOptions): Promise<RpcListener> {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const log = options.log ?? (() => undefined);
  const pressure = pressureLogger(log);
  const groups = new GroupRegistry<G>();
  const resources = new ServerResources(limits);
  const connections = new Map<Socket, RpcServerConnection<G>>();
  const server: Server = createServer((socket) => {
    const admission = resources.admit(socket.remoteAddress ?? '?');
    if (!admission.admitted) {
      pressure.log('refused', `refusing a connection: ${admission.reason}`);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const connection = new RpcServerConnection(socket, app, groups, limits, log, resources, pressure.log, options.security);
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
    stats: () => ({ connections: resources.connections, heldBytes: resources.held }),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        pressure.stop();
        server.close(() => resolve());
        for (const connection of connections.values()) connection.drop();
      })),
  };
}
