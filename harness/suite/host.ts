// What the suite files (suites/*.spec.ts) call. The declarations and the whole harness behind them are
// loaded once per Jest worker by the suite environment (harness/suite/suite-environment.ts, one per worker
// through harness/runner/worker-environment.ts) and handed to each test file through its global, instead
// of being compiled and loaded again in every file's sandbox; a file run by plain Jest loads them itself.
import { afterAll, describe, test } from '@jest/globals';
import type * as Entry from './entry';
import { SUITES_KEY } from './host-key';

function entry(): typeof Entry {
  const preloaded = (globalThis as unknown as Record<symbol, typeof Entry | undefined>)[SUITES_KEY];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return preloaded ?? (require('./entry') as typeof Entry);
}

const api = { describe, test, afterAll };

/** The tests of vectors/sequences/<name>.json. */
export function sequenceSuite(name: string): void {
  entry().sequenceSuite(name, api);
}

/** Part `part` of the model-based property run. */
export function propertySuite(part: number): void {
  entry().propertySuite(part, api);
}

/** The transport and authentication checks of 2.1 and 3.1.3. */
export function transportSuite(): void {
  entry().transportSuite(api);
}
