// The Jest side of 2.1 (Transport) and 3.1.3 (Initialization): the checks run together, once, for the
// first test that needs them; each test then reports its own check's observation, so the runner holds
// every planned check to account.
import type { JestApi } from './jest-api';
import type { Observation } from '../recorder/observation';
import { loadRunConfig } from '../run-config/config';
import { runUnit } from './accounting';
import { TRANSPORT_FILE, planTransportFile } from './plan';
import { plannedTransportChecks, transportTestName } from './transport-checks';
import type * as TransportSecurity from './transport-security';

export function transportSuite({ describe, test }: JestApi): void {
  const config = loadRunConfig();
  const planned = plannedTransportChecks(config);
  const units = planTransportFile(config).units;
  let all: Promise<Observation[]> | undefined;
  // Up to 18 connections, each with a connect deadline and a call deadline.
  const deadlineMs = 20 * 15_000 * config.timeoutMultiplier;

  describe('2.1 Transport, 3.1.3 Initialization: the interface and authentication on the wire', () => {
    if (!planned.length) test.skip('no clause of this section is selected', () => undefined);
    planned.forEach((check, i) => {
      const unit = units[i];
      test(
        unit.test,
        async () => {
          const observations = await runUnit({
            file: TRANSPORT_FILE,
            unit,
            protocolVersion: config.protocolVersion,
            dir: config.observationsDir,
            deadlineMs,
            slowHint: 'a slow target needs a larger --timeout-multiplier',
            work: async () => {
              // The DCE/RPC stack loads here, in the one worker that runs this file, not in every worker.
              // eslint-disable-next-line @typescript-eslint/no-require-imports
              all ??= (require('./transport-security') as typeof TransportSecurity).runTransportChecks(config);
              const mine = (await all).filter((o) => o.clause === check.clause && o.test === transportTestName(check.name));
              if (!mine.length) throw new Error('the check made no observation');
              return mine;
            },
          });
          const bad = observations.find((o) => o.outcome === 'fail' || o.outcome === 'error');
          if (bad) throw new Error(`${bad.outcome.toUpperCase()} ${bad.clause}: ${bad.message}`);
        },
        deadlineMs + 15_000,
      );
    });
  });
}
