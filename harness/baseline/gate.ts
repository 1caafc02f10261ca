// The exit code: the one thing a CI pipeline reads. 0 only when something was judged and nothing
// that counts failed; 2 when the run could not say anything, so an empty run never looks green.
import { expectedIds, failsGate } from './compare';
import type { BaselineOutcome } from './types';
import { HARNESS_ID, type ClauseVerdict } from '../verdict/types';

export type ExitCode = 0 | 1 | 2;

export const EXIT = { CONFORMANT: 0, NOT_CONFORMANT: 1, NOTHING_JUDGED: 2 } as const;

export interface GateResult {
  exitCode: ExitCode;
  conformant: boolean;
  /** One short phrase per reason the gate is not green ("2 FAIL", "1 stale baseline entry"). */
  reasons: string[];
}

/** A clause counts as judged when an observation decided it: INCONCLUSIVE and NOT-TESTED decide nothing. */
function decided(v: ClauseVerdict): boolean {
  return v.id !== HARNESS_ID && v.hits > 0 && v.verdict !== 'INCONCLUSIVE' && v.verdict !== 'NOT-TESTED';
}

export function gate(verdicts: readonly ClauseVerdict[], options: { strict: boolean; baseline?: BaselineOutcome | null }): GateResult {
  if (!verdicts.some(decided)) {
    const harness = verdicts.find((v) => v.id === HARNESS_ID);
    return {
      exitCode: EXIT.NOTHING_JUDGED,
      conformant: false,
      reasons: [harness ? 'nothing was judged, and the harness reported errors' : 'nothing was judged: no clause of the selection was decided against this target'],
    };
  }
  const expected = expectedIds(options.baseline ?? null);
  const counts = new Map<string, number>();
  for (const v of verdicts) {
    if (failsGate(v.verdict, options.strict) && !expected.has(v.id)) counts.set(v.verdict, (counts.get(v.verdict) ?? 0) + 1);
  }
  const reasons = ['FAIL', 'ERROR', 'NON-STRICT'].filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`);
  // A changed entry already shows as its new verdict above; these two have no verdict of their own.
  const passed = options.baseline?.entries.filter((e) => e.status === 'unexpected-pass').length ?? 0;
  const stale = options.baseline?.entries.filter((e) => e.status === 'stale').length ?? 0;
  if (passed > 0) reasons.push(`${passed} baseline ${passed === 1 ? 'entry' : 'entries'} passed unexpectedly`);
  if (stale > 0) reasons.push(`${stale} stale baseline ${stale === 1 ? 'entry' : 'entries'}`);
  const conformant = reasons.length === 0;
  return { exitCode: conformant ? EXIT.CONFORMANT : EXIT.NOT_CONFORMANT, conformant, reasons };
}
