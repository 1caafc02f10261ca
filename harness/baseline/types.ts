// A baseline lists the failures a user already knows about, so the gate stays usable on a server
// with known bugs while still going red on anything new, anything fixed, and anything stale.
import type { Verdict } from '../verdict/types';

/** Verdicts a baseline can expect: the ones that can fail the gate. */
export type BaselineVerdict = 'FAIL' | 'ERROR' | 'NON-STRICT';
export const BASELINE_VERDICTS: readonly BaselineVerdict[] = ['FAIL', 'ERROR', 'NON-STRICT'];

export interface BaselineEntry {
  reason: string;
  /** Defaults to FAIL. */
  verdict: BaselineVerdict;
}

/** Clause id to entry, in file order. */
export type Baseline = Map<string, BaselineEntry>;

/**
 * - expected: the clause got the verdict the entry expects.
 * - unexpected-pass: the clause passed; the entry should go (the bug was fixed).
 * - changed: the clause fails the gate, but with another verdict than the entry says.
 * - unconfirmed: the clause was not decided this run (NOT-TESTED / INCONCLUSIVE): neither kept nor broken.
 * - not-selected: the clause exists but was not part of this run's selection: ignored.
 * - stale: the catalogue has no such clause.
 */
export type EntryStatus = 'expected' | 'unexpected-pass' | 'changed' | 'unconfirmed' | 'not-selected' | 'stale';

export interface EntryOutcome {
  id: string;
  reason: string;
  expected: BaselineVerdict;
  /** The verdict this run gave the clause; null when it was not judged (not selected, stale). */
  actual: Verdict | null;
  status: EntryStatus;
}

export interface BaselineOutcome {
  file: string;
  /** True when every gate-failing verdict is expected and no entry is unexpected-pass, changed or stale. */
  matched: boolean;
  entries: EntryOutcome[];
  /** Gate-failing verdicts of clauses the baseline does not list. */
  newFailures: { id: string; verdict: Verdict; title: string }[];
}

/** Entry statuses that make the gate fail. */
export const RED_STATUSES: ReadonlySet<EntryStatus> = new Set(['unexpected-pass', 'changed', 'stale']);
