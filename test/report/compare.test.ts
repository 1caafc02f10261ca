import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffResults } from '../../harness/report/diff';
import { fakeRunner, runCli, tempDir } from '../support/cli-fixtures';

const BEFORE = { '3.1.4.2.6/R1': 'pass', '3.1.4.2.6/R2': 'fail', '3.1.4.2.66/R1': 'pass', '3.1.4.2.66/R2': 'pass', '3.1.4.2.66/R10': 'inconclusive' } as const;
const AFTER = { '3.1.4.2.6/R1': 'fail', '3.1.4.2.6/R2': 'pass', '3.1.4.2.66/R1': 'pass', '3.1.4.2.66/R2': 'fail', '3.1.4.2.66/R10': 'pass' } as const;

async function runTo(dir: string, name: string, outcomes: Parameters<typeof fakeRunner>[0], extra: string[] = []): Promise<void> {
  const r = await runCli(['run', ...extra, '--json', name, '--junit', `${name}.xml`, '--markdown', `${name}.md`, '--html', `${name}.html`], { dir, executeRun: fakeRunner(outcomes) });
  expect([0, 1]).toContain(r.code);
}

describe('compare', () => {
  it('lists new failures, fixes and other changes as Markdown, and exits 1 on a new failure', async () => {
    const dir = tempDir();
    await runTo(dir, 'before.json', BEFORE);
    await runTo(dir, 'after.json', AFTER);
    const r = await runCli(['compare', 'before.json', 'after.json'], { dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## MS-CMRP conformance compared: 1 new failure, 1 fixed$/m);
    expect(r.stdout).toContain('### New failures (1)\n\n| clause | before | after | title |\n|---|---|---|---|\n| `3.1.4.2.6/R1` | PASS | FAIL |');
    expect(r.stdout).toContain('### Fixed (1)');
    expect(r.stdout).toContain('| `3.1.4.2.6/R2` | FAIL | PASS |');
    // A SHOULD shortfall does not gate: a change, not a regression.
    expect(r.stdout).toContain('### Other verdict changes (2)');
    expect(r.stdout).toContain('| `3.1.4.2.66/R2` | PASS | NON-STRICT |');
    expect(r.stdout).toContain('| `3.1.4.2.66/R10` | INCONCLUSIVE | PASS |');
    expect(r.stdout).toContain('| FAIL | 1 | 1 |  |');
  });

  it('exits 0 when nothing newly fails, and writes the Markdown where asked', async () => {
    const dir = tempDir();
    await runTo(dir, 'a.json', BEFORE);
    await runTo(dir, 'b.json', BEFORE);
    const r = await runCli(['compare', 'a.json', 'b.json', '--markdown', 'out/comment.md'], { dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('compare: written to out/comment.md\n');
    expect(fs.readFileSync(path.join(dir, 'out/comment.md'), 'utf8')).toMatch(/no new failure[\s\S]*7 clauses kept their verdict/);
  });

  it('counts a NON-STRICT as a new failure when the later run is strict', async () => {
    const dir = tempDir();
    await runTo(dir, 'a.json', BEFORE, ['--strict']);
    await runTo(dir, 'b.json', AFTER, ['--strict']);
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(diffResults(read('a.json'), read('b.json')).regressions.map((c) => c.id)).toEqual(['3.1.4.2.6/R1', '3.1.4.2.66/R2']);
  });

  it.each([
    [['compare', 'a.json'], 'cmrp-notify-conformance: compare: name two results files, the earlier run first (compare before.json after.json)\n'],
    [['compare', 'missing.json', 'x.json'], 'cmrp-notify-conformance: missing.json: cannot read it (ENOENT)\n'],
  ])('is 2 with one line for %j', async (argv, line) => {
    const r = await runCli(argv, { dir: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(line);
  });
});
