import { clause, runCli, tempDir } from '../support/cli-fixtures';
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
// The progress printer's own tests are in test/report/progress.test.ts.
