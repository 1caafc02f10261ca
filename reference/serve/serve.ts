// Serves a Target over the adapter protocol: on this process's stdin/stdout, or on a TCP port of
// 127.0.0.1 (never another interface: the reference server has no authentication). Over TCP each
// connection is its own session; with a target factory each also gets its own fresh target, as each
// stdio adapter process has its own, so parallel test workers never share a cluster.
import { createServer, type Server, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { Target } from '../../cmrp/contract';
import { serveStream, type SessionLog } from './session';

export type Listen = 'stdio' | { host: string; port: number };

/** One shared target, or a factory called per session. */
export type TargetSource = Target | (() => Target | Promise<Target>);

export interface ServeOptions {
  /** Shown to the harness in the Hello reply. */
  name?: string;
  /** Where problems of the served target are reported (never stdout: that is the protocol's over stdio). */
  log?: SessionLog;
  /** The stdio streams (tests pass their own). */
  input?: Readable;
  output?: Writable;
}

export interface AdapterServer {
  /** The TCP address actually bound (port 0 asks for a free one); undefined over stdio. */
  address?: { host: string; port: number };
  /** Resolves when serving ends: stdin closed (stdio) or close() was called. */
  closed: Promise<void>;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

export async function serveAdapter(listen: Listen, source: TargetSource, options: ServeOptions = {}): Promise<AdapterServer> {
  const log = options.log ?? (() => undefined);
  if (listen === 'stdio') return serveStdio(source, options, log);
  if (listen.host !== LOOPBACK) throw new Error(`serve binds only to ${LOOPBACK}, not ${listen.host}`);
  return serveTcp(listen.port, source, options, log);
}

async function targetFor(source: TargetSource): Promise<{ target: Target; owned: boolean }> {
  return typeof source === 'function' ? { target: await source(), owned: true } : { target: source, owned: false };
}

async function serveStdio(source: TargetSource, options: ServeOptions, log: SessionLog): Promise<AdapterServer> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const { target, owned } = await targetFor(source);
  const closed = serveStream(input, output, target, options.name ?? target.description, log).then(() => (owned ? target.dispose() : undefined));
  return {
    closed,
    close: async () => {
      input.destroy();
      await closed;
    },
  };
}

async function serveTcp(port: number, source: TargetSource, options: ServeOptions, log: SessionLog): Promise<AdapterServer> {
  const sockets = new Set<Socket>();
  const sessions = new Set<Promise<void>>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const session = (async () => {
      const { target, owned } = await targetFor(source);
      try {
        await serveStream(socket, socket, target, options.name ?? target.description, log);
      } finally {
        if (owned) await target.dispose();
      }
    })()
      .catch((error: unknown) => log(`session failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        sockets.delete(socket);
        sessions.delete(session);
        socket.destroy();
      });
    sessions.add(session);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address = typeof bound === 'object' && bound ? { host: LOOPBACK, port: bound.port } : { host: LOOPBACK, port };
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  return {
    address,
    closed,
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
        await Promise.all([...sessions]);
        resolveClosed();
      })();
      return closing;
    },
  };
}
