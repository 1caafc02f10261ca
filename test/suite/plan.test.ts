// The run plan: which suite files a selection starts and what each must report, computed from the data.
// And completeness: a planned test that never reported makes its clauses ERROR, with the cause.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../cmrp/package-info';
import { propertyClauseIds } from '../../harness/property/runner';
import { unaccounted } from '../../harness/runner/run';
import { clausesIn } from '../../harness/sequence/interpret';
import { loadAllSequences } from '../../harness/sequence/load';
import { PROPERTY_PARTS, TRANSPORT_FILE, planRun, plannedClauses, propertyFileName, propertyShare, sequenceFiles, shardOf } from '../../harness/suite/plan';
import { isDone, unitErrors } from '../../harness/suite/accounting';
import { TRANSPORT_CLAUSES } from '../../harness/suite/transport-security';

const SUITES = join(packageRoot(), 'suites');
const specNames = readdirSync(SUITES).filter((f) => f.endsWith('.spec.ts')).map((f) => f.slice(0, -'.spec.ts'.length)).sort();

describe('the suite files', () => {
  it('are exactly one per sequence file, the transport file and the property parts', () => {
    const expected = [...sequenceFiles().map((f) => f.name), TRANSPORT_FILE, ...Array.from({ length: PROPERTY_PARTS }, (_, i) => propertyFileName(i + 1))].sort();
    expect(specNames).toEqual(expected);
  });

  it('each declares what its name says', () => {
    for (const name of specNames) {
      const text = readFileSync(join(SUITES, `${name}.spec.ts`), 'utf8');
      if (name === TRANSPORT_FILE) expect(text).toMatch(/^transportSuite\(\);$/m);
      else if (name.startsWith('properties-')) expect(text).toMatch(new RegExp(`^propertySuite\\(${name.slice('properties-'.length)}\\);$`, 'm'));
      else expect(text).toMatch(new RegExp(`^sequenceSuite\\('${name.replace(/\./g, '\\.')}'\\);$`, 'm'));
    }
  });
});

describe('the plan', () => {
  it.each([2, 3] as const)('of a full run in version %i starts every file and covers every clause a test can judge', (version) => {
    const files = planRun({ protocolVersion: version });
    const scripted = new Set(loadAllSequences().flatMap((s) => clausesIn(s, version)));
    const expected = new Set([...scripted, ...propertyClauseIds(version), '2.1/R1', ...TRANSPORT_CLAUSES.filter((id) => files.some((f) => f.name === TRANSPORT_FILE && f.units.some((u) => u.clauseIds.includes(id))))]);
    expect([...plannedClauses(files)].sort()).toEqual([...expected].sort());
    expect(files.filter((f) => f.kind === 'property').map((f) => f.name)).toEqual(Array.from({ length: PROPERTY_PARTS }, (_, i) => propertyFileName(i + 1)));
  });

  it('of a one-clause run starts the one file that holds it', () => {
    const files = planRun({ protocolVersion: 3, clauseIds: ['3.1.4.2.100/R3'], clausesOnly: true });
    expect(files.map((f) => f.name)).toEqual(['3.1.4.x.100-ApiReAddNotifyNetInterface']);
    for (const unit of files[0].units) expect(unit.clauseIds).toEqual(['3.1.4.2.100/R3']);
  });

  it('starts the property for a selection it holds a clause of; for --clause only when no other file judges it, or --runs asks', () => {
    const scripted = new Set(loadAllSequences().flatMap((s) => clausesIn(s, 3)));
    const only = propertyClauseIds(3).find((id) => !scripted.has(id))!;
    expect(planRun({ protocolVersion: 3, clauseIds: [only], clausesOnly: true }).map((f) => f.kind)).toEqual(['property', 'property']);
    const shared = propertyClauseIds(3).find((id) => scripted.has(id))!;
    expect(planRun({ protocolVersion: 3, clauseIds: [shared], clausesOnly: true }).map((f) => f.kind)).not.toContain('property');
    expect(planRun({ protocolVersion: 3, clauseIds: [shared] }).map((f) => f.kind)).toContain('property');
    expect(planRun({ protocolVersion: 3, clauseIds: [shared], clausesOnly: true, runs: 10 }).map((f) => f.kind)).toContain('property');
    expect(planRun({ protocolVersion: 3, clauseIds: [shared], runs: 1 }).filter((f) => f.kind === 'property')).toHaveLength(1);
  });

  it('splits the property budget into parts that add up to it', () => {
    for (const runs of [0, 1, 2, 7, 200]) expect(Array.from({ length: PROPERTY_PARTS }, (_, i) => propertyShare(runs, i + 1)).reduce((a, b) => a + b, 0)).toBe(runs);
  });

  it('shares the files among shards: disjoint, and together the whole plan', () => {
    const files = planRun({ protocolVersion: 3 });
    const shares = [1, 2, 3].map((i) => shardOf(files, `${i}/3`).map((f) => f.name));
    expect(shares.flat().sort()).toEqual(files.map((f) => f.name).sort());
    expect(new Set(shares.flat()).size).toBe(files.length);
  });
});

