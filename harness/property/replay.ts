// Reruns a property failure from its replay file: exactly the shrunk steps it holds (blocked-read
// orders included), against the target the file names or another one, with the same oracle model.
// The result is the same kind of observations a property run makes, so a replay reports the same
// failure the same way.
import { readFileSync } from 'node:fs';
import type { Observation } from '../recorder/observation';
import type { Target } from '../../cmrp/contract';
import { reachOf, targetOptions } from '../run-config/config';
import { createTarget } from '../target/resolve';
import { defaultPropertyTimeouts, environmentFor } from './context';
import { PROPERTY_TEST, clauseBook, clauseIdsOf, closeFaultObservations, failObservations, rerun, shortfallObservations, type FailureReport, type ReplayFile } from './runner';

export interface ReplayOptions {
  /** A target spec (or a target already made) instead of the one the file names. */
  target?: string | Target;
  /** Scales the call and read timeouts, as --timeout-multiplier does for runs. */
  timeoutMultiplier?: number;
}

export class ReplayFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayFileError';
  }
}

export function readReplayFile(path: string): ReplayFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReplayFileError(`${path}: not a readable JSON replay file (${error instanceof Error ? error.message : String(error)})`);
  }
  const f = data as Partial<ReplayFile>;
  if (f.kind !== 'cmrp-notify-conformance/property-replay' || (f.protocolVersion !== 2 && f.protocolVersion !== 3) || typeof f.target !== 'string' || !Array.isArray(f.commands)) {
    throw new ReplayFileError(`${path}: not a property replay file (needs kind, protocolVersion, target and commands)`);
  }
  return f as ReplayFile;
}

/**
 * Reruns the sequence of a replay file. Observations: a pass for every check the sequence passed, and
 * for the check that failed one observation per clause it names (with the steps, the call trace and
 * the replay command), as the property run recorded it.
 */
export async function replayFile(path: string, options: ReplayOptions = {}): Promise<Observation[]> {
  const file = readReplayFile(path);
  const spec = typeof options.target === 'string' ? options.target : (options.target?.description ?? file.target);
  const reach = targetOptions({ timeoutMultiplier: options.timeoutMultiplier ?? 1, ...reachOf(file) });
  const target = typeof options.target === 'object' ? options.target : await createTarget(spec, reach);
  try {
    const env = environmentFor(target, spec, file.protocolVersion, defaultPropertyTimeouts(options.timeoutMultiplier ?? 1), clauseBook());
    const { run, failure, closeFault } = await rerun(env, file.accessLevel ?? 'full', file.commands);
    const base = { test: PROPERTY_TEST, protocolVersion: file.protocolVersion, seed: file.seed };
    const observations: Observation[] = [...run.ctx.passes.keys()].map((clause) => ({
      ...base,
      clause,
      outcome: 'pass',
      message: `replay of ${path}: the server agreed with the oracle model here`,
    }));
    // A SHOULD the server missed while the sequence went on: a failed check (NON-STRICT), as the run recorded it.
    observations.push(...shortfallObservations(run, new Set(), { version: file.protocolVersion, seed: file.seed }));
    if (failure) {
      const report: FailureReport = {
        clauseIds: clauseIdsOf(failure, file.protocolVersion),
        outcome: failure.outcome,
        message: failure.message,
        access: file.accessLevel ?? 'full',
        steps: run.ctx.executed,
        trace: run.ctx.stepTrace(),
        seed: file.seed,
        path: file.path,
        replayPath: file.replayPath,
        replayCommand: `npx cmrp-notify-conformance replay ${path}`,
        reproduced: true,
      };
      observations.push(...failObservations(report, { version: file.protocolVersion, seed: file.seed }));
    }
    // A fault at Disconnect beside the failure is reported too, never dropped.
    if (closeFault) observations.push(...closeFaultObservations(closeFault, run, env, `when the replay of ${path} ended`, { version: file.protocolVersion, seed: file.seed }));
    return observations;
  } finally {
    if (typeof options.target !== 'object') await target.dispose();
  }
}
