// Holds a run's verdicts against a baseline.
import type { ClauseVerdict, Verdict } from '../verdict/types';
import { HARNESS_ID } from '../verdict/types';
import { RED_STATUSES, type Baseline, type BaselineEntry, type BaselineOutcome, type EntryOutcome, type EntryStatus } from './types';

/** Verdicts that fail the gate, hence the ones a baseline may have to expect. */
export function failsGate(verdict: Verdict, strict: boolean): boolean {
  return verdict === 'FAIL' || verdict === 'ERROR' || (strict && verdict === 'NON-STRICT');
}

function statusOf(entry: BaselineEntry, actual: ClauseVerdict | undefined, inCatalogue: boolean): EntryStatus {
  if (!inCatalogue) return 'stale';
  if (!actual) return 'not-selected';
  if (actual.verdict === entry.verdict) return 'expected';
  if (actual.verdict === 'PASS') return 'unexpected-pass';
  if (actual.verdict === 'NOT-TESTED' || actual.verdict === 'INCONCLUSIVE') return 'unconfirmed';
  // NON-STRICT where FAIL was expected cannot happen for one clause (its level fixes which), but a
  // NON-STRICT that does not fail the gate is no regression either.
  if (actual.verdict === 'NON-STRICT' && entry.verdict !== 'NON-STRICT') return 'unconfirmed';
  return 'changed';
}

export function compareBaseline(
  verdicts: readonly ClauseVerdict[],
  baseline: Baseline,
  options: { file: string; catalogueIds: Iterable<string>; strict: boolean },
): BaselineOutcome {
  const known = new Set(options.catalogueIds);
  const byId = new Map(verdicts.map((v) => [v.id, v]));
  const entries: EntryOutcome[] = [...baseline].map(([id, entry]) => {
    const actual = byId.get(id);
    return { id, reason: entry.reason, expected: entry.verdict, actual: actual?.verdict ?? null, status: statusOf(entry, actual, known.has(id)) };
  });
  const newFailures = verdicts
    .filter((v) => failsGate(v.verdict, options.strict) && (!baseline.has(v.id) || v.id === HARNESS_ID))
    .map((v) => ({ id: v.id, verdict: v.verdict, title: v.title }));
  for (const e of entries) {
    if (e.status === 'changed') newFailures.push({ id: e.id, verdict: e.actual!, title: byId.get(e.id)!.title });
  }
  const matched = newFailures.length === 0 && !entries.some((e) => RED_STATUSES.has(e.status));
  return { file: options.file, matched, entries, newFailures };
}

/**
 * Ready-to-paste entries for the new failures, as one JSON object. The reason is a placeholder the
 * user must replace with why the failure is accepted; the harness pseudo-clause cannot be baselined.
 */
export function newEntries(outcome: BaselineOutcome): Record<string, { reason: string; verdict: Verdict }> {
  const out: Record<string, { reason: string; verdict: Verdict }> = {};
  for (const f of outcome.newFailures) {
    if (f.id === HARNESS_ID) continue;
    out[f.id] = { reason: `TODO: why '${f.title}' is an accepted failure`, verdict: f.verdict };
  }
  return out;
}

/** Clause ids whose gate-failing verdict the baseline expects. */
export function expectedIds(outcome: BaselineOutcome | null): Set<string> {
  return new Set(outcome?.entries.filter((e) => e.status === 'expected').map((e) => e.id) ?? []);
}
