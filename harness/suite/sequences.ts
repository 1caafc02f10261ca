// The Jest side of a scripted suite: one describe per spec section pair, one test per sequence. The
// test fails when a check fails, but the verdicts come from the observations it records.
import { resolve } from 'node:path';
import { appendObservations } from '../recorder/sink';
import type { Observation } from '../recorder/observation';
import { loadRunConfig, replayCommand, targetOptions } from '../runner/config';
import { clausesIn, runSequence } from '../sequence/interpret';
import { SEQUENCES_DIR, loadSequenceFile } from '../sequence/load';
import { defaultTimeouts } from '../session/session';
import type { Target } from '../../cmrp/contract';
import { createTarget } from '../target/resolve';
import type { RoleBindings } from '../profile/bindings';
import { bindRoles } from '../profile/resolve';

/** Declares the Jest tests of vectors/sequences/<name>.json. */
export function sequenceSuite(name: string): void {
  const config = loadRunConfig();
  const { file, sequences } = loadSequenceFile(resolve(SEQUENCES_DIR, `${name}.json`));
  const selected = config.clauseIds ? new Set(config.clauseIds) : undefined;
  const chosen = sequences.filter((s) => clausesIn(s, config.protocolVersion).some((id) => !selected || selected.has(id)));
  const timeouts = defaultTimeouts(config.timeoutMultiplier);

  describe(`${file.suite} ${file.heading}`, () => {
    let target: Target | undefined;
    let roles: RoleBindings | undefined;
    beforeAll(async () => {
      target = await createTarget(config.target, targetOptions(config));
      roles = await bindRoles({ targetSpec: config.target, profile: config.profile, target, protocolVersion: config.protocolVersion, callMs: timeouts.callMs });
    });
    afterAll(async () => {
      await target?.dispose();
    });

    if (!chosen.length) test.skip('no sequence of this section is selected', () => undefined);
    for (const sequence of chosen) {
      test(
        sequence.id,
        async () => {
          if (!target) throw new Error('the target could not be created');
          const observations = await runSequence(sequence, {
            target,
            protocolVersion: config.protocolVersion,
            timeouts,
            roles,
            replay: (clauseId) => replayCommand(config, clauseId),
          });
          if (config.observationsDir) appendObservations(config.observationsDir, observations);
          assertNoFailure(observations);
        },
        // Room for every read to wait its full time once: a slow target is judged, not cut off by Jest.
        (timeouts.callMs + timeouts.readMs) * (sequence.steps.length + 2),
      );
    }
  });
}

function assertNoFailure(observations: Observation[]): void {
  const bad = observations.filter((o) => o.outcome === 'fail' || o.outcome === 'error');
  if (bad.length) {
    throw new Error(bad.map((o) => `${o.outcome.toUpperCase()} ${o.clause}: ${o.message}\n  ${(o.trace ?? []).join('\n  ')}`).join('\n'));
  }
}
