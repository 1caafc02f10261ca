// `npm run bench`: speed as ratios against baselines measured in the same run, so a loaded or slow
// machine cancels out. Every command is run REPEATS times, the measurements interleaved round by round
// (a burst of load hits them all alike), and the median is kept.
//
//   npm run bench [-- --repeats N] [-- --tests]
//
// Baselines: an empty Jest run of one trivial test (what any Jest-based suite pays to start), and the
// in-process floor (the same sequences and property budget as a full run, called directly in this
// process: no Jest, no CLI, no reports). --tests adds the project's own `npm test` (minutes).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runAllSequences } from '../harness/sequence/run-all';
import { Session, defaultTimeouts } from '../harness/session/session';
import { Trace } from '../harness/session/trace';
import { defaultPropertyTimeouts } from '../harness/property/context';
import { DEFAULT_RUNS, runProperty } from '../harness/property/runner';
import { CLUSTER_CHANGE } from '../cmrp/constants';
import type { ClusapiConnection, Target } from '../cmrp/contract';
import { packageRoot } from '../cmrp/package-info';
import { staleReason } from '../harness/runner/worker-bundle';
import { createBuiltinTarget } from '../harness/target/builtin';

const ROUNDS = 200;
const ROOT = packageRoot();
const BIN = join(ROOT, 'bin', 'cmrp-notify-conformance.js');
const JEST = require.resolve('jest/bin/jest');

interface Flags {
  repeats: number;
  tests: boolean;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { repeats: 5, tests: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tests') flags.tests = true;
    else if (argv[i] === '--repeats' && /^\d+$/.test(argv[i + 1] ?? '')) flags.repeats = Math.max(1, Number(argv[++i]));
    else throw new Error(`unknown argument ${argv[i]} (takes --repeats N and --tests)`);
  }
  return flags;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * CPU time (user + system, ms) of every child this process has waited for, from /proc (Linux); on a
 * loaded machine it says more than wall time. NaN where /proc is not there.
 */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

const cpu = new Map<string, number[]>();

/** One command's wall time in ms; a command that fails its expected exit code stops the bench. */
function timed(label: string, argv: string[], options: { env?: NodeJS.ProcessEnv; expect?: number[]; cwd?: string } = {}): number {
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const run = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: 900_000 });
  const ms = performance.now() - start;
  cpu.set(label, [...(cpu.get(label) ?? []), childrenCpuMs() - cpuBefore]);
  const expected = options.expect ?? [0];
  if (run.status === null || !expected.includes(run.status)) {
    throw new Error(`${label}: exit ${run.status ?? run.signal}, expected ${expected.join(' or ')}\n${run.stderr.slice(-2000)}${run.stdout.slice(-2000)}`);
  }
  return ms;
}

// --- the in-process measurements ------------------------------------------------------------------

/** One round: create a port, register, cause an event, read it, close: five calls and a stimulus. */
type Caller = (method: string, args: unknown[]) => Promise<Record<string, unknown>>;

async function round(call: Caller, target: Target): Promise<void> {
  const port = (await call('ApiCreateNotify', [])).hNotify as string;
  const group = (await call('ApiOpenGroup', ['App Group'])).hGroup as string;
  await call('ApiAddNotifyGroup', [port, group, CLUSTER_CHANGE.GROUP_STATE, 1]);
  await target.control!.apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
  await call('ApiGetNotify', [port]);
  await call('ApiCloseNotify', [port]);
  await call('ApiCloseGroup', [group]);
  await target.control!.apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 0 });
}

