// What the CLI needs from the outside world, injectable so tests drive the whole CLI in-process
// (a fake runner, captured output) and the real bin gets the real thing.
import { randomInt } from 'node:crypto';
import type { RunOptions, RunOutcome } from '../runner/run';
import type { Mutant } from '../../cmrp/mutant';
import { withDataChecked } from '../catalogue/data-file';
import { HARNESS_ID } from '../verdict/types';

export type ExecuteRun = (options: RunOptions) => Promise<RunOutcome>;

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliDeps {
  executeRun: ExecuteRun;
  listMutants: () => Mutant[];
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** Relative report and input paths resolve against this. */
  cwd: string;
  /** The catalogue directory; the package's vectors/catalogue by default. */
  catalogueDir?: string;
  now: () => Date;
  /** A seed for a run given no --seed. */
  randomSeed: () => number;
}

export function defaultDeps(): CliDeps {
  // The real stderr, taken before a run holds back what the engine writes there: cleanup lines must show.
  const rawStderr = process.stderr.write.bind(process.stderr);
  return {
    // Loaded on first use: the runner pulls in Jest and the reference server, which list, merge and
    // --dry-run never need.
    executeRun: (options) => {
      // The data the suites read is checked before Jest starts: a broken file refuses the run (exit 2)
      // with its file and step named, instead of failing inside a worker; the workers then trust it.
      // (Once per build and set of bytes: harness/runner/checked-once.ts.)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { checkedOnce } = require('../runner/checked-once') as typeof import('../runner/checked-once');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      checkedOnce(() => (require('../sequence/load') as typeof import('../sequence/load')).loadAllSequences());
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const runner = require('../runner/run') as typeof import('../runner/run');
      const run = () => withDataChecked(() => runner.executeRun(options));
      // The builtin target's clusters live and die in the run's own processes: nothing to clean up there.
      if (options.target === 'builtin' || options.target.startsWith('builtin:')) return run();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { withCleanup } = require('../suite/cleanup') as typeof import('../suite/cleanup');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createTarget } = require('../target/resolve') as typeof import('../target/resolve');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { clustersOf, onCluster, targetOptions } = require('../run-config/config') as typeof import('../run-config/config');
      // A fault of the target in the cleanup's session is one of the run: no clause is in flight there,
      // so it is a run-level ERROR (the harness entry of the reports), never only a line on stderr.
      const faults: string[] = [];
      return withCleanup(
        {
          // Each cluster of the run with its own control (the reach is otherwise the run's).
          targets: clustersOf(options).map((cluster) => () => createTarget(cluster.target, targetOptions(onCluster(options, cluster)))),
          ms: Math.max(1000, Math.round(5000 * options.timeoutMultiplier)),
          log: (line) => rawStderr(`${line}\n`),
          fault: (message) => faults.push(message),
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          stopWork: () => (require('../runner/suite-workers') as typeof import('../runner/suite-workers')).stopSuiteWorkers(),
        },
        run,
      ).then((outcome) => ({ ...outcome, observations: [...outcome.observations, ...cleanupErrors(faults, options.protocolVersion)] }));
    },
    listMutants: () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mutants = require('../../reference/mutants') as typeof import('../../reference/mutants');
      return mutants.listMutants();
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    randomSeed: () => randomInt(0, 2 ** 31),
  };
}

/** The run-level ERRORs of the cleanup session's faults. */
function cleanupErrors(faults: readonly string[], protocolVersion: RunOptions['protocolVersion']): RunOutcome['observations'] {
  return faults.map((message) => ({ clause: HARNESS_ID, outcome: 'error' as const, test: 'cleanup of the suite\'s own objects', protocolVersion, message }));
}
