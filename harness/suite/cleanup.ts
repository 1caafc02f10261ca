// A run leaves nothing of its own on the server (docs/profiles.md, "Objects of the suite's own"). Before
// the suites start it deletes what earlier runs left (a run killed with SIGKILL could not clean up);
// after them, and when interrupted (SIGINT, SIGTERM) or faulted, it deletes what this run created. Both
// find the objects by their prefix with the control's ListObjects, and delete them through the same
// ClusterControl the stimuli use (a control adapter, or in-band MS-CMRP calls).
import type { ClusterControl } from '../../cmrp/control';
import type { Target } from '../../cmrp/contract';
import { OWN_PREFIX_ROOT, ownPrefix, runId } from '../profile/own';
import { SLOW_HINT } from '../session/session';
import { applyDeletions, deletionsOf, type Undone } from '../sequence/own-objects';
import { haltControls } from '../target/halt';

export interface Sweep extends Undone {
  /** Why nothing could be looked for (the target has no control, or its control has no ListObjects). */
  skipped?: string;
}

/** Deletes every object, key and value whose name starts with `prefix`, each deletion bounded by `ms`. */
export async function sweep(control: ClusterControl | undefined, prefix: string, ms: number): Promise<Sweep> {
  if (!control) return { deleted: [], failed: [], faults: [], skipped: 'the target has no control adapter' };
  if (!control.listObjects) return { deleted: [], failed: [], faults: [], skipped: 'its control adapter does not offer ListObjects' };
  let timer: NodeJS.Timeout | undefined;
  const found = await Promise.race([
    control.listObjects(prefix),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`ListObjects: no answer within ${ms} ms (${SLOW_HINT})`)), ms))),
  ]).finally(() => clearTimeout(timer));
  return applyDeletions(control, deletionsOf(found), ms);
}

export interface CleanupOptions {
  /**
   * Create the run's own connections to its clusters (the CLI's, apart from the suites' workers): one,
   * or one per equivalent cluster of a `dcerpc:` run. Each is swept on its own.
   */
  targets: (() => Promise<Target>)[];
  /** Each control call's limit. */
  ms: number;
  /** Where the cleanup says what it did: one line per event. */
  log: (line: string) => void;
  /**
   * A fault of the target in the cleanup's own session (a sweep's ListObjects or deletion crashed, hung
   * or answered garbage; the target failed to close): no clause is in flight there, so the caller makes
   * it a run-level ERROR the reports name. Also logged.
   */
  fault?: (message: string) => void;
  /**
   * Stops the run's other processes (its Jest workers) before the cleanup looks for what to delete, so
   * that none creates more behind it; suites in this process are halted through their controls.
   */
  stopWork?: () => Promise<void>;
  /** For tests: the signals to clean up on (default SIGINT and SIGTERM) and how the process ends. */
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
}

function summary(what: string, s: Sweep): string | undefined {
  if (s.skipped) return undefined;
  if (!s.deleted.length && !s.failed.length) return undefined;
  const parts = [`${what}: deleted ${s.deleted.length} object(s) of the suite's own`];
  if (s.failed.length) parts.push(`could not delete ${s.failed.length}: ${s.failed.slice(0, 3).join('; ')}${s.failed.length > 3 ? '; ...' : ''}`);
  return parts.join('; ');
}

/** One cluster's cleanup session: its target, or why it could not be started. */
interface Swept {
  target?: Target;
  startFailure?: string;
  /** How its lines and faults name it: empty for a run of one cluster. */
  label: string;
}

/**
 * Runs `body` between a sweep of earlier runs' leftovers and a sweep of this run's objects, on every
 * cluster. The second sweep also runs when `body` throws and, once, on SIGINT or SIGTERM (the process
 * then ends with 128 + the signal's number, as a shell reports it). A target that cannot be reached for
 * cleanup does not stop the run (the run's preflight says whether it is reachable at all); but once
 * reached, a target that fails in the cleanup's session is a fault of the run, logged and handed to
 * `options.fault`.
 */
