// Fixture handles in the read-only server state (harness/property/context.ts): each is opened on its
// first use, read-only or not, since every ApiOpen* (and ApiGetRootKey) SHOULD be accepted there. A server
// that refuses one (the variant read-only-refuses-open) ends that sequence where it is, with no verdict,
// and the run's later sequences (and every rerun) open all handles before the server goes read-only.
import { OpenRefusedInReadOnly, environmentFor } from '../../harness/property/context';
import { SequenceRun, clauseBook, rerun, type Known } from '../../harness/property/runner';
import type { Step } from '../../harness/property/steps';
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';
import { TEST_TIMEOUTS, property, withTarget } from './support';

const READ_ONLY_THEN_REGISTER: Step[] = [
  { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: true } },
  { op: 'AddNotifyCluster', port: 0, bits: C.GROUP_STATE, key: 3 },
];

/** Runs the prelude and `steps` as the property does; returns the opens on the wire and what was thrown. */
async function sequence(spec: string, known: Known): Promise<{ opens: string[]; thrown?: unknown }> {
  return withTarget(spec, async (target) => {
    const run = new SequenceRun(environmentFor(target, spec, 3, TEST_TIMEOUTS, clauseBook()), 'full', async (labels) => labels.map((_, i) => i), known);
    let thrown: unknown;
    try {
      await run.setUp();
      await run.prelude();
      await run.steps(READ_ONLY_THEN_REGISTER);
    } catch (error) {
      thrown = error;
    } finally {
      await run.tearDown();
    }
    return { opens: run.ctx.trace.lines.filter((l) => /Api(Open|GetRootKey)/.test(l)), thrown };
  });
}

test('a server that accepts opens in read-only gets only the open a step needs, after the server went read-only', async () => {
  const { opens, thrown } = await sequence('builtin', {});
  expect(thrown).toBeUndefined();
  expect(opens).toHaveLength(1);
  expect(opens[0]).toMatch(/ApiOpenCluster/);
});

test('a server that refuses an open in read-only ends the sequence with no verdict; once known, every handle is opened before', async () => {
  const refused = await sequence('builtin:variant=read-only-refuses-open', {});
  expect(refused.thrown).toBeInstanceOf(OpenRefusedInReadOnly);
  const flushed = await sequence('builtin:variant=read-only-refuses-open', { openAllBeforeReadOnly: true });
  expect(flushed.thrown).toBeUndefined();
  expect(flushed.opens.length).toBeGreaterThan(5);
});

test('a rerun opens every handle before read-only, so it runs every step it is given', async () => {
  await withTarget('builtin:variant=read-only-refuses-open', async (target) => {
    const env = environmentFor(target, 'builtin:variant=read-only-refuses-open', 3, TEST_TIMEOUTS, clauseBook());
    const { run, failure } = await rerun(env, 'full', [{ op: 'CreateNotify' }, ...READ_ONLY_THEN_REGISTER]);
    expect(failure?.message).toBeUndefined();
    expect(run.ctx.executed.map((s) => s.data.op)).toEqual(['CreateNotify', 'Stimulus', 'AddNotifyCluster']);
  });
});

test('no handle is closed and reopened in the read-only state: the reopen is an ApiOpen* there too', async () => {
  await withTarget('builtin:variant=read-only-refuses-open', async (target) => {
    const env = environmentFor(target, 'builtin:variant=read-only-refuses-open', 2, TEST_TIMEOUTS, clauseBook());
    const steps: Step[] = [
      { op: 'CreateNotify' },
      { op: 'CloseObjectHandle', target: 'group', index: 0 },
      { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: true } },
      { op: 'CloseObjectHandle', target: 'cluster', index: 0 },
      { op: 'Stimulus', stimulus: { verb: 'SetServerState', readOnly: false } },
      { op: 'CloseObjectHandle', target: 'cluster', index: 0 },
    ];
    const { run, failure } = await rerun(env, 'full', steps);
    expect(failure?.message).toBeUndefined();
    expect(run.ctx.executed.map((s) => s.data.op)).toEqual(['CreateNotify', 'CloseObjectHandle', 'Stimulus', 'Stimulus', 'CloseObjectHandle']);
  });
});

test('the property against that server: no failure, no problem', async () => {
  const result = await property('builtin:variant=read-only-refuses-open', 3, { runs: 40 });
  expect(result.failure).toBeUndefined();
  expect(result.problem).toBeUndefined();
}, 60000);
