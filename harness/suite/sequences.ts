// The Jest side of a scripted suite: one describe per spec section pair, one test per sequence that holds
// a selected clause (the same plan the runner starts files by). The test fails when a check fails, but
// the verdicts come from the observations it records; a test that cannot run or overruns records ERROR
// on its clauses itself, and the runner makes ERROR of any test that never reported.
import type { JestApi } from './jest-api';
import type { Observation } from '../recorder/observation';
import { loadRunConfig, replayCommand } from '../run-config/config';
import { runSequence } from '../sequence/interpret';
import { loadSequenceFile } from '../sequence/load';
import { defaultTimeouts } from '../session/session';
import { runHangs } from '../session/hangs';
import type { Target } from '../../cmrp/contract';
import { isBuiltinWire } from '../target/builtin-spec';
import type * as BuiltinWire from '../target/builtin-wire';
import type { WireFace } from '../target/builtin-wire';
import type { Sequence } from '../sequence/types';
import { runUnit } from './accounting';
import { plannedSequences, sequenceFilePath } from './plan';
import type { RoleBindings } from '../profile/bindings';
import { fileTarget, workerRoles } from './worker-state';

/** Declares the Jest tests of vectors/sequences/<name>.json. */
export function sequenceSuite(name: string, { describe, test, afterAll }: JestApi): void {
  const config = loadRunConfig();
  const { file, sequences } = loadSequenceFile(sequenceFilePath(name));
  const chosen = plannedSequences(sequences, config);
  const timeouts = { ...defaultTimeouts(config.timeoutMultiplier), hangs: runHangs(config.observationsDir) };
  // Made by the first test that needs it, so a target that cannot start is an ERROR of that test's clauses.
  let target: Promise<Target> | undefined;
  const theTarget = (): Promise<Target> => {
    target ??= fileTarget(config).catch((error: unknown) => {
      throw new Error(`the target could not be started: ${error instanceof Error ? error.message : String(error)}`);
    });
    return target;
  };
  // builtin (all but builtin:inproc): a sequence that needs the RPC runtime reaches the reference's wire
  // face, served by this process when the first such sequence runs (harness/target/builtin-wire.ts); the
  // others run in process.
  let face: Promise<WireFace> | undefined;
  const theFace = (): Promise<WireFace> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    face ??= (require('../target/builtin-wire') as typeof BuiltinWire).startWireFace(config.target, { timeoutMultiplier: config.timeoutMultiplier, stimuli: config.stimuli }).catch((error: unknown) => {
      throw new Error(`the wire face of ${config.target} could not be served: ${error instanceof Error ? error.message : String(error)}`);
    });
    return face;
  };
  const targetOf = async (sequence: Sequence): Promise<Target> => (sequence.rpcRuntime && isBuiltinWire(config.target) ? (await theFace()).target : theTarget());
  // The server's names for the sequences' roles (docs/profiles.md); both faces of builtin serve one
  // cluster file's names.
  let roles: Promise<RoleBindings> | undefined;
  const theRoles = async (made: Target): Promise<RoleBindings> => {
    roles ??= workerRoles({ targetSpec: config.target, profile: config.profile, target: made, protocolVersion: config.protocolVersion, callMs: timeouts.callMs });
    return roles;
  };

  describe(`${file.suite} ${file.heading}`, () => {
    afterAll(async () => {
      // A target that could not start is already each test's ERROR (theTarget): nothing to dispose.
      const made = await target?.catch(() => undefined);
      await made?.dispose();
      await (await face?.catch(() => undefined))?.close();
    });

    if (!chosen.length) test.skip('no sequence of this section is selected', () => undefined);
    for (const { sequence, clauseIds } of chosen) {
      // Room for every read to wait its full time once: a slow target is judged, not cut off.
      const deadlineMs = (timeouts.callMs + timeouts.readMs) * (sequence.steps.length + 2);
      test(
        sequence.id,
        async () => {
          const observations = await runUnit({
            file: name,
            unit: { test: sequence.id, clauseIds },
            protocolVersion: config.protocolVersion,
            dir: config.observationsDir,
            deadlineMs,
            slowHint: 'a slow target needs a larger --timeout-multiplier',
            work: async () => {
              const made = await targetOf(sequence);
              return runSequence(sequence, {
                target: made,
                protocolVersion: config.protocolVersion,
                timeouts,
                roles: await theRoles(made),
                replay: (clauseId) => replayCommand(config, clauseId),
              });
            },
          });
          assertNoFailure(observations);
        },
        // Jest's own limit is only a backstop behind the unit's deadline.
        deadlineMs + timeouts.callMs,
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
