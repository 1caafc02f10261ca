// Role bindings once per worker (harness/suite/sequences.ts workerRoles): the first file that needs them
// discovers the cluster, later files of the same run reuse the names without touching the target, every
// file's target still gets the property policy, and a binding that failed is tried again.
import type { Target } from '../../cmrp/contract';
import { TargetError } from '../../cmrp/contract';
import { workerRoles } from '../../harness/suite/sequences';
import { createBuiltinTarget } from '../../harness/target/builtin';

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
