// One conformance run: check the target answers, run the Jest suites against it with the selection,
// and collect every observation the suites made.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AggregatedResult, TestResult } from '@jest/test-result';
import type * as Jest from 'jest';
import type { Clause } from '../catalogue/types';
import type { Observation } from '../recorder/observation';
import type { Target } from '../../cmrp/contract';
import type { ProtocolVersion } from '../../cmrp/constants';
import type * as TargetResolve from '../target/resolve';
import { RUN_CONFIG_ENV, clustersOf, onCluster, reachOf, targetOptions, type Cluster, type RunConfig, type TargetReach } from '../run-config/config';
import { TargetUnreachableError, UsageError } from '../../cmrp/errors';
import { onProgress, type Progress } from './progress';
import { ObservationTail } from './observation-tail';
import { endUntakenSuiteWorkers, startSuiteWorkers } from './suite-workers';
import { unbundler } from './worker-bundle';
import { packageRoot } from '../../cmrp/package-info';
import { isDone, readDone, unitErrors } from '../suite/accounting';
import { PLAN_FILE, planRun, plannedClauses, shardOf, type PlannedFile } from '../suite/plan';

export interface RunOptions extends TargetReach {
  target: string;
  /** Clusters equivalent to the first, for a `dcerpc:` run: one more worker each (RunConfig). */
  moreClusters?: Cluster[];
  protocolVersion: ProtocolVersion;
  selection: Clause[];
  timeoutMultiplier: number;
  seed: number;
  runs?: number;
  /** Where a failed property run leaves its replay file. */
  replayDir?: string;
  /** The selection names clauses only (--clause, no --section): the property joins only for clauses no other file judges. */
  clausesOnly?: boolean;
  /** "i/n": this machine's share of the suite files the plan starts. */
  shard?: string;
  onProgress?: (progress: Progress) => void;
}

export interface RunOutcome {
  observations: Observation[];
  targetDescription: string;
  durationMs: number;
  /** The clause ids the started suite files had to judge (this shard's share, with --shard). */
  plannedClauseIds?: string[];
}