async function medianOf(repeats: number, run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

interface InProcess {
  perRoundMs: number;
  sessionRatio: number;
  scriptedRounds: number;
  /** Every v3 sequence and the default property budget, in this process: what a full run can at best cost. */
  floorMs: number;
  floorCpuMs: number;
}

async function inProcess(repeats: number): Promise<InProcess> {
  const target = createBuiltinTarget({});
  const connection: ClusapiConnection = await target.connect({ protocolVersion: 3 });
  const raw: Caller = (method, args) => (connection as unknown as Record<string, (...a: unknown[]) => Promise<Record<string, unknown>>>)[method](...args);
  const baseline = await medianOf(7, async () => {
    for (let i = 0; i < ROUNDS; i++) await round(raw, target);
  });
  const session = await medianOf(7, async () => {
    const s = new Session(connection, new Trace(), defaultTimeouts());
    const viaSession: Caller = (method, args) => s.call(method as never, args) as Promise<Record<string, unknown>>;
    for (let i = 0; i < ROUNDS; i++) await round(viaSession, target);
  });
  await connection.close();
  const scripted = await medianOf(7, async () => {
    await runAllSequences(target, 3, defaultTimeouts());
  });
  await target.dispose();
  const cpuTimes: number[] = [];
  const floorMs = await medianOf(repeats, async () => {
    const before = process.cpuUsage();
    const t = createBuiltinTarget({});
    try {
      await runAllSequences(t, 3, defaultTimeouts());
      const result = await runProperty({ target: t, targetSpec: 'builtin', version: 3, seed: 1, runs: DEFAULT_RUNS, timeouts: defaultPropertyTimeouts() });
      if (result.failure || result.problem) throw new Error('the property failed against the reference');
    } finally {
      await t.dispose();
      const used = process.cpuUsage(before);
      cpuTimes.push((used.user + used.system) / 1000);
    }
  });
  const perRoundMs = baseline / ROUNDS;
  return { perRoundMs, sessionRatio: session / baseline, scriptedRounds: scripted / perRoundMs, floorMs, floorCpuMs: median(cpuTimes) };
}

// --- servers the bench starts ---------------------------------------------------------------------

interface Served {
  port: number;
  controlPort: number;
  /** CPU time (user + system, ms) the served reference has used so far; NaN where /proc is not there. */
  cpuMs(): number;
  stop(): void;
}

/** CPU time (user + system, ms) of a running process, from /proc (Linux); NaN where it cannot be read. */
function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime (14) and stime (15) are at 11 and 12 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** The reference on the wire, SPNEGO(NTLM) at packet privacy for one account, with its control port. */
function serveDcerpc(password: string): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'serve', '--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--user', 'CLUSTER\\bench'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CMRP_PASSWORD: password } },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const port = /listening on dcerpc:127\.0\.0\.1:(\d+)\n/.exec(out);
      const control = /control on tcp:127\.0\.0\.1:(\d+)\n/.exec(out);
      if (!port || !control) return;
      clearTimeout(timer);
      resolve({ port: Number(port[1]), controlPort: Number(control[1]), cpuMs: () => processCpuMs(child.pid), stop: () => child.kill('SIGTERM') });
    });
  });
}

// --- the runs -------------------------------------------------------------------------------------

interface Measure {
  key: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  expect?: number[];
}

