import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { TargetUnreachableError, UsageError } from '../../cmrp/errors';
import type { RunResults } from '../../harness/report/results';
import { fakeRunner, runCli, tempDir } from '../support/cli-fixtures';

const ALL_PASS = { '3.1.4.2.6/R1': 'pass', '3.1.4.2.6/R2': 'pass', '3.1.4.2.66/R1': 'pass', '3.1.4.2.66/R2': 'pass', '3.1.4.2.66/R3': 'pass', '3.1.4.2.66/R10': 'pass' } as const;

function reports(dir: string): { junit: string; results: RunResults; markdown: string } {
  const junit = fs.readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8');
  expect(XMLValidator.validate(junit)).toBe(true);
  return {
    junit,
    results: JSON.parse(fs.readFileSync(path.join(dir, 'reports/results.json'), 'utf8')) as RunResults,
    markdown: fs.readFileSync(path.join(dir, 'reports/summary.md'), 'utf8'),
  };
}

describe('run: exit codes', () => {
  it('is 0 for a conformant target, with all three reports written', async () => {
    const dir = tempDir();
    const r = await runCli(['run'], { dir, executeRun: fakeRunner(ALL_PASS) });
    expect(r.code).toBe(0);
    const { results } = reports(dir);
    expect(results.exitCode).toBe(0);
    expect(results.summary).toMatchObject({ pass: 6, notTested: 1, fail: 0 });
    expect(r.stdout).toContain('CONFORMANT (exit 0)');
    expect(r.stdout).toContain('reports: reports/results.json, reports/junit.xml, reports/summary.md, reports/report.html');
  });

  it('passes the defaults and flags to the runner', async () => {
    const dir = tempDir();
    const runner = fakeRunner(ALL_PASS);
    await runCli(['run', '--section', '3.1.4.2.66', '--timeout-multiplier', '3', '--runs', '50', '--control', 'ctl', '--shard', '1/2'], { dir, executeRun: runner });
    expect(runner.calls[0]).toMatchObject({ target: 'builtin', protocolVersion: 3, timeoutMultiplier: 3, seed: 4242, runs: 50, control: 'ctl', shard: '1/2' });
    expect(runner.calls[0].selection.map((c) => c.id)).toEqual(['3.1.4.2.66/R1', '3.1.4.2.66/R2', '3.1.4.2.66/R3', '3.1.4.2.66/R4', '3.1.4.2.66/R10']);
    await runCli(['run', '--protocol-version', '2', '--seed', '9', '--target', 'builtin:mutant=x'], { dir, executeRun: runner });
    expect(runner.calls[1]).toMatchObject({ target: 'builtin:mutant=x', protocolVersion: 2, seed: 9 });
    expect(runner.calls[1].selection.map((c) => c.id)).toEqual(['3.1.4.1.66/R1', '3.1.4.2.6/R2']);
  });

  it('is 1 when a MUST fails, and the failure is in every report', async () => {
    const dir = tempDir();
    const r = await runCli(['run'], { dir, executeRun: fakeRunner({ ...ALL_PASS, '3.1.4.2.66/R1': ['pass', 'fail'] }) });
    expect(r.code).toBe(1);
    const { junit, results, markdown } = reports(dir);
    expect(results.clauses.find((c) => c.id === '3.1.4.2.66/R1')).toMatchObject({ verdict: 'FAIL', hits: 2 });
    expect(junit).toContain('type="FAIL"');
    expect(markdown).toContain('#### FAIL `3.1.4.2.66/R1`');
    expect(r.stdout).toMatch(/^FAIL {2}3\.1\.4\.2\.66\/R1 {2}title of 3\.1\.4\.2\.66\/R1$/m);
    expect(r.stdout).toContain('NOT CONFORMANT (exit 1): 1 FAIL');
  });

  it('is 1 when the target errors', async () => {
    const r = await runCli(['run'], { dir: tempDir(), executeRun: fakeRunner({ ...ALL_PASS, '3.1.4.2.6/R1': 'error' }) });
    expect(r.code).toBe(1);
  });

  it('fails on a SHOULD shortfall only with --strict', async () => {
    const outcomes = { ...ALL_PASS, '3.1.4.2.66/R2': 'fail' } as const;
    const lenient = tempDir();
    expect((await runCli(['run'], { dir: lenient, executeRun: fakeRunner(outcomes) })).code).toBe(0);
    expect(reports(lenient).junit).not.toContain('<failure');
    const strict = tempDir();
    const r = await runCli(['run', '--strict'], { dir: strict, executeRun: fakeRunner(outcomes) });
    expect(r.code).toBe(1);
    expect(reports(strict).junit).toContain('type="NON-STRICT"');
  });

  it('is 2 when no clause of the selection was exercised, with honest reports', async () => {
    const dir = tempDir();
    const r = await runCli(['run'], { dir, executeRun: fakeRunner({}) });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('cmrp-notify-conformance: nothing was judged: no clause of the selection was decided against this target');
    expect(reports(dir).results.summary.notTested).toBe(7);
  });

  it('is 2 with one line when the target is unreachable, and leaves no stale report behind', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'reports'));
    fs.writeFileSync(path.join(dir, 'reports/junit.xml'), '<testsuites tests="1" failures="0"/>');
    const unreachable = async () => {
      throw new TargetUnreachableError('target tcp:10.9.9.9: cannot connect: ECONNREFUSED');
    };
    const r = await runCli(['run'], { dir, executeRun: unreachable });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('cmrp-notify-conformance: target tcp:10.9.9.9: cannot connect: ECONNREFUSED\n');
    expect(fs.existsSync(path.join(dir, 'reports/junit.xml'))).toBe(false);
  });

  it('is 2 with one line when the runner refuses the configuration', async () => {
    const refuse = async () => {
      throw new UsageError('--target nope: unknown target form (expected builtin, builtin:mutant=NAME)');
    };
    const r = await runCli(['run', '--target', 'nope'], { dir: tempDir(), executeRun: refuse });
    expect(r).toMatchObject({ code: 2, stderr: 'cmrp-notify-conformance: --target nope: unknown target form (expected builtin, builtin:mutant=NAME)\n' });
  });

  it.each([
    [['run', '--bogus'], 'cmrp-notify-conformance: run: unknown flag --bogus\n'],
    [['run', '--junit'], 'cmrp-notify-conformance: --junit: missing value (FILE)\n'],
    [['run', '--seed', 'x'], "cmrp-notify-conformance: --seed 'x': not a number\n"],
    [['run', '--level', 'must-ish'], "cmrp-notify-conformance: --level 'must-ish': unknown level (one of MUST, MUST NOT, SHOULD, SHOULD NOT, MAY, descriptive)\n"],
    [['run', '--section', '3.1.4.1.66', '--level', 'SHOULD'], 'cmrp-notify-conformance: the selection matches no clause (--section 3.1.4.1.66 --level \'SHOULD\' --protocol-version 3)\n'],
    [['run', '--section', '3.1.4.1.66'], 'cmrp-notify-conformance: the selection matches no clause (--section 3.1.4.1.66 --protocol-version 3)\n'],
    [['run', '--baseline', 'missing.json'], 'cmrp-notify-conformance: --baseline missing.json: cannot read it (ENOENT)\n'],
    [['frobnicate'], "cmrp-notify-conformance: unknown command 'frobnicate'; commands: run, plan, list, merge, mutants, serve, replay, compare (see --help)\n"],
    [['--strict'], 'cmrp-notify-conformance: unknown flag --strict (flags come after the command); commands: run, plan, list, merge, mutants, serve, replay, compare (see --help)\n'],
  ])('is 2 with one line and no run for %j', async (argv, stderr) => {
    const runner = fakeRunner(ALL_PASS);
    const r = await runCli(argv, { dir: tempDir(), executeRun: runner });
    expect(r).toEqual({ code: 2, stdout: '', stderr });
    expect(runner.calls).toHaveLength(0);
  });

  it('checks --profile before the run (exit 2, one line naming the flag)', async () => {
    const runner = fakeRunner(ALL_PASS);
    const r = await runCli(['run', '--profile', 'missing.json'], { dir: tempDir(), executeRun: runner });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cmrp-notify-conformance: --profile \S*missing\.json: cannot read the profile \(ENOENT\)\n$/);
    expect(runner.calls).toHaveLength(0);
  });

  it.each([
    [['--junit', '/proc/nope/x.xml'], "--junit /proc/nope/x.xml: cannot create its directory /proc/nope (ENOENT)"],
    [['--json', 'adir'], '--json adir: it is a directory; name a file'],
    [['--markdown', 'afile/s.md'], '--markdown afile/s.md: a part of its path is a file, not a directory (ENOTDIR)'],
    [['--json', 'same.x', '--junit', 'same.x'], '--json same.x: the same file as --junit; give each report its own file'],
  ])('checks the report paths %j before the run (exit 2, naming the flag)', async (flags, message) => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'adir'));
    fs.writeFileSync(path.join(dir, 'afile'), '');
    for (const command of ['run', 'merge']) {
      const runner = fakeRunner(ALL_PASS);
      const r = await runCli([command, ...(command === 'merge' ? ['a.json'] : []), ...(flags as string[])], { dir, executeRun: runner });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const line = r.stderr.replace(/^cmrp-notify-conformance: /, '').trimEnd();
      expect(line).toBe(message);
      expect(runner.calls).toHaveLength(0);
    }
  });

  it('reports an unexpected error as one "internal error" line, with the stack only under CMRP_DEBUG=1', async () => {
    const crash = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')\n    at somewhere");
    };
    const r = await runCli(['run'], { dir: tempDir(), executeRun: crash });
    expect(r).toMatchObject({ code: 2, stderr: "cmrp-notify-conformance: internal error: Cannot read properties of undefined (reading 'x') at somewhere\n" });
    const debug = await runCli(['run'], { dir: tempDir(), executeRun: crash, deps: { env: { CMRP_DEBUG: '1' } } });
    expect(debug.stderr.split('\n').length).toBeGreaterThan(2);
    expect(debug.stderr).toContain('TypeError');
  });

  it('treats a catalogue that does not load as a configuration error', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'catalogue'));
    fs.writeFileSync(path.join(dir, 'catalogue', '3.1.json'), '{"section": "3.1"}');
    const r = await runCli(['run'], { dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cmrp-notify-conformance: .*3\.1\.json: \(top level\) must have required property 'heading'\n$/);
  });
});

