import { compareBaseline, newEntries } from '../../harness/baseline/compare';
import { parseBaseline } from '../../harness/baseline/load';
import { judge } from '../../harness/verdict/judge';
import { clause, obs } from '../support/cli-fixtures';

const a = clause('3.1.4.2.66/R1');
const b = clause('3.1.4.2.66/R2');
const c = clause('3.1.4.2.66/R3', { level: 'SHOULD' });
const d = clause('3.1.4.2.66/R4');
const ids = [a.id, b.id, c.id, d.id, '3.1.4.2.6/R1'];

describe('baseline files', () => {
  it('parses entries, FAIL by default', () => {
    const baseline = parseBaseline(JSON.stringify({ [a.id]: { reason: 'known' }, [b.id]: { reason: 'crashes', verdict: 'ERROR' } }), 'b.json');
    expect([...baseline]).toEqual([
      [a.id, { reason: 'known', verdict: 'FAIL' }],
      [b.id, { reason: 'crashes', verdict: 'ERROR' }],
    ]);
    expect(parseBaseline('{}', 'b.json').size).toBe(0);
  });

  it.each([
    ['not json', /b\.json: not valid JSON/],
    ['[]', /must be a JSON object keyed by clause id/],
    ['{"R1": {"reason": "x"}}', /entry 'R1' is not a clause id/],
    ['{"3.1.4.2.66/R1": "x"}', /must be an object/],
    ['{"3.1.4.2.66/R1": {}}', /needs a non-empty "reason"/],
    ['{"3.1.4.2.66/R1": {"reason": "x", "verdcit": "FAIL"}}', /unknown field 'verdcit'/],
    ['{"3.1.4.2.66/R1": {"reason": "x", "verdict": "PASS"}}', /verdict "PASS" \(one of FAIL, ERROR, NON-STRICT\)/],
  ])('refuses %s with one line', (text, message) => {
    expect(() => parseBaseline(text, 'b.json')).toThrow(message);
  });
});

describe('compareBaseline', () => {
  const verdicts = judge([a, b, c, d], [obs(a.id, 'fail'), obs(b.id, 'pass'), obs(c.id, 'fail'), obs(d.id, 'error')]);

  it('classifies every entry', () => {
    const baseline = parseBaseline(
      JSON.stringify({
        [a.id]: { reason: 'known' },
        [b.id]: { reason: 'was broken' },
        [d.id]: { reason: 'expected a FAIL' },
        '3.1.4.2.6/R1': { reason: 'not selected' },
        '9.9/R1': { reason: 'gone from the catalogue' },
      }),
      'b.json',
    );
    const outcome = compareBaseline(verdicts, baseline, { file: 'b.json', catalogueIds: ids, strict: false });
    expect(outcome.entries.map((e) => [e.id, e.status])).toEqual([
      [a.id, 'expected'],
      [b.id, 'unexpected-pass'],
      [d.id, 'changed'],
      ['3.1.4.2.6/R1', 'not-selected'],
      ['9.9/R1', 'stale'],
    ]);
    expect(outcome.matched).toBe(false);
    expect(outcome.newFailures).toEqual([{ id: d.id, verdict: 'ERROR', title: d.title }]);
  });

  it('counts NON-STRICT as a new failure only under --strict', () => {
    const baseline = parseBaseline(JSON.stringify({ [a.id]: { reason: 'known' }, [d.id]: { reason: 'known', verdict: 'ERROR' } }), 'b.json');
    expect(compareBaseline(verdicts, baseline, { file: 'b.json', catalogueIds: ids, strict: false }).matched).toBe(true);
    const strict = compareBaseline(verdicts, baseline, { file: 'b.json', catalogueIds: ids, strict: true });
    expect(strict.matched).toBe(false);
    expect(newEntries(strict)).toEqual({ [c.id]: { reason: expect.stringMatching(/^TODO/), verdict: 'NON-STRICT' } });
  });

  it('prints entries that, added to the baseline, make it match', () => {
    const empty = compareBaseline(verdicts, new Map(), { file: 'b.json', catalogueIds: ids, strict: false });
    const entries = newEntries(empty);
    expect(Object.keys(entries)).toEqual([a.id, d.id]);
    const again = compareBaseline(verdicts, parseBaseline(JSON.stringify(entries), 'b.json'), { file: 'b.json', catalogueIds: ids, strict: false });
    expect(again.matched).toBe(true);
  });

  it('neither keeps nor breaks an entry whose clause was not decided this run', () => {
    const undecided = judge([a], [obs(a.id, 'inconclusive')]);
    const outcome = compareBaseline(undecided, parseBaseline(JSON.stringify({ [a.id]: { reason: 'known' } }), 'b.json'), { file: 'b.json', catalogueIds: ids, strict: false });
    expect(outcome.entries[0].status).toBe('unconfirmed');
    expect(outcome.matched).toBe(true);
  });
});
