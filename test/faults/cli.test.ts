// Rows of the fault matrix through the built command line, as a CI job runs it: the exit code and the
// reports of a run whose adapter fails at one phase, and kill -9 of the CLI at random moments never
// leaving the reports of two runs mixed (each report is the old one, the new one, or absent).
import { XMLValidator } from 'fast-xml-parser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { faultySpec, pooled, requireBuild, runBuiltCli, MULTIPLIER, type CliResult } from './support';

/** A small selection that still takes every phase (its sequences Reset, read, stimulate, close) and a short property run. */
const SELECTION = ['--section', '3.1.4.2.57', '--runs', '2', '--seed', '5', '--timeout-multiplier', String(MULTIPLIER)];

function verdicts(r: CliResult): Map<string, string> {
  return new Map((r.results?.clauses ?? []).map((c) => [c.id, c.verdict]));
}

beforeAll(requireBuild);

// Every run of the first two describes starts once, here, before any test judges it.

/** The three runs whose every handshake fails (exit 2), by fault. */
const HELLO_FAULTS = ['crash', 'garbage', 'hang'] as const;
const helloRuns = new Map<(typeof HELLO_FAULTS)[number], CliResult>();

// Each row exits 1 with the fault named: a session that fails at any phase, a late handshake included,
// is ERROR on the clauses it should have judged (README, exit codes), never exit 2 ("nothing was
// judged") and never 0. The sessions before the suites (the cleanup's, which looks for leftovers of
// earlier runs, then the run's preflight) are left alone by every row but the one aimed at the cleanup.
// test/faults/sessions.test.ts aims a fault at each kind of session in process, deterministically.
const rows: { name: string; target: string; mentions?: RegExp }[] = [
  { name: 'a crash at the third Disconnect', target: faultySpec('Disconnect', 'crash', 'nth:2'), mentions: /Disconnect/ },
  // The first control request of a run is the cleanup's ListObjects (leftovers of earlier runs): no
  // clause is in flight there, so it is a run-level ERROR (the harness entry), not a line on stderr only.
  { name: 'a crash at the cleanup session\'s ListObjects', target: faultySpec('control', 'crash', 'nth:0'), mentions: /cleanup session.*Control\.ListObjects/ },
  { name: 'a hang at the fourth Connect', target: faultySpec('Connect', 'hang', 'nth:3'), mentions: /Connect|--timeout-multiplier/ },
  { name: 'garbage for every blocked read', target: faultySpec('read', 'garbage'), mentions: /not JSON/ },
  { name: 'a crash at every Reset', target: faultySpec('reset', 'crash'), mentions: /Control\.Reset/ },
  // Every session after the preflight answers its handshake too late: its clauses must not vanish
  // into NOT-TESTED with exit 0.
  { name: 'late handshakes after the first two', target: faultySpec('Hello', 'slow', 'from:2'), mentions: /Hello|handshake|--timeout-multiplier/ },
];
const results = new Map<string, CliResult>();
let clean: CliResult;

// The rows that work (the clean run, then each CPU-bound row) go one at a time, as on a loaded machine
// two of them at once would turn the reference's own handshakes late. The runs that mostly wait out
// handshake timeouts (late handshakes; the runs of the next describe whose every Hello fails, the hang's
// twice) use almost no CPU (measured: 26 s and 13 s of wall for about 2.6 s and 0.9 s of CPU): they go
// beside them instead of after them.
const waiting = new Set(['late handshakes after the first two']);
beforeAll(async () => {
  const working = (async () => {
    clean = await runBuiltCli(['run', '--target', faultySpec('none', 'none'), ...SELECTION]);
    await pooled(
      rows.filter((row) => !waiting.has(row.name)),
      1,
      async (row) => results.set(row.name, await runBuiltCli(['run', '--target', row.target, ...SELECTION])),
    );
  })();
  const late = pooled(
    rows.filter((row) => waiting.has(row.name)),
    1,
    async (row) => results.set(row.name, await runBuiltCli(['run', '--target', row.target, ...SELECTION])),
  );
  const hello = pooled(HELLO_FAULTS, 1, async (fault) => helloRuns.set(fault, await runBuiltCli(['run', '--target', faultySpec('Hello', fault), ...SELECTION])));
  await Promise.all([working, late, hello]);
}, 900_000);

