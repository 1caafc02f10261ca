import { compareBaseline } from '../../harness/baseline/compare';
import { gate } from '../../harness/baseline/gate';
import { judge } from '../../harness/verdict/judge';
import { clause, obs } from '../support/cli-fixtures';

const must = clause('3.1.4.2.66/R1');
const should = clause('3.1.4.2.66/R2', { level: 'SHOULD' });
const other = clause('3.1.4.2.66/R3');

describe('gate: the exit code', () => {
  const run = (observations: ReturnType<typeof obs>[], strict = false) => gate(judge([must, should, other], observations), { strict });

  it('is 0 when nothing that counts failed', () => {
    expect(run([obs(must.id, 'pass'), obs(should.id, 'pass')])).toEqual({ exitCode: 0, conformant: true, reasons: [] });
  });

  it('is 1 on a FAIL or an ERROR', () => {
    expect(run([obs(must.id, 'fail'), obs(should.id, 'pass')])).toMatchObject({ exitCode: 1, reasons: ['1 FAIL'] });
    expect(run([obs(must.id, 'error'), obs(should.id, 'pass')])).toMatchObject({ exitCode: 1, reasons: ['1 ERROR'] });
  });

  it('lets a NON-STRICT verdict fail the gate only with --strict', () => {
    const observations = [obs(must.id, 'pass'), obs(should.id, 'fail')];
    expect(run(observations).exitCode).toBe(0);
    expect(run(observations, true)).toMatchObject({ exitCode: 1, reasons: ['1 NON-STRICT'] });
  });

  it('does not fail on INCONCLUSIVE when something else was decided', () => {
    expect(run([obs(must.id, 'pass'), obs(other.id, 'inconclusive')]).exitCode).toBe(0);
  });

  it('is 2 when nothing was judged: zero clauses exercised, or only inconclusively', () => {
    expect(run([]).exitCode).toBe(2);
    expect(run([obs(must.id, 'not-tested')]).exitCode).toBe(2);
    expect(run([obs(must.id, 'inconclusive')]).exitCode).toBe(2);
    expect(gate(judge([], []), { strict: false }).exitCode).toBe(2);
    expect(gate(judge([must], [obs('harness', 'error')]), { strict: false }).reasons[0]).toMatch(/harness reported errors/);
  });

  it('is 0 when every failure is expected by the baseline, 1 on a stale entry or an unexpected pass', () => {
    const verdicts = judge([must, should], [obs(must.id, 'fail'), obs(should.id, 'pass')]);
    const ids = [must.id, should.id];
    const expected = compareBaseline(verdicts, new Map([[must.id, { reason: 'known bug', verdict: 'FAIL' as const }]]), { file: 'b.json', catalogueIds: ids, strict: false });
    expect(gate(verdicts, { strict: false, baseline: expected }).exitCode).toBe(0);
    const stale = compareBaseline(
      verdicts,
      new Map([
        [must.id, { reason: 'known bug', verdict: 'FAIL' as const }],
        ['3.1.4.2.66/R77', { reason: 'gone', verdict: 'FAIL' as const }],
      ]),
      { file: 'b.json', catalogueIds: ids, strict: false },
    );
    expect(gate(verdicts, { strict: false, baseline: stale })).toMatchObject({ exitCode: 1, reasons: ['1 stale baseline entry'] });
    const passed = compareBaseline(
      verdicts,
      new Map([
        [must.id, { reason: 'known bug', verdict: 'FAIL' as const }],
        [should.id, { reason: 'fixed since', verdict: 'NON-STRICT' as const }],
      ]),
      { file: 'b.json', catalogueIds: ids, strict: false },
    );
    expect(gate(verdicts, { strict: false, baseline: passed })).toMatchObject({ exitCode: 1, reasons: ['1 baseline entry passed unexpectedly'] });
  });
});