describe('completeness', () => {
  const files = planRun({ protocolVersion: 3, clauseIds: ['3.1.4.2.100/R3', '3.1.4.2.66/R1'] });
  const units = files.flatMap((f) => f.units.map((u) => ({ file: f.name, unit: u })));
  const done = new Set<string>();

  it('makes every clause of a test that never reported ERROR, naming the file, the test and the cause', () => {
    const path = (name: string) => join(packageRoot(), 'dist', 'suites', `${name}.spec.js`);
    const [first, second] = files;
    const results = {
      testResults: [
        {
          testFilePath: path(first.name),
          testResults: [{ title: first.units[0].test, status: 'failed', failureMessages: ['thrown: Exceeded timeout of 5000 ms for a test.\n  at ...'] }],
        },
        { testFilePath: path(second.name), testExecError: { message: 'Cannot find module x\nstack' }, testResults: [] },
      ],
    } as never;
    const errors = unaccounted(files, done, results, undefined, 3);
    const ids = new Set(units.flatMap((u) => u.unit.clauseIds));
    expect(new Set(errors.map((o) => o.clause))).toEqual(ids);
    expect(errors.every((o) => o.outcome === 'error')).toBe(true);
    const messages = errors.map((o) => o.message ?? '');
    expect(messages.some((m) => m.includes(`suite file ${first.name}, test '${first.units[0].test}': the test did not finish: thrown: Exceeded timeout`))).toBe(true);
    expect(messages.some((m) => m.includes(`suite file ${second.name}`) && m.includes('the suite file could not run: Cannot find module x'))).toBe(true);
  });

  it('says Jest did not run a file it never reported on, and the cause when Jest itself failed', () => {
    const none = unaccounted(files, done, { testResults: [] } as never, undefined, 3);
    expect(none.length).toBeGreaterThan(0);
    expect(none.every((o) => /Jest did not run the suite file|was not built/.test(o.message ?? ''))).toBe(true);
    const broken = unaccounted(files, done, undefined, 'Jest could not run the suites: boom', 3);
    expect(broken.every((o) => /boom|was not built/.test(o.message ?? ''))).toBe(true);
  });

  it('leaves alone the tests that reported', () => {
    const all = new Set(units.map((u) => JSON.stringify([u.file, u.unit.test])));
    expect(units.every((u) => isDone(all, u.file, u.unit.test))).toBe(true);
    expect(unaccounted(files, all, { testResults: [] } as never, undefined, 3)).toEqual([]);
    expect(unitErrors('f', { test: 't', clauseIds: ['a', 'b'] }, 2, 'why').map((o) => [o.clause, o.outcome, o.message])).toEqual([
      ['a', 'error', "suite file f, test 't': why"],
      ['b', 'error', "suite file f, test 't': why"],
    ]);
  });
});
