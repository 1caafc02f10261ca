// Stopping the suites' changes to the cluster when a run is interrupted (SIGINT, SIGTERM): the cleanup
// (harness/suite/cleanup.ts) deletes what the run created, and a suite still running in the same process
// (a run in band, as every `dcerpc:` run is) must not create more behind it. Every control a run creates
// (createTarget) passes through here; once halted, each refuses further stimuli, and the cleanup waits
// for the ones already sent before it looks for what to delete. The cleanup's own control is exempt.
import type { ClusterControl, Stimulus } from '../../cmrp/control';

let halted: string | undefined;
const exempt = new WeakSet<object>();
const inFlight = new Set<Promise<unknown>>();

/** The run is ending: every haltable control but those in `except` (the cleanup's own) refuses from now
 * on. Settles once the stimuli already sent have been answered, or after `ms`. */
export async function haltControls(reason: string, except: readonly ClusterControl[], ms: number): Promise<void> {
  for (const control of except) exempt.add(control);
  halted = reason;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...inFlight]), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** For tests: controls act again. */
export function resumeControls(): void {
  halted = undefined;
}

/** `control`, refusing stimuli once the run is halted (unless it is the cleanup's own). */
export function haltable(control: ClusterControl): ClusterControl {
  const guard = <T>(proxy: object, act: () => Promise<T>, what: string): Promise<T> => {
    if (halted !== undefined && !exempt.has(proxy)) return Promise.reject(new Error(`${what}: not sent, the run is ending (${halted}): nothing more is changed on the cluster`));
    const pending = act();
    inFlight.add(pending);
    void pending.then(
      () => inFlight.delete(pending),
      () => inFlight.delete(pending),
    );
    return pending;
  };
  const proxy: ClusterControl = new Proxy(control, {
    get(target, key) {
      if (key === 'apply') return (s: Stimulus) => guard(proxy, () => target.apply(s), `Control.${s.verb}`);
      if (key === 'applyAll' && target.applyAll) return (stimuli: readonly Stimulus[]) => guard(proxy, () => target.applyAll!(stimuli), 'Control.Batch');
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return proxy;
}
