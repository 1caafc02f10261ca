// Shared by the wire tests: the reference (or a mutant) served over DCE/RPC in this process, the
// dcerpc target pointed at it, raw sockets for scripted peers, and verdict comparison.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { REFERENCE_IDENTITY } from '../../../harness/cli/serve';
import type { Observation } from '../../../harness/recorder/observation';
import { serveDcerpc, type ServedIdentity } from '../../../reference/serve/dcerpc';
import { createBuiltinTarget } from '../../../harness/target/builtin';
import type { Target } from '../../../cmrp/contract';
import { loadAllSequences } from '../../../harness/sequence/load';
import type { Sequence } from '../../../harness/sequence/types';
import { createDcerpcTarget, type DcerpcAuth } from '../../../harness/target/dcerpc';
import type { WireMutantName } from '../../../reference/mutants/wire';
import type { Credentials } from '../../../wire/auth';
import type { ServerLimits } from '../../../wire/rpc/server/app';

export interface Served {
  reference: Target;
  port: number;
  logs: string[];
  close(): Promise<void>;
}

export async function serveReference(
  options: { mutant?: string; identity?: ServedIdentity; limits?: Partial<ServerLimits>; target?: Target; account?: Credentials; wireMutant?: WireMutantName } = {},
): Promise<Served> {
  const reference = options.target ?? createBuiltinTarget({ mutant: options.mutant });
  const logs: string[] = [];
  const listener = await serveDcerpc(reference, {
    port: 0,
    identity: options.identity ?? REFERENCE_IDENTITY,
    log: (l) => logs.push(l),
    limits: options.limits,
    ...(options.account ? { account: options.account } : {}),
    ...(options.wireMutant ? { wireMutant: options.wireMutant } : {}),
  });
  return {
    reference,
    port: listener.address.port,
    logs,
    close: async () => {
      await listener.close();
      await reference.dispose();
    },
  };
}

/** The dcerpc target for a served reference, with the reference's own control (in process), authenticated as `auth` says. */
export function wireTarget(served: Served, withControl = true, auth?: DcerpcAuth): Promise<Target> {
  return createDcerpcTarget(`dcerpc:127.0.0.1:${served.port}`, { host: '127.0.0.1', port: served.port }, {
    ...(withControl ? { control: served.reference.control } : {}),
    ...(auth ? { auth } : {}),
  });
}

/** A scripted peer: a TCP server on 127.0.0.1 whose every connection `script` handles. */
export async function scriptedServer(script: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    script(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A raw client socket: write bytes, read what comes back until the peer closes or `ms` pass. */
export function rawExchange(port: number, send: Buffer[], ms = 1000): Promise<{ received: Buffer; closedByPeer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByPeer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closedByPeer });
    };
    const timer = setTimeout(() => finish(false), ms);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      for (const b of send) socket.write(b);
    });
  });
}

/**
 * Verdict-bearing outcomes by clause and test, in the order observed (a sequence may check one clause
 * more than once): what two runs are compared on.
 */
export function outcomes(observations: Observation[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of observations) {
    const key = `${o.clause} ${o.test}`;
    out.set(key, out.has(key) ? `${out.get(key)},${o.outcome}` : o.outcome);
  }
  return out;
}

/**
 * The sequences that need a second node (a reconnect to a named node): judged in process, where every
 * node of the builtin cluster serves, and NOT-TESTED over one dcerpc endpoint, naming --node-target
 * (test/wire/rpc/nodes-and-security.test.ts serves two).
 */
export function severalNodeSequences(): Set<string> {
  const namesNode = (steps: Sequence['steps']): boolean => steps.some((s) => ('reconnect' in s && typeof s.reconnect === 'string') || ('repeat' in s && namesNode(s.steps)));
  return new Set(loadAllSequences().filter((s) => namesNode(s.steps)).map((s) => s.id));
}

/** The selected clauses of a run's results that are not PASS, each with its message, so a failing assertion says why. */
export function notPassed(results: { clauses: { id: string; verdict: string; message?: string }[] }, ids: readonly string[]): string[] {
  return results.clauses.filter((c) => ids.includes(c.id) && c.verdict !== 'PASS').map((c) => `${c.id} ${c.verdict}: ${c.message}`);
}

/** Every clause of `ids` is NOT-TESTED, and its reason names `missing` (the flag or account the run lacked). */
export function expectNotTestedNaming(results: { clauses: { id: string; verdict: string; message?: string }[] }, ids: readonly string[], missing: string): void {
  for (const id of ids) {
    const clause = results.clauses.find((c) => c.id === id);
    expect([id, clause?.verdict]).toEqual([id, 'NOT-TESTED']);
    expect(clause?.message).toContain(missing);
  }
}
