import { progressPrinter } from '../../harness/cli/progress';
import { capture, clause, obs } from '../support/cli-fixtures';

const selection = [clause('3.1.4.2.66/R1'), clause('3.1.4.2.66/R2', { level: 'SHOULD' }), clause('3.1.4.2.58/R1'), clause('3.1.4.2.58/R2')];
const headings = new Map([
  ['3.1.4.2.66', 'ApiGetNotify (Opnum 65)'],
  ['3.1.4.2.58', 'ApiAddNotifyCluster (Opnum 57)'],
]);

describe('progress printer', () => {
  it('counts clauses, not tests, and names the sections as the spec does', () => {
    const out = capture(true);
    const p = progressPrinter(out, { selection, headings, columns: 200 });
    p.update({ section: '3.1.4.x.66 ApiGetNotify (Opnum 65)', done: 1, total: 3, passed: 40, failed: 1, observations: [obs('3.1.4.2.66/R1', 'pass'), obs('3.1.4.2.66/R2', 'fail')] });
    p.update({ section: 'model-based property', done: 2, total: 3, passed: 1, failed: 0, observations: [obs('3.1.4.2.66/R1', 'pass'), obs('3.1.4.2.66/R2', 'fail'), obs('3.1.4.2.58/R1', 'fail'), obs('9.9/R9', 'pass')] });
    p.finish();
    expect(out.text).toBe(
      '\r\x1b[K2/4 clauses judged: 1 PASS, 1 NON-STRICT  (suite file 1/3)  3.1.4.2.66 ApiGetNotify (Opnum 65)' +
        '\r\x1b[K3/4 clauses judged: 1 PASS, 1 FAIL, 1 NON-STRICT  (suite file 2/3)  3.1.4.2.58 ApiAddNotifyCluster (Opnum 57)' +
        '\r\x1b[K',
    );
  });

  it('never names a section outside the selection', () => {
    const out = capture(true);
    const p = progressPrinter(out, { selection: selection.slice(0, 2), headings, columns: 200 });
    p.update({ section: 'x', done: 1, total: 1, passed: 1, failed: 0, observations: [obs('3.1.4.2.58/R1', 'pass')] });
    expect(out.text).toBe('\r\x1b[K0/2 clauses judged  (suite file 1/1)');
  });

  it('cuts the line to the terminal width', () => {
    const out = capture(true);
    const p = progressPrinter(out, { selection, headings, columns: 50 });
    p.update({ section: 'x', done: 1, total: 1, passed: 1, failed: 0, observations: [obs('3.1.4.2.66/R1', 'pass')] });
    expect(out.text.replace('\r\x1b[K', '')).toHaveLength(49);
  });

  it('is quiet when not a terminal', () => {
    const out = capture(false);
    const p = progressPrinter(out, { selection, headings });
    p.update({ section: 'A', done: 1, total: 2, passed: 1, failed: 0 });
    p.finish();
    expect(out.text).toBe('');
  });
});
