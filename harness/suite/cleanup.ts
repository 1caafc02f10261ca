// A run leaves nothing of its own on the server (docs/profiles.md, "Objects of the suite's own"). Before
// the suites start it deletes what earlier runs left (a run killed with SIGKILL could not clean up);
// after them, and when interrupted (SIGINT, SIGTERM) or faulted, it deletes what this run created. Both
// find the objects by their prefix with the control's ListObjects, and delete them through the same
// ClusterControl the stimuli use (a control adapter, or in-band MS-CMRP calls).
import type { ClusterControl } from '../../cmrp/control';
import type { Target } from '../../cmrp/contract';
import { OWN_PREFIX_ROOT, ownPrefix, runId } from '../profile/own';
import { applyDeletions, deletionsOf, type Undone } from '../sequence/own-objects';

export interface Sweep extends Undone {
  /** Why nothing could be looked for (the target has no control, or its control has no ListObjects). */
  skipped?: string;
}

/** Deletes every object, key and value whose name starts with `prefix`, each deletion bounded by `ms`. */
export async function sweep(control: ClusterControl | undefined, prefix: string, ms: number): Promise<Sweep> {
  if (!control) return { deleted: [], failed: [], skipped: 'the target has no control adapter' };
  if (!control.listObjects) return { deleted: [], failed: [], skipped: 'its control adapter does not offer ListObjects' };
  let timer: NodeJS.Timeout | undefined;
  const found = await Promise.race([
    control.listObjects(prefix),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`ListObjects: no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
  return applyDeletions(control, deletionsOf(found), ms);
}

export interface CleanupOptions {
  /** Creates the run's own connection to the target (the CLI's, apart from the suites' workers). */
  target: () => Promise<Target>;
  /** Each control call's limit. */
  ms: number;
  /** Where the cleanup says what it did: one line per event. */
  log: (line: string) => void;
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

/**
 * Runs `body` between a sweep of earlier runs' leftovers and a sweep of this run's objects. The second
 * sweep also runs when `body` throws and, once, on SIGINT or SIGTERM (the process then ends with 128 +
 * the signal's number, as a shell reports it). A target that cannot be reached for cleanup does not stop
 * the run: the failure is logged.
 */
export async function withCleanup<T>(options: CleanupOptions, body: () => Promise<T>): Promise<T> {
  // Fixed before any worker starts: they inherit it (CMRP_RUN_ID) and name this run's objects with it.
  const prefix = ownPrefix(runId());
  let target: Target | undefined;
  try {
    target = await options.target();
  } catch {
    // Unreachable or misconfigured: the run's own check of the target says so in its one line (exit 2).
    target = undefined;
  }
  const control = target?.control;
  try {
    const before = await sweep(control, OWN_PREFIX_ROOT, options.ms);
    // Without a control nothing can be created; a control without ListObjects is worth a word.
    if (before.skipped && control) options.log(`cleanup: objects of the suite's own (${OWN_PREFIX_ROOT}...) cannot be looked for: ${before.skipped}; only what each sequence creates is deleted after it`);
    const line = summary('cleanup before the run (leftovers of an earlier run)', before);
    if (line) options.log(line);
  } catch (error) {
    options.log(`cleanup before the run failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  let cleaned: Promise<void> | undefined;
  const cleanUp = (when: string): Promise<void> =>
    (cleaned ??= (async () => {
      try {
        const after = await sweep(control, prefix, options.ms);
        const line = summary(`cleanup ${when}`, after);
        if (line) options.log(line);
      } catch (error) {
        options.log(`cleanup ${when} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    })());
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onSignal = (signal: NodeJS.Signals) => {
    options.log(`${signal}: deleting this run's objects before ending`);
    void cleanUp(`after ${signal}`)
      .then(() => target?.dispose())
      .catch(() => undefined)
      .finally(() => exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  };
  for (const s of signals) process.on(s, onSignal);
  try {
    return await body();
  } finally {
    await cleanUp('after the run');
    for (const s of signals) process.off(s, onSignal);
    await target?.dispose().catch(() => undefined);
  }
}
