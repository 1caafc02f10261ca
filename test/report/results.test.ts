import { resultsValidator } from '../../harness/report/read-results';
import { buildMarkdown } from '../../harness/report/markdown';
import { serializeResults } from '../../harness/report/results';
import { clause, obs } from '../support/cli-fixtures';
import { resultsOf } from '../support/results';

const a = clause('3.1.4.2.66/R1', { title: 'closed port | gives *error*' });
const b = clause('3.1.4.2.66/R2', { level: 'SHOULD' });
const c = clause('3.1.4.2.66/R3', { party: 'client', testable: false });

describe('JSON results', () => {
  const results = resultsOf([a, b, c], [obs(a.id, 'fail', { message: 'got ```ERROR_SUCCESS```' }), obs(b.id, 'fail'), obs('not-an-id', 'pass')], {
    baseline: new Map([['9.9/R1', { reason: 'gone', verdict: 'FAIL' as const }]]),
  });

  it('validates against docs/results.schema.json', () => {
    const validate = resultsValidator();
    const doc = JSON.parse(serializeResults(results)) as unknown;
    expect(validate.errors ?? null).toBeNull();
    expect(validate(doc)).toBe(true);
  });

  it('records what a pipeline needs', () => {
    expect(results).toMatchObject({
      tool: { name: 'cmrp-notify-conformance', version: expect.any(String) },
      target: 'builtin',
      protocolVersion: 3,
      seed: 7,
      startedAt: '2026-01-02T03:04:05.678Z',
      durationMs: 1234,
      summary: { pass: 0, fail: 1, nonStrict: 1, notTested: 1, inconclusive: 0, error: 1 },
      selection: { ids: [a.id, b.id, c.id] },
      exitCode: 1,
      conformant: false,
      baseline: { matched: false, entries: [{ id: '9.9/R1', status: 'stale' }] },
    });
    for (const clauseResult of results.clauses) {
      expect(Object.keys(clauseResult)).toEqual(expect.arrayContaining(['id', 'section', 'level', 'title', 'verdict', 'hits', 'message']));
    }
  });
});

describe('Markdown summary', () => {
  const md = buildMarkdown(resultsOf([a, b, c], [obs(a.id, 'fail', { message: 'got ```ERROR_SUCCESS```' }), obs(b.id, 'pass')]));

  it('starts with the outcome and a table of counts', () => {
    expect(md.split('\n')[0]).toBe('## MS-CMRP notification conformance: NOT CONFORMANT');
    expect(md).toContain('| verdict | clauses |\n|---|---:|\n| PASS | 1 |\n| FAIL | 1 |\n| NON-STRICT | 0 |\n| NOT-TESTED | 1 |');
  });

  it('gives each failure its full text in a fence that its content cannot close', () => {
    expect(md).toContain('#### FAIL `3.1.4.2.66/R1` closed port \\| gives \\*error\\*');
    expect(md).toContain('````text\nFAIL: 3.1.4.2.66/R1');
    expect(md).toContain('got ```ERROR_SUCCESS```\n');
  });

  it('says CONFORMANT when the gate is green', () => {
    expect(buildMarkdown(resultsOf([a], [obs(a.id, 'pass')]))).toMatch(/^## MS-CMRP notification conformance: CONFORMANT\n/);
    expect(buildMarkdown(resultsOf([a], []))).toMatch(/^## MS-CMRP notification conformance: NOTHING JUDGED\n/);
  });
});