describe('run: reports and output', () => {
  it('writes reports where asked', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--junit', 'out/j.xml', '--json', 'out/r.json', '--markdown', 'out/s.md', '--html', 'out/r.html'], { dir, executeRun: fakeRunner(ALL_PASS) });
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['j.xml', 'r.html', 'r.json', 's.md']);
    expect(fs.existsSync(path.join(dir, 'reports'))).toBe(false);
  });

  it('records the seed it chose, so the run can be replayed', async () => {
    const dir = tempDir();
    const r = await runCli(['run'], { dir, executeRun: fakeRunner(ALL_PASS) });
    expect(r.stdout).toContain('seed 4242');
    expect(reports(dir).results.seed).toBe(4242);
  });

  it('keeps progress quiet when stderr is not a terminal', async () => {
    const runner = fakeRunner((options) => {
      options.onProgress?.({ section: 'ApiCreateNotify', done: 1, total: 2, passed: 3, failed: 0 });
      return [];
    });
    const r = await runCli(['run'], { dir: tempDir(), executeRun: runner });
    expect(r.stderr).not.toContain('[1/2');
  });

  it('--dry-run prints the clauses per section and runs nothing', async () => {
    const runner = fakeRunner(ALL_PASS);
    const dir = tempDir();
    const r = await runCli(['run', '--dry-run', '--section', '3.1.4.2'], { dir, executeRun: runner });
    expect(r.code).toBe(0);
    expect(runner.calls).toHaveLength(0);
    expect(r.stdout).toContain('dry run: 7 clause(s) in 2 section(s) would be judged against target builtin, protocol version 3');
    expect(r.stdout).toContain('3.1.4.2.66 ApiGetNotify (Opnum 65): 5 clause(s) (1 client-side: NOT-TESTED)\n  R1 R2 R3 R4 R10');
    expect(fs.existsSync(path.join(dir, 'reports'))).toBe(false);
  });
});
