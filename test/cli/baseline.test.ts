import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import type { RunResults } from '../../harness/report/results';
import { fakeRunner, runCli, tempDir } from '../support/cli-fixtures';

const REFERENCE = { '3.1.4.2.6/R1': 'pass', '3.1.4.2.6/R2': 'pass', '3.1.4.2.66/R1': 'pass', '3.1.4.2.66/R2': 'pass', '3.1.4.2.66/R10': 'pass' } as const;
/** A "mutant": breaks two MUSTs. */
const MUTANT = { ...REFERENCE, '3.1.4.2.6/R2': 'fail', '3.1.4.2.66/R1': ['pass', 'fail'] } as const;

function printedEntries(stdout: string): Record<string, { reason: string; verdict: string }> {
  const start = stdout.indexOf('add these entries (and write the reasons):\n');
  expect(start).toBeGreaterThan(-1);
  const json = stdout.slice(stdout.indexOf('{', start));
  return JSON.parse(json.slice(0, json.indexOf('\n}\n') + 2)) as Record<string, { reason: string; verdict: string }>;
}

describe('baseline round trip', () => {
  it('prints entries for new failures; with them the run is green; once fixed, red again', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'baseline.json');
    fs.writeFileSync(file, '{}\n');

    // 1. The mutant fails, nothing is expected yet: red, with ready-made entries.
    const first = await runCli(['run', '--baseline', 'baseline.json'], { dir, executeRun: fakeRunner(MUTANT) });
    expect(first.code).toBe(1);
    const entries = printedEntries(first.stdout);
    expect(Object.keys(entries)).toEqual(['3.1.4.2.6/R2', '3.1.4.2.66/R1']);
    expect(entries['3.1.4.2.6/R2'].verdict).toBe('FAIL');

    // 2. Accept them: the same failures are now expected, the gate is green.
    fs.writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(entries).map(([id, e]) => [id, { ...e, reason: 'known bug #1' }])), null, 2));
    const second = await runCli(['run', '--baseline', 'baseline.json'], { dir, executeRun: fakeRunner(MUTANT) });
    expect(second.code).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'reports/results.json'), 'utf8')) as RunResults;
    expect(results.baseline).toMatchObject({ matched: true, file: 'baseline.json' });
    const junit = fs.readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).not.toContain('<failure'); // expected failures do not turn a Jenkins build unstable
    expect(junit).toContain('EXPECTED FAILURE (baseline)');

    // 3. The bug is fixed: the entries pass unexpectedly, the gate goes red.
    const third = await runCli(['run', '--baseline', 'baseline.json'], { dir, executeRun: fakeRunner(REFERENCE) });
    expect(third.code).toBe(1);
    expect(third.stdout).toContain('UNEXPECTED-PASS  3.1.4.2.6/R2');
    expect(third.stdout).toContain('2 baseline entries passed unexpectedly');
    expect(fs.readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8')).toContain('type="UNEXPECTED-PASS"');
  });

  it('fails on a stale entry (a clause the catalogue does not have), ignores entries outside the selection', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ '3.1.4.2.66/R1': { reason: 'not selected this time' } }));
    expect((await runCli(['run', '--section', '3.1.4.2.6', '--baseline', 'b.json'], { dir, executeRun: fakeRunner(REFERENCE) })).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ '3.1.4.2.66/R77': { reason: 'clause renumbered' } }));
    const r = await runCli(['run', '--baseline', 'b.json'], { dir, executeRun: fakeRunner(REFERENCE) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('STALE-BASELINE  3.1.4.2.66/R77  not in the catalogue: remove it from b.json');
    expect(r.stdout).toContain('1 stale baseline entry');
  });

  it('refuses a malformed baseline with one line (exit 2)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ '3.1.4.2.66/R1': { why: 'x' } }));
    const r = await runCli(['run', '--baseline', 'b.json'], { dir, executeRun: fakeRunner(REFERENCE) });
    expect(r).toEqual({ code: 2, stdout: '', stderr: "cmrp-notify-conformance: --baseline b.json: entry '3.1.4.2.66/R1' has unknown field 'why' (allowed: reason, verdict)\n" });
  });
});