describe('fault rows through the built CLI', () => {
  it('passes the reference through the proxy (exit 0): the baseline of the rows', () => {
    expect(clean.stderr).not.toMatch(/internal error/);
    expect(clean.code).toBe(0);
    expect([...verdicts(clean).values()].filter((v) => v === 'PASS').length).toBeGreaterThan(3);
  });

  it.each(rows.map((r) => [r.name, r] as const))('%s: exit 1, no unearned PASS, the fault named', (_name, row) => {
    const r = results.get(row.name)!;
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect([row.name, r.code, r.code === 2 ? r.stderr : '']).toEqual([row.name, 1, '']);
    const cleanVerdicts = verdicts(clean);
    for (const [id, v] of verdicts(r)) if (v === 'PASS') expect([id, cleanVerdicts.get(id)]).toEqual([id, 'PASS']);
    const messages = (r.results?.clauses ?? []).filter((c) => c.verdict === 'ERROR').map((c) => c.message ?? '');
    expect(messages.length).toBeGreaterThan(0);
    if (row.mentions) expect(messages.join('\n')).toMatch(row.mentions);
  });
});

describe('a fault at every Hello through the built CLI: the run cannot start', () => {
  // The cleanup's session meets it first (and says nothing: the preflight speaks for an unreachable
  // target), then the preflight: exit 2 (README, exit codes), one line naming the handshake, no report.
  // Their runs went beside the rows above (they only wait): judged here.
  it.each(HELLO_FAULTS.map((f) => [f] as const))('%s: exit 2, one line', (fault) => {
    const r = helloRuns.get(fault)!;
    expect(r).toBeDefined();
    expect([r.code, r.stdout]).toEqual([2, '']);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cmrp-notify-conformance: target .*handshake/);
    if (fault === 'hang') expect(lines[0]).toContain('--timeout-multiplier');
    expect(r.results).toBeUndefined();
  });
});

describe('kill -9 of the CLI at random moments', () => {
  it('never leaves reports of two runs mixed or cut short', async () => {
    // Seeds tell the runs apart: every report carries its run's seed.
    const started = Date.now();
    const first = await runBuiltCli(['run', '--section', '3.1.4.2.57', '--runs', '2', '--seed', '101']);
    const lifetime = Date.now() - started;
    expect(first.code).toBe(0);
    const dir = first.dir;
    const seedOf = (file: string): number | undefined => {
      const path = join(dir, file);
      if (!existsSync(path)) return undefined;
      const text = readFileSync(path, 'utf8');
      if (file.endsWith('.json')) return (JSON.parse(text) as { seed: number }).seed;
      if (file.endsWith('.xml')) {
        expect(XMLValidator.validate(text)).toBe(true);
        return Number(/name="seed" value="(\d+)"/.exec(text)![1]);
      }
      // The Markdown summary ends with its last section: a cut file would not.
      expect(text.endsWith('\n')).toBe(true);
      return Number(/seed (\d+)/.exec(text)![1]);
    };
    // Random moments over the whole life of a run, from its first instant to its reports (the last
    // fifth of a run's life, where the reports are written, twice as likely).
    const moments = Array.from({ length: 4 }, (_, i) => Math.floor(lifetime * (i % 2 ? 0.8 + 0.25 * Math.random() : Math.random())));
    let seed = 200;
    for (const at of moments) {
      seed++;
      const before = ['r.json', 'j.xml', 's.md'].map(seedOf);
      const killed = await runBuiltCli(['run', '--section', '3.1.4.2.57', '--runs', '2', '--seed', String(seed)], { dir, killAfterMs: at });
      const after = ['r.json', 'j.xml', 's.md'].map(seedOf);
      // Each file: absent (a run removes the old reports before it starts), or complete from one run.
      const present = after.filter((s) => s !== undefined);
      if (killed.signal === 'SIGKILL') {
        for (const s of present) expect([seed, ...before]).toContain(s);
        // Never the new JSON beside an old JUnit (the old ones are gone once a run starts).
        expect(new Set(present).size).toBeLessThanOrEqual(1);
      } else {
        expect(killed.code).toBe(0);
        expect(after).toEqual([seed, seed, seed]);
        // A complete run clears the temp files that killed writers left behind.
        expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      }
    }
  }, 600_000);
});
