// What the property claims follows the target, and the generator does not spend steps where nothing
// can be shown: a target without SetQuorum is not held to QUORUM_STATE (NOT-TESTED naming the verb,
// derived from the verbs it offers, never from its name; in version 2, REGISTRY_ATTRIBUTES without RegistrySetSecurity); a registration on a server whose
// ApiUnblockGetNotifyCall ended every port's retrieval goes to a fresh port.
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';
import type { Target } from '../../cmrp/contract';
import { environmentFor } from '../../harness/property/context';
import { BIT_MEANING, ONLY_BY_METHOD, ONLY_THROUGH } from '../../harness/model/refs';
import { claimedClauseIds, claimedFor, clauseBook, rerun, runProperty } from '../../harness/property/runner';
import type { Step } from '../../harness/property/steps';
import { TEST_TIMEOUTS, withTarget } from './support';

/** The builtin target with one control verb taken away. */
function without(builtin: Target, verb: string): Target {
  const control = builtin.control!;
  const verbs = new Set([...control.verbs].filter((v) => v !== verb));
  return { ...builtin, description: `builtin without ${verb}`, control: { ...control, verbs, apply: (s) => control.apply(s) }, connect: (o) => builtin.connect(o), dispose: async () => undefined };
}

// Version 2 servers never report QUORUM_STATE (2.2.2.7): there the row is REGISTRY_ATTRIBUTES, only a security change shows it.
const CASES = [
  { version: 3, verb: 'SetQuorum', bit: C.QUORUM_STATE },
  { version: 2, verb: 'RegistrySetSecurity', bit: C.REGISTRY_ATTRIBUTES },
] as const;

describe.each(CASES)('protocol version $version', ({ version, verb, bit }) => {
  test(`a target without ${verb} is not held to the rows only it shows: they are NOT-TESTED naming the verb`, async () => {
    const book = clauseBook();
    const id = book.ids([BIT_MEANING[bit]], version)[0];
    expect(claimedClauseIds(version)).toContain(id);
    const result = await withTarget('builtin', async (builtin) => {
      const bare = without(builtin, verb);
      const claimed = claimedFor(environmentFor(bare, 'builtin', version, TEST_TIMEOUTS, book));
      // The full builtin is held to the whole claim; without the verb, exactly that verb's rows leave it.
      expect(claimedFor(environmentFor(builtin, 'builtin', version, TEST_TIMEOUTS, book))).toEqual(claimedClauseIds(version));
      const verbRows = new Set(book.ids(ONLY_THROUGH.filter((r) => r.verbs.length === 1 && r.verbs[0] === verb).flatMap((r) => r.refs), version));
      expect(claimedClauseIds(version).filter((x) => !claimed.includes(x))).toEqual(claimedClauseIds(version).filter((x) => verbRows.has(x)));
      expect(verbRows.has(id)).toBe(true);
      return runProperty({ target: bare, targetSpec: 'builtin', version, seed: 5, runs: 40, timeouts: TEST_TIMEOUTS });
    });
    expect(result.failure?.message).toBeUndefined();
    const o = result.observations.filter((x) => x.clause === id);
    expect(o.map((x) => x.outcome)).toEqual(['not-tested']);
    expect(o[0].message).toContain(`the ${verb} control verb`);
  }, 60000);
});

test('a registration after every port ended retrieval (Unblock ends it on this server) goes to a fresh port, whose event is read', async () => {
  const spec = 'builtin:variant=unblock-ends-retrieval';
  await withTarget(spec, async (target) => {
    const env = environmentFor(target, spec, 3, TEST_TIMEOUTS, clauseBook());
    const steps: Step[] = [
      { op: 'CreateNotify' },
      { op: 'Unblock', port: 0 },
      // The read after the unblock completes at once: the model now knows retrieval ended in every world.
      { op: 'GetNotify', port: 0 },
      { op: 'AddNotifyCluster', port: 0, bits: C.GROUP_STATE, key: 3 },
      { op: 'Stimulus', stimulus: { verb: 'SetState', kind: 'group', object: 0, state: 0 } },
      { op: 'GetNotify', port: 0 },
    ];
    const { run, failure } = await rerun(env, 'full', steps);
    expect(failure?.message).toBeUndefined();
    expect(run.ctx.executed.map((s) => s.data.op)).toEqual(['CreateNotify', 'Unblock', 'GetNotify', 'CreateNotify', 'AddNotifyCluster', 'Stimulus', 'GetNotify']);
    const [ended, fresh] = run.ctx.model.ports;
    expect(run.ctx.model.retrievalEnded(ended)).toBe(true);
    expect(run.ctx.model.retrievalEnded(fresh)).toBe(false);
    // The GROUP_STATE indication came on the fresh port: its meaning row passed.
    expect(run.ctx.passes.has(clauseBook().ids([BIT_MEANING[C.GROUP_STATE]], 3)[0])).toBe(true);
  });
}, 30000);

test('a version 2 server without ApiUnblockGetNotifyCall is not held to the 3.1.4.1.107 rows: NOT-TESTED naming the method, as the scripted suite says', async () => {
  const spec = 'builtin:variant=v2-no-unblock';
  const book = clauseBook();
  const rows = book.ids(ONLY_BY_METHOD.filter((r) => r.method === 'ApiUnblockGetNotifyCall').flatMap((r) => r.refs), 2);
  expect(rows.length).toBe(3);
  const { result, env } = await withTarget(spec, async (target) => {
    const env = environmentFor(target, spec, 2, TEST_TIMEOUTS, book);
    // Before a run nothing says the method is missing (the claim follows what the target shows, not its name).
    expect(claimedFor(env)).toEqual(expect.arrayContaining(rows));
    return { env, result: await runProperty({ target, targetSpec: spec, version: 2, seed: 5, runs: 40, timeouts: TEST_TIMEOUTS }) };
  });
  expect(result.failure?.message).toBeUndefined();
  expect(result.absentMethods).toEqual(['ApiUnblockGetNotifyCall']);
  expect(claimedFor(env, result.absentMethods).filter((id) => rows.includes(id))).toEqual([]);
  const judged = result.observations.filter((o) => rows.includes(o.clause));
  expect(judged.map((o) => o.outcome)).toEqual(rows.map(() => 'not-tested'));
  for (const o of judged) expect(o.message).toMatch(/lacks ApiUnblockGetNotifyCall \(it answered RPC_S_PROCNUM_OUT_OF_RANGE/);
}, 60000);

test('the reference (which offers ApiUnblockGetNotifyCall) keeps the 3.1.4.1.107 rows in its claim and shows them', async () => {
  const book = clauseBook();
  const rows = book.ids(ONLY_BY_METHOD.flatMap((r) => r.refs), 2);
  const result = await withTarget('builtin', (target) => runProperty({ target, targetSpec: 'builtin', version: 2, seed: 5, runs: 40, timeouts: TEST_TIMEOUTS }));
  expect(result.absentMethods).toBeUndefined();
  expect(rows.filter((id) => !result.observations.some((o) => o.clause === id && o.outcome === 'pass'))).toEqual([]);
}, 60000);
