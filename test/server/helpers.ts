// Helpers for the reference server's own tests: a server with one connection, replies unwrapped, and
// a way to read everything queued on a port without sleeping (ApiUnblockGetNotifyCall releases the
// read that would otherwise block, so an empty queue is proven, not guessed).
import type { ClusapiConnection, GetNotifyOut, Reply } from '../../cmrp/contract';
import { ERROR, type ProtocolVersion } from '../../cmrp/constants';
import type { Stimulus } from '../../cmrp/control';
import { createServer, type ClusterServer } from '../../reference';

export interface Rig {
  server: ClusterServer;
  conn: ClusapiConnection;
  apply(stimulus: Stimulus): Promise<void>;
}

const servers: ClusterServer[] = [];

/** A server (or mutant) and one full-access connection of the given version. */
export function rig(version: ProtocolVersion, mutant?: string): Rig {
  const server = createServer({ mutant });
  servers.push(server);
  const conn = server.connect({ protocolVersion: version });
  return { server, conn, apply: (s) => server.control.apply(s) };
}

/** Disposes every server made by rig() (call from afterEach): no pending call or timer survives. */
export function disposeAll(): void {
  for (const server of servers.splice(0)) server.dispose();
}

/** The reply's fields, failing the test if the call did not succeed. */
export function ok<T extends object>(reply: Reply<T>): T & { status: number } {
  if (reply.fault !== undefined) throw new Error(`unexpected RPC fault 0x${reply.fault.toString(16)}`);
  if (reply.status !== ERROR.SUCCESS) throw new Error(`unexpected status 0x${reply.status.toString(16)}`);
  return reply;
}

export function status(reply: Reply): number | string {
  return reply.fault !== undefined ? `fault 0x${reply.fault.toString(16)}` : reply.status;
}

export async function openPort(conn: ClusapiConnection): Promise<string> {
  return ok(await conn.ApiCreateNotify()).hNotify;
}

/**
 * Every indication queued on the port now, in order. Version 2 reads with Timeout 0; version 3 starts
 * a read and unblocks it, which releases it only if it found nothing.
 */
export async function drain(conn: ClusapiConnection, hNotify: string): Promise<GetNotifyOut[]> {
  const out: GetNotifyOut[] = [];
  for (;;) {
    const pending = conn.protocolVersion === 2 ? conn.ApiGetNotify(hNotify, 0) : conn.ApiGetNotify(hNotify);
    if (conn.protocolVersion === 3) await conn.ApiUnblockGetNotifyCall(hNotify);
    const reply = await pending;
    if (reply.fault !== undefined || reply.status !== ERROR.SUCCESS) return out;
    const { dwNotifyKey, dwFilter, dwStateSequence, Name } = reply;
    out.push({ dwNotifyKey, dwFilter, dwStateSequence, Name });
  }
}

export const PENDING = Symbol('pending');

/** The promise's value if it settles within `ms`, else PENDING (the promise is left running). */
export async function within<T>(promise: Promise<T>, ms = 50): Promise<T | typeof PENDING> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof PENDING>((resolve) => {
    timer = setTimeout(() => resolve(PENDING), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
