import { judge } from '../../harness/verdict/judge';
import { summarize } from '../../harness/verdict/summary';
import { HARNESS_ID } from '../../harness/verdict/types';
import { clause, obs } from '../support/cli-fixtures';

const must = clause('3.1.4.2.66/R1');
const mustNot = clause('3.1.4.2.66/R2', { level: 'MUST NOT' });
const should = clause('3.1.4.2.66/R3', { level: 'SHOULD' });
const shouldNot = clause('3.1.4.2.66/R4', { level: 'SHOULD NOT' });
const may = clause('3.1.4.2.66/R5', { level: 'MAY' });
const descriptive = clause('3.1.4.2.66/R6', { level: 'descriptive' });
const client = clause('3.1.4.2.66/R7', { party: 'client', testable: false });
const untestable = clause('3.1.4.2.66/R8', { testable: false, untestedReason: 'needs a second cluster node to fail over' });

function one(c = must, ...observations: ReturnType<typeof obs>[]) {
  return judge([c], observations)[0];
}

describe('judge: one verdict per clause', () => {
  it('lets the worst observation win: FAIL > ERROR > NON-STRICT > INCONCLUSIVE > PASS > NOT-TESTED', () => {
    expect(one(must, obs(must.id, 'pass'), obs(must.id, 'fail'), obs(must.id, 'pass')).verdict).toBe('FAIL');
    expect(one(must, obs(must.id, 'error'), obs(must.id, 'fail')).verdict).toBe('FAIL');
    expect(one(must, obs(must.id, 'inconclusive'), obs(must.id, 'error')).verdict).toBe('ERROR');
    expect(one(should, obs(should.id, 'fail'), obs(should.id, 'inconclusive')).verdict).toBe('NON-STRICT');
    expect(one(must, obs(must.id, 'pass'), obs(must.id, 'inconclusive')).verdict).toBe('INCONCLUSIVE');
    expect(one(must, obs(must.id, 'not-tested'), obs(must.id, 'pass')).verdict).toBe('PASS');
    expect(one(should, obs(should.id, 'error'), obs(should.id, 'fail')).verdict).toBe('ERROR');
  });

  it('counts as hits the observations that exercised the clause', () => {
    const v = one(must, obs(must.id, 'pass'), obs(must.id, 'fail'), obs(must.id, 'inconclusive'), obs(must.id, 'error'), obs(must.id, 'not-tested'));
    expect(v.hits).toBe(4);
    expect(one(must, obs(must.id, 'not-tested')).hits).toBe(0);
  });

  it('makes a broken MUST, MUST NOT or descriptive statement FAIL and a missed SHOULD, SHOULD NOT or MAY NON-STRICT', () => {
    for (const c of [must, mustNot, descriptive]) expect(one(c, obs(c.id, 'fail')).verdict).toBe('FAIL');
    for (const c of [should, shouldNot, may]) expect(one(c, obs(c.id, 'fail')).verdict).toBe('NON-STRICT');
  });

  it('says why a clause is NOT-TESTED', () => {
    expect(one(client)).toMatchObject({ verdict: 'NOT-TESTED', hits: 0, message: expect.stringMatching(/client-side/) });
    expect(one(untestable).message).toBe('needs a second cluster node to fail over');
    expect(one(must).message).toBe('no test exercised it against this target');
    const v = one(must, obs(must.id, 'not-tested', { message: 'the target has no control adapter: stimulus missing' }));
    expect(v.verdict).toBe('NOT-TESTED');
    expect(v.message).toContain('stimulus missing');
  });

  it('never turns a clause without observations into PASS', () => {
    const verdicts = judge([must, should, client], [obs(should.id, 'pass')]);
    expect(verdicts.map((v) => v.verdict)).toEqual(['NOT-TESTED', 'PASS', 'NOT-TESTED']);
  });

  it("keeps the worst observations' distinct messages (at most 3), each with its calls and replay", () => {
    const failures = ['a', 'b', 'a', 'c', 'd'].map((m, i) =>
      obs(must.id, 'fail', { message: `expected ERROR_INVALID_HANDLE, got ${m}`, trace: [`ApiCreateNotify() -> ${i}`, 'ApiGetNotify(h)'], replay: `replay ${i}`, seed: 100 + i }),
    );
    const v = one(must, obs(must.id, 'pass', { message: 'passing text' }), ...failures);
    expect(v.message).not.toContain('passing text');
    expect(v.message!.match(/expected ERROR_INVALID_HANDLE/g)).toHaveLength(3);
    expect(v.message).toContain('(seen 2 times)');
    expect(v.message).toContain('calls:\n  1. ApiCreateNotify() -> 0\n  2. ApiGetNotify(h)');
    expect(v.message).toContain('replay: replay 0');
    expect(v.message).toContain('(and 1 more distinct messages)');
    expect(v.seeds).toEqual([100, 101, 102, 103, 104]);
    expect(v.tests).toEqual([`test of ${must.id}`]);
  });

  it('ignores observations of catalogue clauses outside the selection', () => {
    const verdicts = judge([must], [obs(must.id, 'pass'), obs(should.id, 'fail')], { catalogueIds: [must.id, should.id] });
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].verdict).toBe('PASS');
  });

  it('turns observations of unknown clause ids into an ERROR on the harness pseudo-clause', () => {
    const verdicts = judge([must], [obs(must.id, 'pass'), obs('3.1.4.2.66/R99', 'pass', { test: 'seq-7' }), obs('not an id', 'fail')], { catalogueIds: [must.id] });
    const harness = verdicts.find((v) => v.id === HARNESS_ID)!;
    expect(harness.verdict).toBe('ERROR');
    expect(harness.message).toContain("'3.1.4.2.66/R99' (from seq-7)");
    expect(harness.message).toContain("'not an id'");
    // Without the catalogue only malformed ids can be told apart.
    expect(judge([must], [obs('3.1.4.2.66/R99', 'pass')]).some((v) => v.id === HARNESS_ID)).toBe(false);
  });

  it("keeps the runner's own harness observations (a suite that could not load) with their message", () => {
    const verdicts = judge([must], [obs(must.id, 'pass'), obs(HARNESS_ID, 'error', { test: 'suites/x.spec.ts', message: 'suite suites/x.spec.ts could not run: SyntaxError' })]);
    const harness = verdicts.find((v) => v.id === HARNESS_ID)!;
    expect(harness.verdict).toBe('ERROR');
    expect(harness.message).toContain('could not run: SyntaxError');
  });

  it('summarizes the verdicts', () => {
    const verdicts = judge(
      [must, mustNot, should, may, descriptive, client],
      [obs(must.id, 'pass'), obs(must.id, 'pass'), obs(mustNot.id, 'fail'), obs(should.id, 'fail'), obs(may.id, 'inconclusive'), obs(descriptive.id, 'error')],
    );
    expect(summarize(verdicts)).toEqual({ pass: 1, fail: 1, nonStrict: 1, notTested: 1, inconclusive: 1, error: 1, total: 6, exercised: 5, hits: 6 });
  });
});
