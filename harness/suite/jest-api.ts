// What a suite declaration needs from Jest. The declarations run outside the test file's sandbox (see
// harness/suite/suite-environment.ts), so they take Jest's functions from the test file.
import type { afterAll, describe, test } from '@jest/globals';

export interface JestApi {
  describe: typeof describe;
  test: typeof test;
  afterAll: typeof afterAll;
}
