// Decoders meet hostile bytes in fuzz tests, which bound each decode's time to catch a hidden loop. A
// bound against hangs, not a speed check: scaled for a loaded machine (time-scale.ts), and a slow decode
// is run once more before it counts, since a hidden loop is slow every time and a pause of the machine
// (another job, a garbage collection) is not.

/** "took X ms, then Y ms" when a run of `tookMs` and a second run of `rerun` both exceed `boundMs`; else undefined. */
export function slowTwice(tookMs: number, boundMs: number, rerun: () => unknown): string | undefined {
  if (tookMs <= boundMs) return undefined;
  const started = performance.now();
  try {
    rerun();
  } catch {
    // Only its time matters: what the first run threw is the caller's to judge.
  }
  const retook = performance.now() - started;
  return retook > boundMs ? `took ${tookMs.toFixed(1)} ms, then ${retook.toFixed(1)} ms` : undefined;
}
