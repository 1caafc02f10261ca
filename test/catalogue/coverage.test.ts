// The catalogue is enforced: npm test fails when a test names an unknown clause, an id repeats, or a
// testable server clause has neither a test nor a reason.
import { checkCoverage } from '../../harness/catalogue/coverage';
import { collectReferences } from '../../harness/coverage/references';
import { loadCatalogue } from '../../harness/catalogue/load';
import type { Clause } from '../../harness/catalogue/types';
import { propertyClauseIds } from '../../harness/property/runner';
import { TRANSPORT_CLAUSES } from '../../harness/suite/transport-security';

const clause = (id: string, more: Partial<Clause> = {}): Clause => ({
  id,
  section: id.split('/')[0],
  title: 'a clause',
  versions: [3],
  level: 'MUST',
  party: 'server',
  summary: 'A server does a thing.',
  errors: [],
  testable: true,
  needs: ['calls'],
  ...more,
});

describe('the coverage check itself', () => {
  it('reports a test that names an id the catalogue lacks', () => {
    const problems = checkCoverage([clause('3.1.4.2.60/R1')], [
      { id: '3.1.4.2.60/R1', where: 'a.json' },
      { id: '3.1.4.2.60/R99', where: 'b.json' },
    ]);
    expect(problems).toEqual(['b.json: names 3.1.4.2.60/R99, which is not in the catalogue']);
  });

  it('reports a duplicated id', () => {
    const problems = checkCoverage([clause('3.1.4.2.60/R1'), clause('3.1.4.2.60/R1')], [{ id: '3.1.4.2.60/R1', where: 'a.json' }]);
    expect(problems).toEqual(['3.1.4.2.60/R1: id is used twice in the catalogue']);
  });

  it('reports a testable server clause with neither a test nor a reason, and only that one', () => {
    const problems = checkCoverage(
      [
        clause('3.1.4.2.60/R1'),
        clause('3.1.4.2.60/R2', { untestedReason: 'needs fault injection in the server' }),
        clause('3.1.4.2.60/R3', { party: 'client', testable: false }),
        clause('3.1.4.2.60/R4', { testable: false, untestedReason: 'placement policy has no observable outcome' }),
      ],
      [],
    );
    expect(problems).toEqual(['3.1.4.2.60/R1 (a clause): testable server clause with no test and no untestedReason']);
  });

  it('is computed from the names the tests use: sequences, the oracle model, the transport checks', () => {
    const refs = collectReferences();
    const ids = new Set(refs.map((r) => r.id));
    expect(refs.every((r) => /^\d+(\.\d+)+\/R\d+$/.test(r.id))).toBe(true);
    // A sequence's name resolved per version: "x.64: catch-up ..." is 3.1.4.1.64/R3 and 3.1.4.2.64/R3.
    expect(refs).toContainEqual({ id: '3.1.4.1.64/R3', where: 'vectors/sequences (readd-group/catch-up)' });
    expect(refs).toContainEqual({ id: '3.1.4.2.64/R3', where: 'vectors/sequences (readd-group/catch-up)' });
    for (const v of [2, 3] as const) for (const id of propertyClauseIds(v)) expect(ids).toContain(id);
    for (const id of TRANSPORT_CLAUSES) expect(ids).toContain(id);
  });
});

describe('the clause catalogue', () => {
  const clauses = loadCatalogue();

  it('holds both protocol versions of every notification method', () => {
    for (const minor of [56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 90, 91, 99, 100, 107]) {
      for (const v of [1, 2]) expect(clauses.some((c) => c.section === `3.1.4.${v}.${minor}`)).toBe(true);
    }
  });

  it('agrees with the tests: no unknown id, no duplicate, no testable server clause left without test or reason', () => {
    expect(checkCoverage(clauses, collectReferences())).toEqual([]);
  });

  it('never marks a clause testable while giving a reason it is not tested: a testable clause is judged', () => {
    const both = clauses.filter((c) => c.testable && c.untestedReason).map((c) => `${c.id} (${c.title})`);
    expect(both).toEqual([]);
  });

  it('gives every server clause that is not testable its reason', () => {
    const silent = clauses.filter((c) => c.party === 'server' && !c.testable && !c.untestedReason).map((c) => `${c.id} (${c.title})`);
    expect(silent).toEqual([]);
  });
});
