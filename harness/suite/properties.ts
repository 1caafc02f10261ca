// The Jest side of the model-based property: random call sequences over several ports and objects,
// judged by the oracle model (harness/model), in the run's protocol version, seed and budget. The budget
// is split over PROPERTY_PARTS files so Jest runs the parts side by side; part i runs its share from
// seed + i - 1. Observations go to the same files as the scripted suites', so its hits add to the same
// per-clause verdicts. A failure fails the test with the shrunk sequence, and leaves a replay file
// under reports/replays/.
import { join } from 'node:path';
import type { JestApi } from './jest-api';
import { loadRunConfig, targetOptions } from '../run-config/config';
import { defaultPropertyTimeouts, type PropertyTimeouts } from '../property/context';
import { DEFAULT_RUNS, runProperty, type FailureReport } from '../property/runner';
import { runHangs } from '../session/hangs';
import type { Target } from '../../cmrp/contract';
import { fileTarget } from './worker-state';
import { runUnit } from './accounting';
import { PROPERTY_TEST_NAME, planRun, plannedByRunner, propertyFileName, propertyShare } from './plan';

/** Declares part `part` (1-based) of the property run. */
export function propertySuite(part: number, { describe, test, afterAll }: JestApi): void {
  const config = loadRunConfig();
  const name = propertyFileName(part);
  const byRunner = plannedByRunner(config.observationsDir, name);
  const planned = byRunner === null ? planRun(config).find((f) => f.name === name) : byRunner;
  const runs = propertyShare(config.runs ?? DEFAULT_RUNS, part);
  const timeouts: PropertyTimeouts = { ...defaultPropertyTimeouts(config.timeoutMultiplier), hangs: runHangs(config.observationsDir) };
  let target: Target | undefined;

  describe(`model-based property, part ${part}: version 1 notification ports against the oracle model`, () => {
    afterAll(async () => {
      await target?.dispose();
    });

    if (!planned) {
      test.skip('no clause only the property judges is selected (--runs asks for it)', () => undefined);
      return;
    }
    const unit = planned.units[0];
    // Room for every sequence, and for shrinking a failure whose reads each wait their full time.
    const deadlineMs = Math.max(120000, runs * 2000 * config.timeoutMultiplier);
    test(
      PROPERTY_TEST_NAME,
      async () => {
        let failure: string | undefined;
        await runUnit({
          file: name,
          unit,
          protocolVersion: config.protocolVersion,
          dir: config.observationsDir,
          deadlineMs,
          slowHint: 'a slow target needs a larger --timeout-multiplier, or a smaller --runs',
          work: async () => {
            try {
              target = await fileTarget(config);
            } catch (error) {
              throw new Error(`the target could not be started: ${error instanceof Error ? error.message : String(error)}`);
            }
            const result = await runProperty({
              target,
              targetSpec: config.target,
              targetOptions: targetOptions(config),
              version: config.protocolVersion,
              seed: config.seed + part - 1,
              runs,
              timeouts,
              replayDir: config.replayDir ?? join(process.cwd(), 'reports', 'replays'),
              clauseIds: new Set(unit.clauseIds),
            });
            if (result.failure) failure = describeFailure(result.failure);
            else if (result.problem) failure = result.problem;
            return result.observations;
          },
        });
        if (failure) throw new Error(failure);
      },
      deadlineMs + timeouts.callMs,
    );
  });
}

function describeFailure(f: FailureReport): string {
  return [
    `${f.outcome.toUpperCase()} ${f.clauseIds.join(', ') || 'harness'}: ${f.message}`,
    `shrunk to ${f.steps.length} step(s) (seed ${f.seed}, path ${f.path || '-'}):`,
    ...f.steps.map((s, i) => `  ${i + 1}. ${s.text}`),
    f.replayCommand ? `replay: ${f.replayCommand}` : 'no replay file written',
  ].join('\n');
}
