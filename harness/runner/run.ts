// One conformance run: check the target answers, run the Jest suites against it with the selection,
// and collect every observation the suites made.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCLI } from 'jest';
import type { Clause } from '../catalogue/types';
import type { Observation } from '../recorder/observation';
import { readObservations } from '../recorder/sink';
import type { ProtocolVersion } from '../../cmrp/constants';
import { createTarget } from '../target/resolve';
import { RUN_CONFIG_ENV, reachOf, targetOptions, type RunConfig, type TargetReach } from './config';
import { TargetUnreachableError, UsageError } from '../../cmrp/errors';
import { onProgress, type Progress } from './progress';
import { packageRoot } from '../../cmrp/package-info';

export interface RunOptions extends TargetReach {
  target: string;
  protocolVersion: ProtocolVersion;
  selection: Clause[];
  timeoutMultiplier: number;
  seed: number;
  runs?: number;
  /** Where a failed property run leaves its replay file. */
  replayDir?: string;
  /** "i/n": this machine's share of the suite files (jest --shard). */
  shard?: string;
  onProgress?: (progress: Progress) => void;
}

export interface RunOutcome {
  observations: Observation[];
  targetDescription: string;
  durationMs: number;
}

export async function executeRun(options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  if (!options.selection.length) throw new UsageError('the selection matches no clause');
  const targetDescription = await preflight(options);
  const dir = mkdtempSync(join(tmpdir(), 'cmrp-run-'));
  const config: RunConfig = {
    target: options.target,
    ...reachOf(options),
    replayDir: options.replayDir,
    protocolVersion: options.protocolVersion,
    clauseIds: options.selection.map((c) => c.id),
    timeoutMultiplier: options.timeoutMultiplier,
    seed: options.seed,
    runs: options.runs,
    observationsDir: dir,
  };
  const configPath = join(dir, 'run-config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const previous = process.env[RUN_CONFIG_ENV];
  process.env[RUN_CONFIG_ENV] = configPath;
  // Progress counts clauses: each report carries the observations the workers have appended so far.
  const listener = options.onProgress;
  onProgress(listener && ((p) => listener({ ...p, observations: readObservations(dir) })));
  try {
    const { results } = await runCLI(jestArgv(options.shard, sharedCluster(options.target)), [packageRoot()]);
    const observations = readObservations(dir);
    for (const file of results.testResults) {
      if (file.testExecError) {
        observations.push({
          clause: 'harness',
          outcome: 'error',
          test: file.testFilePath,
          protocolVersion: options.protocolVersion,
          message: `suite ${file.testFilePath} could not run: ${file.testExecError.message}`,
        });
      }
    }
    return { observations, targetDescription, durationMs: Date.now() - started };
  } finally {
    onProgress(undefined);
    if (previous === undefined) delete process.env[RUN_CONFIG_ENV];
    else process.env[RUN_CONFIG_ENV] = previous;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A target that cannot be created or connected to ends the run before anything is judged (exit 2). */
async function preflight(options: RunOptions): Promise<string> {
  const target = await createTarget(options.target, targetOptions(options));
  try {
    if (!target.capabilities.protocolVersions.includes(options.protocolVersion)) {
      throw new UsageError(`--protocol-version ${options.protocolVersion}: target ${target.description} speaks only ${target.capabilities.protocolVersions.join(', ')}`);
    }
    try {
      const connection = await target.connect({ protocolVersion: options.protocolVersion });
      await connection.close();
    } catch (error) {
      throw new TargetUnreachableError(`target ${target.description}: cannot connect: ${error instanceof Error ? error.message : String(error)}`);
    }
    return target.description;
  } finally {
    await target.dispose();
  }
}

/**
 * A wire target is one server whose cluster every connection shares (a control adapter's Reset acts
 * on all of them): its suites run one at a time, so one test's stimulus never lands in another's.
 */
function sharedCluster(target: string): boolean {
  return target.startsWith('dcerpc:');
}

function jestArgv(shard: string | undefined, serial = false): Parameters<typeof runCLI>[0] {
  const root = packageRoot();
  const suitesConfig = {
    rootDir: root,
    roots: ['<rootDir>/suites'],
    testMatch: ['**/*.spec.ts'],
    testEnvironment: 'node',
    // Installed as a package, the suites live under node_modules/, which Jest skips by default:
    // keep its files and judge them, but never transform the dependencies.
    haste: { retainAllFiles: true },
    testPathIgnorePatterns: ['<rootDir>/node_modules/'],
    transformIgnorePatterns: ['/node_modules/(?!cmrp-notify-conformance/)', '/node_modules/cmrp-notify-conformance/node_modules/'],
    transform: { '^.+\\.ts$': [require.resolve('ts-jest'), { tsconfig: join(root, 'tsconfig.json') }] },
  };
  return {
    _: [],
    $0: 'cmrp-notify-conformance',
    config: JSON.stringify(suitesConfig),
    reporters: [join(__dirname, `progress-reporter${__filename.endsWith('.ts') ? '.ts' : '.js'}`)],
    maxWorkers: serial ? 1 : '100%',
    silent: true,
    watchman: false,
    ci: true,
    passWithNoTests: Boolean(shard),
    ...(shard ? { shard } : {}),
  };
}
