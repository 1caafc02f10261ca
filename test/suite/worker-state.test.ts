// What the suite files of one worker share (harness/suite/worker-state.ts): a dcerpc target's start-up
// probes are made by the first file's target only, and role bindings are made once, by the first file that
// needs them; later files reuse both without touching the target, every file's target still gets the
// property policy, and a binding that failed is tried again.
import { createServer, connect, type Socket } from 'node:net';
import type { Target } from '../../cmrp/contract';
import { TargetError } from '../../cmrp/contract';
import type { RunConfig } from '../../harness/run-config/config';
import { fileTarget, workerRoles } from '../../harness/suite/worker-state';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { serveReference } from '../wire/rpc/support';

/** A builtin target counting its connections, whose control records the property policies it is given. */
function counted(failing = false): { target: Target; connects: () => number; policies: unknown[] } {
  const inner = createBuiltinTarget({});
  let connects = 0;
  const policies: unknown[] = [];
  const target: Target = {
    ...inner,
    connect: async (options) => {
      connects++;
      if (failing) throw new TargetError('connect', 'unreachable', 'refused for the test');
      return inner.connect(options);
    },
    control: Object.assign(Object.create(inner.control!) as object, inner.control!, { allowProperties: (policy: unknown) => policies.push(policy) }) as Target['control'],
  };
  return { target, connects: () => connects, policies };
}

// Not "builtin" as the spec: the bindings come from in-band discovery, as for a server on the wire.
const options = (target: Target, targetSpec = 'dcerpc:127.0.0.1:1') => ({ targetSpec, target, protocolVersion: 3 as const, callMs: 2000 });

test('a failed binding is tried again; a made one is reused by later files, each of whose targets gets the policy', async () => {
  const refused = counted(true);
  await expect(workerRoles(options(refused.target))).rejects.toThrow('refused for the test');
  expect(refused.connects()).toBe(1);

  const first = counted();
  const bound = await workerRoles(options(first.target));
  expect(first.connects()).toBe(1);
  expect(bound.name('group')).toBe('App Group');
  expect(first.policies).toHaveLength(1);

  const later = counted();
  expect(await workerRoles(options(later.target))).toBe(bound);
  expect(later.connects()).toBe(0);
  expect(later.policies).toHaveLength(1);

  // Another target (or protocol version, or profile) is bound on its own.
  const other = counted();
  await workerRoles(options(other.target, 'dcerpc:127.0.0.1:2'));
  expect(other.connects()).toBe(1);
  for (const t of [refused, first, later, other]) await t.target.dispose();
});

test("a dcerpc target's start-up probes are made by the first file's target only", async () => {
  const served = await serveReference();
  // A relay counting the connections the targets open to the served reference.
  let connections = 0;
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    connections++;
    const server = connect({ host: '127.0.0.1', port: served.port });
    for (const s of [client, server]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as { port: number }).port;
  const config = { target: `dcerpc:127.0.0.1:${port}`, auth: 'none', timeoutMultiplier: 1 } as RunConfig;
  try {
    const first = await fileTarget(config);
    const probes = connections;
    expect(probes).toBeGreaterThan(0);
    const later = await fileTarget(config);
    expect(connections).toBe(probes);
    expect(later.capabilities).toEqual(first.capabilities);
    // The later target works: its first connection is the first it opens.
    const c = await later.connect({ protocolVersion: 3 });
    expect(connections).toBe(probes + 1);
    await c.close();
    await first.dispose();
    await later.dispose();
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
    await served.close();
  }
});