export async function withCleanup<T>(options: CleanupOptions, body: () => Promise<T>): Promise<T> {
  // Fixed before any worker starts: they inherit it (CMRP_RUN_ID) and name this run's objects with it.
  const prefix = ownPrefix(runId());
  const fault = (cluster: Swept, when: string, what: string) => {
    const message = `the target${cluster.label} failed in the cleanup session ${when}: ${what}`;
    options.log(`cleanup: ${message}`);
    options.fault?.(message);
  };
  const clusters: Swept[] = await Promise.all(
    options.targets.map(async (create, i) => {
      const label = options.targets.length > 1 ? ` of cluster ${i + 1}` : '';
      try {
        return { target: await create(), label };
      } catch (error) {
        // Unreachable or misconfigured: the run's own check of the target (the preflight) says so in its
        // one line (exit 2), and this is not said; a target the run then reaches failed here: a fault of the run.
        return { startFailure: `the target could not be started: ${messageOf(error)}`, label };
      }
    }),
  );
  /** One sweep of every cluster for `prefix`: what it deleted is logged, a fault of the target is one of the run. */
  const sweepAll = (prefix: string, when: string, what: string) =>
    Promise.all(
      clusters.map(async (cluster) => {
        const control = cluster.target?.control;
        // The sweep for every run's prefix is the one for what earlier runs left.
        const leftovers = prefix === OWN_PREFIX_ROOT;
        try {
          const swept = await sweep(control, prefix, options.ms);
          // Without a control nothing can be created; a control without ListObjects is worth a word.
          if (swept.skipped && control && leftovers) options.log(`cleanup${cluster.label}: objects of the suite's own (${OWN_PREFIX_ROOT}...) cannot be looked for: ${swept.skipped}; only what each sequence creates is deleted after it`);
          const line = summary(`cleanup${cluster.label} ${when}${leftovers ? ' (leftovers of an earlier run)' : ''}`, swept);
          if (line) options.log(line);
          if (swept.faults.length) fault(cluster, `${when} (deleting ${what})`, swept.faults[0]);
        } catch (error) {
          fault(cluster, `${when} (looking for ${what})`, messageOf(error));
        }
      }),
    );
  await sweepAll(OWN_PREFIX_ROOT, 'before the run', 'leftovers of earlier runs');
  let cleaned: Promise<void> | undefined;
  const cleanUp = (when: string): Promise<void> => (cleaned ??= sweepAll(prefix, when, "this run's objects").then(() => undefined));
  const disposeAll = () => Promise.all(clusters.map((c) => c.target?.dispose()));
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onSignal = (signal: NodeJS.Signals) => {
    options.log(`${signal}: deleting this run's objects before ending`);
    // The process ends with the signal's code whatever happens here (no report is written after a
    // signal); a fault while closing is still said.
    // Nothing the suites still do may land after the sweep: halt this process's controls (a run in
    // band) and the workers, and let what was already sent be answered, before looking.
    const own = clusters.map((c) => c.target?.control).filter((c) => c !== undefined);
    void Promise.allSettled([haltControls(signal, own, options.ms), options.stopWork?.()])
      .then(() => cleanUp(`after ${signal}`))
      .then(disposeAll)
      .catch((error: unknown) => options.log(`cleanup after ${signal}: the target failed to close: ${messageOf(error)}`))
      .finally(() => exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  };
  for (const s of signals) process.on(s, onSignal);
  let result: T;
  try {
    result = await body();
  } finally {
    await cleanUp('after the run');
    for (const s of signals) process.off(s, onSignal);
    await Promise.all(
      clusters.map(async (cluster) => {
        try {
          await cluster.target?.dispose();
        } catch (error) {
          fault(cluster, 'after the run', `the target failed to close: ${messageOf(error)}`);
        }
      }),
    );
  }
  for (const cluster of clusters) if (cluster.startFailure) fault(cluster, 'before the run (looking for leftovers of earlier runs)', cluster.startFailure);
  return result;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
