// Shared by the fault matrix tests: the faulty adapter (a proxy in front of the built reference that
// misbehaves at one phase), the scripted sequences every row runs, and the built CLI run as a child.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../cmrp/package-info';
import { loadAllSequences } from '../../harness/sequence/load';
import type { Sequence } from '../../harness/sequence/types';
import { scaled, timeScale } from '../support/time-scale';

export const PROXY = join(__dirname, 'fixtures', 'fault-proxy.js');
export const BIN = join(packageRoot(), 'bin', 'cmrp-notify-conformance.js');

/** The proxy serves the built reference: `npm test` builds first; a bare jest run needs `npm run build`. */
export function requireBuild(): void {
  if (!existsSync(join(packageRoot(), 'dist', 'harness', 'cli', 'serve.js'))) {
    throw new Error('the fault matrix runs the built CLI: run `npm run build` first');
  }
}

export type Phase = 'Hello' | 'Connect' | 'call' | 'read' | 'control' | 'reset' | 'Disconnect';
export type Fault = 'crash' | 'hang' | 'garbage' | 'oversize' | 'wrong-id' | 'slow' | 'exit' | 'close-stdout';

export const PHASES: Phase[] = ['Connect', 'call', 'read', 'control', 'reset', 'Disconnect'];
export const FAULTS: Fault[] = ['crash', 'hang', 'garbage', 'oversize', 'wrong-id', 'slow', 'exit', 'close-stdout'];

/** The request each phase is, as a message about the fault names it. */
export const PHASE_CALL: Record<Phase, RegExp> = {
  Hello: /Hello|handshake/,
  Connect: /Connect/,
  call: /ApiCreateNotify/,
  read: /ApiGetNotify/,
  control: /Control\.(SetState|AddObject|Registry\w+|SetProperty)/,
  // A fixture's setup sends its Reset first in a Control.Batch, whose label lists the verbs.
  reset: /Control\.Reset|Control\.Batch \(\d+ stimuli: Reset/,
  Disconnect: /Disconnect/,
};

/**
 * Target timeouts of the matrix: short, so a hang costs little, but scaled with the machine so a loaded
 * one does not turn the reference's own replies into timeouts.
 */
export const MULTIPLIER = 0.2 * timeScale();

/**
 * How late a "slow" reply comes at each phase: half again the timeout that guards it (at MULTIPLIER 1:
 * Hello 10 s, Connect and control verbs 5 s, Disconnect 3 s, a call or a completed read 5 s), so it is
 * too late, but not by so much that the row waits long.
 */
export function slowMs(phase: Phase | 'none'): number {
  const limit = phase === 'Hello' ? 10000 : phase === 'Disconnect' ? 3000 : 5000;
  return Math.round(1.5 * limit * MULTIPLIER);
}

/** One run's share of the proxy's occurrence counters (a fresh directory). */
export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'cmrp-fault-state-'));
}

function quote(word: string): string {
  return `"${word.replace(/(["\\])/g, '\\$1')}"`;
}

/** The --target of an adapter that misbehaves `fault` at `phase` when `trigger` says (always, nth:K, from:K). */
export function faultySpec(phase: Phase | 'none', fault: Fault | 'none', trigger = 'always', state = stateDir()): string {
  return `stdio:${[process.execPath, PROXY, phase, fault, trigger, state, String(slowMs(phase))].map(quote).join(' ')}`;
}

/** The sequences every in-process row runs: between them every phase (a blocked read, a control verb). */
export const ROW_SEQUENCES = ['get-notify/blocks', 'create-notify/usable-port'];

export function rowSequences(): Sequence[] {
  const all = loadAllSequences();
  return ROW_SEQUENCES.map((id) => {
    const found = all.find((s) => s.id === id);
    if (!found) throw new Error(`sequence ${id} is gone from vectors/sequences: pick another that covers the phases`);
    return found;
  });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  dir: string;
  results?: { summary: Record<string, number>; seed: number; clauses: { id: string; verdict: string; message: string | null }[] };
}

/** The built CLI as a child process; resolves when it ends, or when killed at `killAfterMs` with SIGKILL. */
export function runBuiltCli(args: string[], options: { dir?: string; killAfterMs?: number } = {}): Promise<CliResult> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'cmrp-fault-run-'));
  const reports = ['--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 's.md'), '--html', join(dir, 'r.html')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, ...reports], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const killer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    // Only against a hang of the gate itself: nothing in the matrix should come near it.
    const guard = setTimeout(() => child.kill('SIGKILL'), scaled(300_000));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      clearTimeout(guard);
      let results: CliResult['results'];
      try {
        results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as CliResult['results'];
      } catch {
        results = undefined;
      }
      resolve({ code, signal, stdout, stderr, dir, results });
    });
  });
}

/** Runs `work` over `items`, at most `limit` at a time (rows spend most of their time waiting). */
export async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