function runArgv(dir: string, args: string[]): string[] {
  return [BIN, 'run', '--seed', '1', ...args, '--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 's.md')];
}

function emptyJestProject(dir: string): string[] {
  const project = join(dir, 'empty-jest');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name":"empty-jest","private":true}\n');
  writeFileSync(join(project, 'trivial.test.js'), "test('trivial', () => {\n  expect(1 + 1).toBe(2);\n});\n");
  return [JEST, '--config', JSON.stringify({ rootDir: project }), '--ci', '--silent'];
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * `npm test` as package.json runs it (Node's flags, then Jest), less npm itself: the row prices the
 * project's own test command, whatever flags it gives Node.
 */
function testCommand(): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test.split(/\s+/);
  const jestAt = script.findIndex((w) => w === 'jest' || w.endsWith('jest/bin/jest.js'));
  if (jestAt < 0) throw new Error(`package.json's test script does not run Jest: ${script.join(' ')}`);
  const nodeFlags = script[0] === 'node' ? script.slice(1, jestAt) : [];
  return [...nodeFlags, JEST, ...script.slice(jestAt + 1)];
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  // What a user runs after `npm ci` loads the workers' harness from the build's bundle; a bench without
  // it would price a slower path (tools/tsconfig.json compiling into dist/ after the build made it stale).
  const stale = staleReason(join(ROOT, 'dist'));
  if (stale) throw new Error(`the worker bundle is not fresh (${stale}): run \`npm run build\` last, as \`npm run bench\` does`);
  const dir = mkdtempSync(join(tmpdir(), 'cmrp-bench-'));
  const password = `bench-${process.pid}-${Date.now()}`;
  // Two served references: one cluster for the row of one, both for the row of two clusters (a worker
  // each, as builtin has a cluster in each of its workers).
  const served = await serveDcerpc(password);
  const second = await serveDcerpc(password).catch((error: unknown) => {
    served.stop();
    throw error;
  });
  const clusters = [served, second];
  try {
    const measures: Measure[] = [
      { key: 'empty', argv: emptyJestProject(dir) },
      { key: 'full', argv: runArgv(dir, []) },
      { key: 'one', argv: runArgv(dir, ['--clause', '3.1.4.2.100/R3']) },
      // Jest's cache lives under the temporary directory: a fresh one is the first run after npm ci.
      { key: 'cold', argv: runArgv(dir, []), env: { TMPDIR: '' } },
      { key: 'stdio', argv: runArgv(dir, ['--target', `stdio:${process.execPath} ${BIN} serve --listen stdio`]) },
      {
        key: 'dcerpc',
        argv: runArgv(dir, ['--target', `dcerpc:127.0.0.1:${served.port}`, '--user', 'CLUSTER\\bench', '--control', `tcp:127.0.0.1:${served.controlPort}`]),
        env: { CMRP_PASSWORD: password },
      },
      {
        key: 'dcerpc2',
        argv: runArgv(dir, ['--user', 'CLUSTER\\bench', ...clusters.flatMap((c) => ['--target', `dcerpc:127.0.0.1:${c.port}`, '--control', `tcp:127.0.0.1:${c.controlPort}`])]),
        env: { CMRP_PASSWORD: password },
      },
      { key: 'v2', argv: runArgv(dir, ['--protocol-version', '2']) },
      { key: 'hang', argv: runArgv(dir, ['--protocol-version', '2', '--target', 'builtin:mutant=v2-no-timeout']), expect: [1] },
    ];
    // One unmeasured pass: Jest's cache and the OS's file cache warm, as on a developer's machine.
    for (const m of measures) if (m.key !== 'hang') timed(m.key, m.argv, { env: m.env, expect: m.expect });
    cpu.clear();
    const times = new Map<string, number[]>(measures.map((m) => [m.key, []]));
    for (let r = 0; r < flags.repeats; r++) {
      for (const m of measures) {
        let env = m.env;
        if (m.key === 'cold') {
          const fresh = mkdtempSync(join(dir, 'cold-'));
          env = { TMPDIR: fresh };
        }
        // builtin serves in the run's own processes, the stdio adapters are the run's children: the
        // dcerpc: row counts the served reference's CPU during the run too, so the rows compare alike.
        const servedBefore = clusters.map((c) => c.cpuMs());
        times.get(m.key)!.push(timed(m.key, m.argv, { env, expect: m.expect }));
        if (m.key.startsWith('dcerpc')) {
          const runs = cpu.get(m.key)!;
          runs[runs.length - 1] += clusters.reduce((sum, c, i) => sum + c.cpuMs() - servedBefore[i], 0);
        }
        process.stderr.write('.');
      }
    }
    process.stderr.write('\n');
    const t = (key: string) => median(times.get(key)!);
    const c = (key: string) => median(cpu.get(key)!);
    const floor = await inProcess(flags.repeats);
    if (flags.tests) times.set('tests', [timed('tests', [...testCommand(), '--ci', '--silent'], { cwd: ROOT })]);
    const testsMs = flags.tests ? t('tests') : undefined;

    const row = (what: string, key: string, base: string, baseWall: number, baseCpu: number, target: string) =>
      `${what.padEnd(42)}${seconds(t(key)).padStart(8)}${seconds(c(key)).padStart(9)}   ${ratio(t(key), baseWall).padStart(6)} ${ratio(c(key), baseCpu).padStart(6)}  ${base.padEnd(17)}${target}`;
    const lines = [
      `cmrp-notify-conformance bench: ${availableParallelism()} cores, load average ${loadAverage()}, medians of ${flags.repeats}`,
      `(wall: elapsed; cpu: user + system of the run's processes, and for dcerpc: of the served references; on a loaded machine compare the cpu ratios)`,
      '',
      `${'baseline: empty Jest run, one trivial test'.padEnd(42)}${seconds(t('empty')).padStart(8)}${seconds(c('empty')).padStart(9)}`,
      `${'baseline: in-process floor (v3 + property)'.padEnd(42)}${seconds(floor.floorMs).padStart(8)}${seconds(floor.floorCpuMs).padStart(9)}`,
      '',
      `${'what'.padEnd(42)}${'wall'.padStart(8)}${'cpu'.padStart(9)}   ${'wall'.padStart(6)} ${'cpu'.padStart(6)}  ${'against'.padEnd(17)}target`,
      row('full default run (v3, builtin)', 'full', 'empty Jest', t('empty'), c('empty'), '<= 3.5x, <= 2.5 s'),
      row('', 'full', 'in-process floor', floor.floorMs, floor.floorCpuMs, ''),
      row('one-clause run (--clause 3.1.4.2.100/R3)', 'one', 'empty Jest', t('empty'), c('empty'), '<= 1.5x'),
      row('first run, empty Jest cache', 'cold', 'empty Jest', t('empty'), c('empty'), '<= 4 s'),
      row('served reference over stdio', 'stdio', 'builtin', t('full'), c('full'), ''),
      row('served dcerpc: at privacy, one cluster', 'dcerpc', 'builtin', t('full'), c('full'), ''),
      row('  the same on two clusters, a worker each', 'dcerpc2', 'builtin', t('full'), c('full'), '<= 3x'),
      row('v2 run, builtin', 'v2', 'empty Jest', t('empty'), c('empty'), ''),
      row('v2 run, a server whose reads hang', 'hang', 'healthy v2 run', t('v2'), c('v2'), '<= 15 s'),
      ...(testsMs !== undefined ? [row("the project's own tests (jest)", 'tests', 'empty Jest', t('empty'), c('empty'), '<= 4 min')] : []),
      '',
      `per call: ${ROUNDS} raw rounds (7 calls, 2 stimuli each) on builtin, ${floor.perRoundMs.toFixed(3)} ms a round`,
      `  session overhead     ${floor.sessionRatio.toFixed(2)}x raw calls (timeouts, trace, reply checks)`,
      `  scripted suite (v3)  ${floor.scriptedRounds.toFixed(0)} raw rounds (every sequence, interpreter and judging)`,
    ];
    console.log(lines.join('\n'));
  } finally {
    for (const c of clusters) c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
