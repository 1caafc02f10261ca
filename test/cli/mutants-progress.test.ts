import { progressPrinter } from '../../harness/cli/progress';
import { capture, clause, runCli, tempDir } from '../support/cli-fixtures';
import { resolveTrips } from '../../harness/cli/mutants';

const MUTANTS = [
  { name: 'no-close-event', description: 'never posts HANDLE_CLOSE', trips: [{ section: '3.1.4.2.66', title: 'title of 3.1.4.2.66/R1' }] },
  { name: 'typo', description: 'trips a clause that is not there', trips: [{ section: '3.1.4.2.66', title: 'no such title' }] },
];

describe('mutants', () => {
  it('--json resolves trips to clause ids, null when the catalogue has no such clause', async () => {
    const r = await runCli(['mutants', '--json'], { dir: tempDir(), deps: { listMutants: () => MUTANTS } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'no-close-event', description: 'never posts HANDLE_CLOSE', trips: [{ section: '3.1.4.2.66', title: 'title of 3.1.4.2.66/R1', clause: '3.1.4.2.66/R1' }] },
      { name: 'typo', description: 'trips a clause that is not there', trips: [{ section: '3.1.4.2.66', title: 'no such title', clause: null }] },
    ]);
  });

  it('prints section and title of a trip it cannot resolve', async () => {
    const r = await runCli(['mutants'], { dir: tempDir(), deps: { listMutants: () => MUTANTS } });
    expect(r.stdout).toContain('  trips 3.1.4.2.66/R1 (title of 3.1.4.2.66/R1)');
    expect(r.stdout).toContain('  trips 3.1.4.2.66 "no such title" (no such clause in the catalogue)');
  });

  it('matches titles ignoring case and spacing when there is no exact match', () => {
    const [m] = resolveTrips([{ name: 'm', description: 'd', trips: [{ section: '3.1.4.2.66', title: ' Closed  PORT ' }] }], [clause('3.1.4.2.66/R5', { title: 'closed port' })]);
    expect(m.trips[0].clause).toBe('3.1.4.2.66/R5');
  });
});

describe('progress printer', () => {
  it('rewrites one line on a terminal and clears it at the end', () => {
    const out = capture(true);
    const p = progressPrinter(out);
    p.update({ section: 'A', done: 1, total: 2, passed: 1, failed: 0 });
    p.update({ section: 'B', done: 2, total: 2, passed: 2, failed: 1 });
    p.finish();
    expect(out.text).toBe('\r\x1b[K[1/2] A: 1 passed, 0 failed\r\x1b[K[2/2] B: 2 passed, 1 failed\r\x1b[K');
  });

  it('writes at most a first and a last line per section when not a terminal', () => {
    const out = capture(false);
    const p = progressPrinter(out);
    for (let i = 1; i <= 5; i++) p.update({ section: 'A', done: i, total: 6, passed: i, failed: 0 });
    p.update({ section: 'B', done: 6, total: 6, passed: 1, failed: 0 });
    p.finish();
    expect(out.text.split('\n')).toEqual(['[1/6] A: 1 passed, 0 failed', '[5/6] A: 5 passed, 0 failed', '[6/6] B: 1 passed, 0 failed', '']);
  });
});