export async function executeRun(options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  if (!options.selection.length) throw new UsageError('the selection matches no clause');
  const dir = mkdtempSync(join(tmpdir(), 'cmrp-run-'));
  const config: RunConfig = {
    target: options.target,
    ...reachOf(options),
    ...(options.moreClusters?.length ? { moreClusters: options.moreClusters } : {}),
    replayDir: options.replayDir,
    protocolVersion: options.protocolVersion,
    clauseIds: options.selection.map((c) => c.id),
    timeoutMultiplier: options.timeoutMultiplier,
    seed: options.seed,
    runs: options.runs,
    observationsDir: dir,
    clausesOnly: options.clausesOnly,
  };
  const files = shardOf(planRun(config), options.shard);
  const configPath = join(dir, 'run-config.json');
  writeFileSync(configPath, JSON.stringify(config));
  // The workers find their files' entries here instead of planning the whole run again.
  writeFileSync(join(dir, PLAN_FILE), JSON.stringify(files));
  const previous = process.env[RUN_CONFIG_ENV];
  process.env[RUN_CONFIG_ENV] = configPath;
  // The observations are read back as each suite file ends, while the other workers still run, so that
  // after the last one only its own remain to parse. Progress counts clauses from the same reads.
  const listener = options.onProgress;
  const tail = new ObservationTail(dir);
  onProgress((p) => {
    tail.read();
    if (!listener) return;
    const report: Progress = { ...p };
    Object.defineProperty(report, 'observations', { enumerable: true, get: () => tail.read() });
    listener(report);
  });
  try {
    const built = files.filter((f) => existsSync(suitePath(f.name)));
    const workers = workerCount(built.length, sharedCluster(options.target) ? 1 + (options.moreClusters?.length ?? 0) : undefined);
    // Before Jest loads: the workers start while the CLI still does (suite-workers.ts).
    if (workers > 1 && built.length > JEST_IN_BAND_MAX_FILES) startWorkersEarly(workers);
    // The target must answer before anything is judged; the early workers load meanwhile, and are
    // ended unused if it does not.
    let targetDescription: string;
    try {
      targetDescription = await preflightClusters(options);
    } catch (error) {
      await endUntakenSuiteWorkers();
      throw error;
    }
    let results: AggregatedResult | undefined;
    let jestProblem: string | undefined;
    if (built.length) {
      try {
        // Loaded only now, after the workers were started: Jest's modules are a CLI's longest load.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { runCLI } = require('jest') as typeof Jest;
        ({ results } = await runCLI(jestArgv(built.map((f) => suitePath(f.name)), workers), [suitesDir()]));
      } catch (error) {
        jestProblem = `Jest could not run the suites: ${firstLine(error instanceof Error ? error.message : String(error))}`;
      } finally {
        await endUntakenSuiteWorkers();
      }
    }
    // In the order of readObservations (harness/recorder/sink.ts), each line parsed once.
    const observations = tail.final();
    // A worker that ran from the bundle wrote stacks (harness errors) with the bundle's positions: the
    // report gives the compiled files' instead, which a reader can open.
    const unbundle = unbundler(join(__dirname, '..', '..'));
    for (const o of observations) if (o.message) o.message = unbundle(o.message);
    const done = readDone(dir);
    observations.push(...unaccounted(files, done, results, jestProblem, options.protocolVersion));
    observations.push(...fileErrors(files, done, results, options.protocolVersion));
    return { observations, targetDescription, durationMs: Date.now() - started, plannedClauseIds: [...plannedClauses(files)] };
  } finally {
    onProgress(undefined);
    if (previous === undefined) delete process.env[RUN_CONFIG_ENV];
    else process.env[RUN_CONFIG_ENV] = previous;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The compiled suites: a run executes the build output, never the TypeScript sources. */
export function suitesDir(): string {
  return join(packageRoot(), 'dist', 'suites');
}

function suitePath(name: string): string {
  return join(suitesDir(), `${name}.spec.js`);
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? text;
}

/**
 * ERROR on the clauses of every planned unit that did not report done, with the cause Jest saw: the file
 * was not built, did not run, could not load, or the test failed to start or finish (a hook or Jest's
 * own timeout).
 */
export function unaccounted(
  files: readonly PlannedFile[],
  done: ReadonlySet<string>,
  results: Pick<AggregatedResult, 'testResults'> | undefined,
  jestProblem: string | undefined,
  protocolVersion: ProtocolVersion,
): Observation[] {
  const out: Observation[] = [];
  const byPath = resultsByPath(results);
  for (const file of files) {
    const path = suitePath(file.name);
    const ran = byPath.get(path);
    for (const unit of file.units) {
      if (isDone(done, file.name, unit.test)) continue;
      out.push(...unitErrors(file.name, unit, protocolVersion, causeOf(path, unit.test, ran, results !== undefined, jestProblem)));
    }
  }
  return out;
}

/** A file whose every test reported but which failed around them (its teardown): a harness error, never lost. */
function fileErrors(files: readonly PlannedFile[], done: ReadonlySet<string>, results: AggregatedResult | undefined, protocolVersion: ProtocolVersion): Observation[] {
  const out: Observation[] = [];
  const byPath = resultsByPath(results);
  for (const file of files) {
    const ran = byPath.get(suitePath(file.name));
    if (!ran?.testExecError || !file.units.every((u) => isDone(done, file.name, u.test))) continue;
    out.push({ clause: 'harness', outcome: 'error', test: file.name, protocolVersion, message: `suite file ${file.name}: ${firstLine(ran.testExecError.message)}` });
  }
  return out;
}

function resultsByPath(results: Pick<AggregatedResult, 'testResults'> | undefined): Map<string, TestResult> {
  return new Map(results?.testResults.map((r) => [r.testFilePath, r]));
}

function causeOf(path: string, test: string, ran: TestResult | undefined, jestRan: boolean, jestProblem: string | undefined): string {
  if (!existsSync(path)) return `the suite file was not built (${path} is missing): run \`npm run build\``;
  if (jestProblem) return jestProblem;
  if (!jestRan || !ran) return 'Jest did not run the suite file';
  if (ran.testExecError) return `the suite file could not run: ${firstLine(ran.testExecError.message)}`;
  const assertion = ran.testResults.find((a) => a.title === test);
  if (!assertion) return 'the test did not start';
  if (assertion.status === 'failed') return `the test did not finish: ${firstLine(assertion.failureMessages[0] ?? 'failed without a message')}`;
  if (assertion.status === 'passed') return 'the test passed without reporting its observations';
  return `the test did not run (${assertion.status})`;
}
/**
 * Every cluster of the run answers, and they are equivalent: each offers what the first does (protocol
 * versions, version 2 ports, access levels, nodes...), or a clause would be judged on one cluster and
 * NOT-TESTED on another depending on which worker ran it. Either refuses the run (exit 2, one line).
 */
async function preflightClusters(options: RunOptions): Promise<string> {
  const checked = await Promise.all(clustersOf(options).map((cluster) => preflight(onCluster(options, cluster))));
  if (checked.length === 1) return checked[0].description;
  const problem = inequivalence(checked);
  if (problem) throw new UsageError(problem);
  return `${checked.length} equivalent clusters: ${checked.map((c) => c.description).join('; ')}`;
}

/** Where a cluster offers other than the first does, what a refusal says; else undefined. */
export function inequivalence(checked: readonly Pick<Target, 'description' | 'capabilities'>[]): string | undefined {
  const first = JSON.stringify(checked[0].capabilities);
  const other = checked.find((c) => JSON.stringify(c.capabilities) !== first);
  return other && `the clusters are not equivalent: ${other.description} offers ${JSON.stringify(other.capabilities)}, ${checked[0].description} offers ${first}`;
}

/**
 * A target that cannot be created, connected to, or closed ends the run before anything is judged (exit
 * 2, one line naming the step): a fault in this first session is never passed over.
 */
export async function preflight(options: Pick<RunOptions, 'target' | 'protocolVersion' | 'timeoutMultiplier'> & TargetReach): Promise<Pick<Target, 'description' | 'capabilities'>> {
  // Loaded here, after the early workers were started: the reference server is most of its load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTarget } = require('../target/resolve') as typeof TargetResolve;
  const target = await createTarget(options.target, targetOptions(options));
  const failed = (step: string, error: unknown) =>
    new TargetUnreachableError(`target ${target.description}: ${step}: ${error instanceof Error ? error.message : String(error)}`);
  try {
    if (!target.capabilities.protocolVersions.includes(options.protocolVersion)) {
      throw new UsageError(`--protocol-version ${options.protocolVersion}: target ${target.description} speaks only ${target.capabilities.protocolVersions.join(', ')}`);
    }
    let connection;
    try {
      connection = await target.connect({ protocolVersion: options.protocolVersion });
    } catch (error) {
      throw failed('cannot connect', error);
    }
    try {
      await connection.close();
    } catch (error) {
      throw failed('the first session failed when it was closed', error);
    }
  } catch (error) {
    // The run ends on this first problem (exit 2, its one line); a failure to close as well adds nothing.
    await target.dispose().catch(() => undefined);
    throw error;
  }
  try {
    await target.dispose();
  } catch (error) {
    throw failed('the target failed to close after the first session', error);
  }
  return { description: target.description, capabilities: target.capabilities };
}

/**
 * A wire target is one server whose cluster every connection shares (a control adapter's Reset acts
 * on all of them): its suites run one at a time, so one test's stimulus never lands in another's.
 */
function sharedCluster(target: string): boolean {
  return target.startsWith('dcerpc:');
}

/** The runner's own modules that Jest loads by path: compiled, like everything a run executes. */
function ext(): string {
  return __filename.endsWith('.ts') ? '.ts' : '.js';
}

/**
 * Jest may run up to this many files in band (in the CLI's process) when its timings say they are quick;
 * above it, with more than one worker, it always uses workers: only then are workers started early.
 */
const JEST_IN_BAND_MAX_FILES = 20;

/** One worker per core; where the files share clusters, one per cluster (`clusters`), each a lane. */
function workerCount(files: number, clusters: number | undefined): number {
  return Math.max(1, Math.min(files, clusters ?? availableParallelism()));
}

/** Starts the run's workers early; where that fails, Jest starts its own (and meets the same problem). */
function startWorkersEarly(count: number): void {
  try {
    startSuiteWorkers(count);
  } catch {
    // Jest's own runner then starts the workers, and reports what stops them.
  }
}

/**
 * Jest over the compiled suite files the plan names, and nothing else: no transform (they are plain
 * JavaScript), no crawl beyond dist/suites.
 */
function jestArgv(paths: string[], workers: number): Parameters<typeof Jest.runCLI>[0] {
  const suitesConfig = {
    rootDir: suitesDir(),
    roots: ['<rootDir>'],
    testMatch: ['**/*.spec.js'],
    // Installed as a package, the suites live under node_modules/, which Jest skips by default: keep them.
    // A haste option given replaces Jest's defaults whole, forceNodeFilesystemAPI with them: without it
    // Jest spawns find(1) twice (a probe, then the crawl) to list the few dozen files of dist/suites.
    haste: { retainAllFiles: true, forceNodeFilesystemAPI: true },
    testPathIgnorePatterns: ['<rootDir>/node_modules/'],
    // Out of Jest's module map: the runner names every file by path and the suites require the harness
    // by relative path, so nothing needs the map. A file the map does not know (after every build) would
    // otherwise make Jest start a farm of worker processes just to scan it, on the run's critical path.
    modulePathIgnorePatterns: ['<rootDir>/'],
    // One sandbox per worker, not per file (worker-environment.ts), loaded from the worker bundle when
    // the build made a fresh one (worker-environment-bundled.ts).
    testEnvironment: join(__dirname, `worker-environment-bundled${ext()}`),
    testRunner: join(__dirname, `suite-runner${ext()}`),
    // Takes the workers startSuiteWorkers started, if any; else it is Jest's own runner.
    runner: join(__dirname, `suite-workers-runner${ext()}`),
    transform: {},
  };
  return {
    _: paths,
    $0: 'cmrp-notify-conformance',
    config: JSON.stringify(suitesConfig),
    runTestsByPath: true,
    reporters: [join(__dirname, `progress-reporter${ext()}`)],
    maxWorkers: workers,
    silent: true,
    watchman: false,
    ci: true,
  };
}
