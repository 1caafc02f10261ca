// The property against the Python example server (examples/python-adapter), an independent
// implementation over the adapter protocol: it agrees with the oracle model on a few seeds per protocol
// version, with no FAIL. tools/property-sweep.ts --targets python runs it over hundreds of seeds.
import { runProperty } from '../../harness/property/runner';
import { defaultPropertyTimeouts } from '../../harness/property/context';
import { pythonSpec } from '../adapter/helpers';
import { withTarget } from './support';
import { timeScale } from '../support/time-scale';

/**
 * Out of process: calls cross a pipe, so the timeouts are the defaults halved rather than a tenth, and
 * scaled with the machine (a loaded one may hold the Python process back past a fixed bound).
 */
const TIMEOUTS = defaultPropertyTimeouts(0.5 * timeScale());
const SEEDS = [11, 12];
const RUNS = 60;

describe.each([2, 3] as const)('protocol version %i', (version) => {
  test(`the Python example server agrees with the oracle model on ${SEEDS.length} seeds`, async () => {
    const spec = pythonSpec();
    const failures: string[] = [];
    let runs = 0;
    await withTarget(spec, async (target) => {
      for (const seed of SEEDS) {
        const result = await runProperty({ target, targetSpec: spec, version, seed, runs: RUNS, timeouts: TIMEOUTS });
        runs += result.runs;
        if (result.problem) failures.push(`seed ${seed}: ${result.problem}`);
        if (result.failure) failures.push(`seed ${seed}: ${result.failure.clauseIds.join(', ')}: ${result.failure.message}\n${result.failure.steps.map((s) => `  ${s.text}`).join('\n')}`);
      }
    });
    expect(failures).toEqual([]);
    expect(runs).toBe(SEEDS.length * RUNS);
  }, 120000);
});
