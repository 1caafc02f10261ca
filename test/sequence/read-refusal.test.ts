// A server that refuses Read clients ([MS-CMRP] 3.1.4.2.x: the state and notification methods SHOULD be
// accepted at access level Read) falls short of those SHOULDs: a Read sequence whose setup step is refused
// for want of access makes its SHOULD checks NON-STRICT, naming the step, never INCONCLUSIVE; a MUST it
// checks (3.1.4.2.138/R7) stays INCONCLUSIVE: the refused step's own clause judges the refusal.
import { loadCatalogue } from '../../harness/catalogue/load';
import { clausesIn, runSequence, type SequenceContext } from '../../harness/sequence/interpret';
import { loadAllSequences } from '../../harness/sequence/load';
import type { Sequence, Step } from '../../harness/sequence/types';
import { judge } from '../../harness/verdict/judge';
import { createBuiltinTarget } from '../../harness/target/builtin';
import type { Target } from '../../cmrp/contract';
import { DEFAULT_CLUSTER } from '../../reference';
import { RoleBindings } from '../../harness/profile/bindings';
import { profileFromCluster } from '../../harness/profile/derive';

/**
 * The Read sequences of the methods' own "accepted at access level Read" rules. Not those changing the
 * cluster security descriptor, nor the general access-level rules of 3.1.4.2-access-levels.json, whose
 * MUSTs judge a refusal itself (their mutants: test/suite/power*.ts).
 */
function readSequences(): Sequence[] {
  return loadAllSequences().filter((s) => s.accessLevel === 'read' && !s.id.startsWith('access/') && !s.steps.some((step) => 'control' in step && step.control.verb === 'SetClusterSecurity'));
}
const READ_CLAUSES_V3 = new Set(readSequences().flatMap((s) => clausesIn(s, 3)));

const hasCheck = (step: Step) => 'check' in step && step.check !== undefined;

/** A builtin reference (or mutant) whose Read-level connections get `refuse` for every call. */
function refusingRead(refuse: { status: number } | { fault: number }, mutant?: string): Target {
  const target = createBuiltinTarget(mutant ? { mutant } : {});
  return {
    ...target,
    connect: async (o) => {
      const connection = await target.connect(o);
      if (o.accessLevel !== 'read') return connection;
      return new Proxy(connection, { get: (c, key) => (typeof key === 'string' && key.startsWith('Api') ? async () => refuse : Reflect.get(c, key)) });
    },
    dispose: () => target.dispose(),
  } as Target;
}

async function verdictsOf(target: Target, version: 2 | 3): Promise<Map<string, { verdict: string; message: string | null }>> {
  const roles = RoleBindings.of(profileFromCluster(DEFAULT_CLUSTER), "the builtin target's default cluster");
  const ctx: SequenceContext = { target, protocolVersion: version, timeouts: { callMs: 500, readMs: 200 }, roles, replay: (id) => `--clause ${id}` };
  const observations = [];
  try {
    for (const sequence of readSequences()) if (clausesIn(sequence, version).length) observations.push(...(await runSequence(sequence, ctx)));
  } finally {
    await target.dispose();
  }
  const ids = new Set(observations.map((o) => o.clause));
  const clauses = loadCatalogue().filter((c) => ids.has(c.id));
  // The judge adds its harness pseudo-clause: what the runner saw about itself (nothing, here).
  return new Map(judge(clauses, observations).filter((v) => ids.has(v.id)).map((v) => [v.id, { verdict: v.verdict, message: v.message }]));
}

describe('Read clients refused', () => {
  it('the clauses Read sequences check after a setup step: SHOULDs, but for the one MUST of 3.1.4.2.138', () => {
    const levels = new Map(loadCatalogue().map((c) => [c.id, c.level]));
    const strong: string[] = [];
    for (const sequence of readSequences()) {
      const firstCheck = sequence.steps.findIndex(hasCheck);
      if (firstCheck === 0) continue;
      for (const version of [2, 3] as const) {
        for (const id of clausesIn(sequence, version)) if (!['SHOULD', 'SHOULD NOT', 'MAY'].includes(levels.get(id) ?? '')) strong.push(`${sequence.id}: ${id}`);
      }
    }
    expect(strong).toEqual(['notifyv2-get/access-read: 3.1.4.2.138/R7']);
  });

  it.each([
    ['status ERROR_ACCESS_DENIED', { status: 5 }],
    ['the access-denied fault', { fault: 5 }],
  ])('refused everywhere with %s: every version 3 access-level SHOULD NON-STRICT, naming the refused step', async (_, refuse) => {
    const verdicts = await verdictsOf(refusingRead(refuse), 3);
    expect([...verdicts.keys()].sort()).toEqual([...READ_CLAUSES_V3].sort());
    for (const [id, v] of verdicts) {
      expect([id, v.verdict]).toEqual([id, id === '3.1.4.2.138/R7' ? 'INCONCLUSIVE' : 'NON-STRICT']);
      expect(v.message).toMatch(/refused|ERROR_ACCESS_DENIED|0x5/);
    }
    expect(verdicts.get('3.1.4.2.57/R8')?.message).toContain('the server refused the Read-level client: setup step 1 was refused');
  });

  it('a setup step failing otherwise at Read stays INCONCLUSIVE', async () => {
    const verdicts = await verdictsOf(refusingRead({ status: 87 }), 3);
    expect(verdicts.get('3.1.4.2.57/R8')?.verdict).toBe('INCONCLUSIVE');
    expect(verdicts.get('3.1.4.2.56/R7')?.verdict).toBe('NON-STRICT');
  });

  it('the reference passes them all, in both versions', async () => {
    for (const version of [3, 2] as const) {
      const verdicts = await verdictsOf(createBuiltinTarget({}), version);
      expect([...verdicts.values()].map((v) => v.verdict)).toEqual([...verdicts.values()].map(() => 'PASS'));
    }
  });
});
