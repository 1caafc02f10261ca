// [MS-CMRP] 2.1 (Transport) and 3.1.3 (Initialization): the interface on the wire, the authentication
// levels a version 3.0 server refuses, SPNEGO(NTLM) and NTLM accepted at the levels clients use, and
// an unknown account or a wrong password refused. The checks and their clause ids are in
// harness/suite/transport-security.ts; against anything but a dcerpc: target (with credentials, for the
// authentication checks) they are NOT-TESTED with the reason.
import type { Observation } from '../harness/recorder/observation';
import { appendObservations } from '../harness/recorder/sink';
import { loadRunConfig } from '../harness/runner/config';
import { plannedTransportChecks, runTransportChecks, transportTestName } from '../harness/suite/transport-security';

const config = loadRunConfig();
const planned = plannedTransportChecks(config);

describe('2.1 Transport, 3.1.3 Initialization: the interface and authentication on the wire', () => {
  let observations: Observation[] = [];
  beforeAll(async () => {
    observations = await runTransportChecks(config);
    if (config.observationsDir) appendObservations(config.observationsDir, observations);
    // Up to 18 connections, each with a connect deadline and a call deadline.
  }, 20 * 15_000 * config.timeoutMultiplier);

  if (!planned.length) test.skip('no clause of this section is selected', () => undefined);
  for (const check of planned) {
    test(`${check.clause} ${check.name}`, () => {
      const o = observations.find((x) => x.clause === check.clause && x.test === transportTestName(check.name));
      if (!o) throw new Error('the check made no observation');
      if (o.outcome === 'fail' || o.outcome === 'error') throw new Error(`${o.outcome.toUpperCase()} ${o.clause}: ${o.message}`);
    });
  }
});
