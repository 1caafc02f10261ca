// How much slower than a quiet developer machine the tests may find this one: a CI runner with two
// cores and another CPU-heavy job beside it is several times slower. Every time bound of the project's
// own tests (Jest's, and the waits of the tests that time a child process) is multiplied by it, so a
// loaded machine gets more time instead of failures. CMRP_TEST_TIMEOUT_SCALE overrides the default.
// These bounds exist to stop a hang, never to measure speed (that is the bench's job).

/** The default leaves room for a 2-core machine shared with another CPU-bound process. */
export const DEFAULT_TIME_SCALE = 3;

export function timeScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CMRP_TEST_TIMEOUT_SCALE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_TIME_SCALE;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`CMRP_TEST_TIMEOUT_SCALE='${raw}': must be a number greater than 0`);
  return n;
}

/** `ms` scaled for this machine. */
export function scaled(ms: number): number {
  return Math.round(ms * timeScale());
}
