// Shared fixtures for the CLI, verdict and report tests: a small catalogue on disk, captured output,
// and a fake runner, so the whole CLI runs in-process without a server.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clause } from '../../harness/catalogue/types';
import type { CliDeps, ExecuteRun, Output } from '../../harness/cli/deps';
import { main } from '../../harness/cli/main';
import type { Observation, Outcome } from '../../harness/recorder/observation';
import type { RunOptions } from '../../harness/runner/run';

export function clause(id: string, extra: Partial<Clause> = {}): Clause {
  const section = id.split('/')[0];
  return {
    id,
    section,
    title: `title of ${id}`,
    versions: [3],
    level: 'MUST',
    party: 'server',
    summary: `The server does what ${id} requires.`,
    errors: [],
    testable: true,
    needs: ['calls'],
    ...extra,
  };
}

/** Sections 3.1.4.2.6 and 3.1.4.2.66 on purpose: one is a string prefix of the other. */
export const FIXTURE: { section: string; heading: string; clauses: Clause[] }[] = [
  {
    section: '3.1.4.2.6',
    heading: 'ApiSomething (Opnum 5)',
    clauses: [clause('3.1.4.2.6/R1'), clause('3.1.4.2.6/R2', { level: 'MUST NOT', versions: [2, 3] })],
  },
  {
    section: '3.1.4.2.66',
    heading: 'ApiGetNotify (Opnum 65)',
    clauses: [
      clause('3.1.4.2.66/R1'),
      clause('3.1.4.2.66/R2', { level: 'SHOULD' }),
      clause('3.1.4.2.66/R3', { level: 'MAY' }),
      clause('3.1.4.2.66/R4', { party: 'client', testable: false }),
      clause('3.1.4.2.66/R10', { level: 'descriptive' }),
    ],
  },
  {
    section: '3.1.4.1.66',
    heading: 'ApiGetNotify (Opnum 65)',
    clauses: [clause('3.1.4.1.66/R1', { versions: [2] })],
  },
];

const made: string[] = [];
// Each test file that uses tempDir() removes its directories when it ends.
if (typeof afterAll === 'function') afterAll(() => made.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

export function tempDir(prefix = 'cmrp-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function writeCatalogue(dir: string, sections = FIXTURE): string {
  const catDir = path.join(dir, 'catalogue');
  fs.mkdirSync(catDir, { recursive: true });
  for (const s of sections) fs.writeFileSync(path.join(catDir, `${s.section}.json`), JSON.stringify(s, null, 2));
  return catDir;
}

export interface Captured extends Output {
  text: string;
}

export function capture(isTTY = false): Captured {
  return {
    text: '',
    isTTY,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

export function obs(clauseId: string, outcome: Outcome, extra: Partial<Observation> = {}): Observation {
  return { clause: clauseId, outcome, test: `test of ${clauseId}`, protocolVersion: 3, message: `${outcome} of ${clauseId}`, ...extra };
}

/** A runner that reports the given outcomes, for the selected clauses only (as the real one does). */
export function fakeRunner(outcomes: Readonly<Record<string, Outcome | readonly Outcome[]>> | ((options: RunOptions) => Observation[])): ExecuteRun & { calls: RunOptions[] } {
  const calls: RunOptions[] = [];
  const run = async (options: RunOptions) => {
    calls.push(options);
    const selected = new Set(options.selection.map((c) => c.id));
    const observations =
      typeof outcomes === 'function'
        ? outcomes(options)
        : Object.entries(outcomes).flatMap(([id, o]) => (selected.has(id) || !id.includes('/') ? (typeof o === 'string' ? [o] : o).map((x) => obs(id, x)) : []));
    options.onProgress?.({ section: '3.1.4.2.66', done: 1, total: 1, passed: 1, failed: 0 });
    return { observations, targetDescription: `fake ${options.target}`, durationMs: 12 };
  };
  return Object.assign(run, { calls });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `dir` with the fixture catalogue (unless given another) and a fake runner. */
export async function runCli(argv: string[], options: { dir: string; executeRun?: ExecuteRun; deps?: Partial<CliDeps> }): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const catalogueDir = fs.existsSync(path.join(options.dir, 'catalogue')) ? path.join(options.dir, 'catalogue') : writeCatalogue(options.dir);
  const code = await main(argv, {
    stdout,
    stderr,
    cwd: options.dir,
    env: {},
    catalogueDir,
    now: () => new Date('2026-01-02T03:04:05.678Z'),
    randomSeed: () => 4242,
    executeRun: options.executeRun ?? fakeRunner({}),
    listMutants: () => [],
    ...options.deps,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
