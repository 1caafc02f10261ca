// The TCP transport: the adapter listens, the harness connects to exactly the address it was given
// (no discovery, no fallback address) and speaks the same lines as over stdio. "Restarting" a TCP
// adapter means opening a fresh connection to it.
import { connect, type Socket } from 'node:net';
import type { Transport, TransportEnd, TransportFactory } from './transport';

/** Parses "HOST:PORT" ("[v6]:PORT" for IPv6 literals); throws a one-sentence Error when it is not one. */
export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!m) throw new Error(`'${text}' is not HOST:PORT`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new Error(`port ${m[3]} is not in 1..65535`);
  return { host: m[1] ?? m[2], port };
}

export function tcpTransport(host: string, port: number, connectTimeoutMs: number): TransportFactory {
  const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return (events) =>
    new Promise<Transport>((resolve, reject) => {
      const socket = connect({ host, port });
      let connected = false;
      let ended = false;
      let closing: Promise<void> | undefined;
      const end = (e: TransportEnd) => {
        if (ended) return;
        ended = true;
        events.end(e);
      };
      socket.setTimeout(connectTimeoutMs, () => socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      socket.once('connect', () => {
        connected = true;
        socket.setTimeout(0);
        socket.setNoDelay(true);
        resolve(transport);
      });
      socket.on('data', events.data);
      socket.on('error', (error: NodeJS.ErrnoException) => {
        const reason = describeSocketError(error, where, connectTimeoutMs);
        if (!connected) reject(new Error(reason));
        else end({ reason, fault: 'crash' });
      });
      socket.once('end', () => end({ reason: `the adapter at ${where} closed the connection`, fault: 'crash' }));
      socket.once('close', () => {
        if (connected) end({ reason: `the connection to ${where} closed`, fault: 'crash' });
      });
      const transport: Transport = {
        send: (line) => {
          if (!socket.destroyed && socket.writable) socket.write(`${line}\n`);
        },
        close: () => (closing ??= closeSocket(socket, () => (ended = true))),
        stderrTail: () => '',
      };
    });
}

function closeSocket(socket: Socket, mark: () => void): Promise<void> {
  mark();
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
    // A peer that never closes its side must not keep the harness waiting.
    setTimeout(() => socket.destroy(), 500).unref();
  });
}

export function describeSocketError(error: NodeJS.ErrnoException, where: string, connectTimeoutMs: number): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (is the adapter listening there?)`;
    case 'ECONNRESET':
      return `connection reset by ${where}`;
    case 'EPIPE':
      return `the adapter at ${where} stopped reading (broken pipe)`;
    case 'ETIMEDOUT':
      return `no answer from ${where} within ${connectTimeoutMs} ms`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable`;
    default:
      return `${where}: ${error.code ? `${error.code}: ` : ''}${error.message}`;
  }
}
