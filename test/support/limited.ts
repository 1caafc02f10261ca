// Several independent runs of a test file at once, for the runs that mostly wait (timers of absence
// proofs, a served end's replies, a child's handshake): `limited(n)` gives a gate that lets at most n of
// them run together. Each run keeps its own target and state; only the waiting overlaps.

/** Runs `work` when fewer than `limit` other works of the same gate run. */
export function limited(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limited(${limit}): the limit is a whole number of at least 1`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    while (active >= limit) await new Promise<void>((wake) => waiting.push(wake));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Starts `work` now (through `gate`) and returns its promise, already marked as heard: a rejection is
 * kept for the test that awaits it, instead of being reported as unhandled before that test runs.
 */
export function started<T>(gate: <U>(work: () => Promise<U>) => Promise<U>, work: () => Promise<T>): Promise<T> {
  const run = gate(work);
  run.catch(() => undefined);
  return run;
}
