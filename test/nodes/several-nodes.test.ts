// Several active nodes in process: the builtin reference connects to each node of its cluster, and the
// several-node sequences (vectors/sequences/3.1.4.x-several-nodes.json and the cross-node reconnect of
// 3.2.4.6) PASS against it in both protocol versions; a target with one endpoint leaves them NOT-TESTED
// saying why; the reference served over stdio passes them as well; each node mutant is caught by the clause it breaks (FAIL, or NON-STRICT for a SHOULD).
import type { Target } from '../../cmrp/contract';
import { loadCatalogue } from '../../harness/catalogue/load';
import { RoleBindings } from '../../harness/profile/bindings';
import { profileFromCluster } from '../../harness/profile/derive';
import { clausesIn, runSequence, type SequenceContext } from '../../harness/sequence/interpret';
import { loadAllSequences } from '../../harness/sequence/load';
import type { Sequence } from '../../harness/sequence/types';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { judge } from '../../harness/verdict/judge';
import { DEFAULT_CLUSTER, MUTANTS } from '../../reference';
import { createTarget } from '../../harness/target/resolve';
import { servedReferenceSpec, SLOW_START } from '../adapter/helpers';
import { scaled } from '../support/time-scale';

/** The sequences that connect to a named node. */
function nodeSequences(): Sequence[] {
  const named = (steps: Sequence['steps']): boolean => steps.some((s) => ('reconnect' in s && typeof s.reconnect === 'string') || ('repeat' in s && named(s.steps)));
  return loadAllSequences().filter((s) => named(s.steps));
}

async function verdictsOf(target: Target, version: 2 | 3, sequences = nodeSequences()): Promise<Map<string, { verdict: string; message: string | null }>> {
  const roles = RoleBindings.of(profileFromCluster(DEFAULT_CLUSTER), "the builtin target's default cluster");
  const ctx: SequenceContext = { target, protocolVersion: version, timeouts: { callMs: scaled(500), readMs: scaled(200) }, roles, replay: (id) => `--clause ${id}` };
  const observations = [];
  try {
    for (const sequence of sequences) if (clausesIn(sequence, version).length) observations.push(...(await runSequence(sequence, ctx)));
  } finally {
    await target.dispose();
  }
  const ids = new Set(observations.map((o) => o.clause));
  const clauses = loadCatalogue().filter((c) => ids.has(c.id));
  return new Map(judge(clauses, observations).filter((v) => ids.has(v.id)).map((v) => [v.id, { verdict: v.verdict, message: v.message }]));
}

const NODE_MUTANTS = ['only-first-node-serves', 'sequence-per-node', 'node-loss-unreported'];

describe('several active nodes, in process', () => {
  it('the node sequences exist and judge the several-node clauses', () => {
    const v3 = new Set(nodeSequences().flatMap((s) => clausesIn(s, 3)));
    const v2 = new Set(nodeSequences().flatMap((s) => clausesIn(s, 2)));
    for (const id of ['3.1.1/R5', '3.1.1/R6', '3.1.4.2/R6', '3.1.4.2/R7', '3.1.4.2/R8', '3.1.4.2/R9', '3.1.4.2/R10', '3.1.1.8/R19']) expect([id, v3.has(id)]).toEqual([id, true]);
    for (const id of ['3.1.4.1/R4', '3.1.4.1/R5', '3.1.4.1/R6', '3.1.4.1/R7', '3.1.4.1/R8', '3.1.4.1/R9']) expect([id, v2.has(id)]).toEqual([id, true]);
  });

  it.each([3, 2] as const)('protocol version %s: the reference passes them all', async (version) => {
    const verdicts = await verdictsOf(createBuiltinTarget({}), version);
    expect(verdicts.size).toBeGreaterThan(8);
    expect(Object.fromEntries([...verdicts].map(([id, v]) => [id, v.verdict === 'PASS' ? 'PASS' : `${v.verdict}: ${v.message}`]))).toEqual(Object.fromEntries([...verdicts.keys()].map((id) => [id, 'PASS'])));
  });

  it('the reference served over the adapter protocol (stdio) passes them too: Connect names the node', async () => {
    const stdio = await createTarget(servedReferenceSpec(), SLOW_START);
    expect(stdio.capabilities.nodeEndpoints).toBe(2);
    const verdicts = await verdictsOf(stdio, 3);
    expect(verdicts.size).toBeGreaterThan(8);
    expect([...new Set([...verdicts.values()].map((v) => v.verdict))]).toEqual(['PASS']);
  }, 120_000);

  it('a target reaching one node: NOT-TESTED, saying what is missing', async () => {
    const builtin = createBuiltinTarget({});
    const oneNode: Target = { ...builtin, capabilities: { ...builtin.capabilities, nodeEndpoints: 1 }, connect: (o) => builtin.connect(o), dispose: () => builtin.dispose() };
    const verdicts = await verdictsOf(oneNode, 3);
    for (const [id, v] of verdicts) {
      expect([id, v.verdict]).toEqual([id, 'NOT-TESTED']);
      expect(v.message).toContain('two nodes');
    }
  });

  it.each(NODE_MUTANTS)('mutant %s is caught by the clauses it trips', async (name) => {
    const mutant = MUTANTS.find((m) => m.name === name)!;
    expect(mutant).toBeDefined();
    for (const version of [3, 2] as const) {
      const trips = mutant.trips.filter((t) => t.section.startsWith(version === 3 ? '3.1.4.2' : '3.1.4.1') || !/^3\.1\.4\.[12]/.test(t.section));
      const verdicts = await verdictsOf(createBuiltinTarget({ mutant: name }), version);
      const failed = [...verdicts].filter(([, v]) => v.verdict === 'FAIL' || v.verdict === 'NON-STRICT').map(([id]) => id);
      const titles = new Map(loadCatalogue().map((c) => [c.id, `${c.section}: ${c.title}`]));
      for (const t of trips) expect([version, `${t.section}: ${t.title}`, failed.some((id) => titles.get(id) === `${t.section}: ${t.title}`)]).toEqual([version, `${t.section}: ${t.title}`, true]);
    }
  });
});
