// The Jest environment of the conformance suites: Node's, plus the suite declarations (and the harness
// behind them) loaded once per worker, outside the sandboxes, and handed to every test file through its
// global (harness/suite/host.ts). Jest compiles every module anew for each test file's sandbox; the
// harness is most of the code a suite file runs, so loading it once is most of a run's start-up saved.
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';
import * as entry from './entry';
import { SUITES_KEY } from './host-key';

export default class SuiteEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    (this.global as unknown as Record<symbol, unknown>)[SUITES_KEY] = entry;
  }
}
