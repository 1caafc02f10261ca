// The model-based property suite: random call sequences over several ports and objects, judged by the
// oracle model (harness/model), in the run's protocol version, seed and budget. Its observations go to
// the same files as the scripted suites', so its hits add to the same per-clause verdicts. A failure
// fails this test with the shrunk sequence, and leaves a replay file under reports/replays/.
import { join } from 'node:path';
import { appendObservations } from '../harness/recorder/sink';
import { loadRunConfig, targetOptions } from '../harness/runner/config';
import { defaultPropertyTimeouts } from '../harness/property/context';
import { DEFAULT_RUNS, propertyClauseIds, runProperty, type FailureReport } from '../harness/property/runner';
import type { Target } from '../cmrp/contract';
import { createTarget } from '../harness/target/resolve';

const config = loadRunConfig();
const selected = config.clauseIds ? new Set(config.clauseIds) : undefined;
const relevant = !selected || propertyClauseIds(config.protocolVersion).some((id) => selected.has(id));
const timeouts = defaultPropertyTimeouts(config.timeoutMultiplier);

describe('model-based property: version 1 notification ports against the oracle model', () => {
  let target: Target | undefined;
  beforeAll(async () => {
    if (relevant) target = await createTarget(config.target, targetOptions(config));
  });
  afterAll(async () => {
    await target?.dispose();
  });

  if (!relevant) {
    test.skip('no clause the property checks is selected', () => undefined);
    return;
  }

  test(
    'random call sequences agree with the oracle model',
    async () => {
      if (!target) throw new Error('the target could not be created');
      const result = await runProperty({
        target,
        targetSpec: config.target,
        targetOptions: targetOptions(config),
        version: config.protocolVersion,
        seed: config.seed,
        runs: config.runs ?? DEFAULT_RUNS,
        timeouts,
        replayDir: config.replayDir ?? join(process.cwd(), 'reports', 'replays'),
        clauseIds: selected,
      });
      if (config.observationsDir) appendObservations(config.observationsDir, result.observations);
      if (result.failure) throw new Error(describeFailure(result.failure));
      if (result.problem) throw new Error(result.problem);
    },
    // Room for every sequence, and for shrinking a failure whose reads each wait their full time.
    Math.max(120000, (config.runs ?? DEFAULT_RUNS) * 2000 * config.timeoutMultiplier),
  );
});

function describeFailure(f: FailureReport): string {
  return [
    `${f.outcome.toUpperCase()} ${f.clauseIds.join(', ') || 'harness'}: ${f.message}`,
    `shrunk to ${f.steps.length} step(s) (seed ${f.seed}, path ${f.path || '-'}):`,
    ...f.steps.map((s, i) => `  ${i + 1}. ${s.text}`),
    f.replayCommand ? `replay: ${f.replayCommand}` : 'no replay file written',
  ].join('\n');
}
