// Builds one verdict per selected clause from the observations of a run. Observations are the only
// evidence; a clause nobody observed is NOT-TESTED, never PASS, so a run cannot be green by omission.
import { CLAUSE_ID, type Clause } from '../catalogue/types';
import type { Observation, Outcome } from '../recorder/observation';
import { composeMessage } from './message';
import { HARNESS_ID, SEVERITY, type ClauseVerdict, type Verdict } from './types';

/** Harness errors are few and each matters: show more of them than of one clause's failures. */
const HARNESS_MESSAGES = 10;

export interface JudgeOptions {
  /**
   * Every id of the catalogue. With it, an observation of an id the catalogue does not have is a
   * harness problem; without it, only malformed ids are.
   */
  catalogueIds?: Iterable<string>;
}

const EXERCISED: ReadonlySet<Outcome> = new Set(['pass', 'fail', 'inconclusive', 'error']);

function verdictOf(outcome: Outcome, clause: Clause): Verdict {
  switch (outcome) {
    case 'pass':
      return 'PASS';
    case 'fail':
      // A missed recommendation or option is a shortfall, not a conformance failure.
      return clause.level === 'SHOULD' || clause.level === 'SHOULD NOT' || clause.level === 'MAY' ? 'NON-STRICT' : 'FAIL';
    case 'inconclusive':
      return 'INCONCLUSIVE';
    case 'error':
      return 'ERROR';
    case 'not-tested':
      return 'NOT-TESTED';
  }
}

/** Why a clause that no observation exercised is not tested, most specific reason first. */
function untestedReason(clause: Clause): string {
  if (clause.party === 'client') return 'client-side clause: it binds the client, so a server run cannot exercise it';
  if (clause.untestedReason) return clause.untestedReason;
  if (!clause.testable) return 'not black-box testable through the protocol';
  return 'no test exercised it against this target';
}

function base(clause: Clause): Omit<ClauseVerdict, 'verdict' | 'hits' | 'message' | 'tests' | 'seeds'> {
  return { id: clause.id, section: clause.section, title: clause.title, level: clause.level, party: clause.party, summary: clause.summary };
}

function judgeClause(clause: Clause, observations: readonly Observation[]): ClauseVerdict {
  const hits = observations.filter((o) => EXERCISED.has(o.outcome)).length;
  if (observations.length === 0) {
    return { ...base(clause), verdict: 'NOT-TESTED', hits: 0, message: untestedReason(clause), tests: [], seeds: [] };
  }
  let worst: Verdict = 'NOT-TESTED';
  for (const o of observations) if (SEVERITY[verdictOf(o.outcome, clause)] > SEVERITY[worst]) worst = verdictOf(o.outcome, clause);
  const deciding = observations.filter((o) => verdictOf(o.outcome, clause) === worst);
  return {
    ...base(clause),
    verdict: worst,
    hits,
    message: composeMessage(deciding),
    tests: [...new Set(deciding.map((o) => o.test))],
    seeds: [...new Set(deciding.flatMap((o) => (o.seed === undefined ? [] : [o.seed])))],
  };
}

/**
 * The harness pseudo-clause: observations the runner made about itself (clause "harness", e.g. a suite
 * file that could not load, or a fault of the target in the cleanup's session, where no clause is in
 * flight) and observations naming clauses the catalogue does not have.
 */
function harnessVerdict(own: readonly Observation[], stray: readonly Observation[]): ClauseVerdict {
  const parts: string[] = [];
  if (own.length > 0) parts.push(composeMessage(own, HARNESS_MESSAGES) ?? `${own.length} harness error(s) without a message`);
  if (stray.length > 0) {
    const byId = new Map<string, Set<string>>();
    for (const o of stray) byId.set(o.clause, (byId.get(o.clause) ?? new Set()).add(o.test));
    const lines = [...byId].map(([id, tests]) => `- '${id}' (from ${[...tests].join(', ')})`);
    parts.push(`${byId.size} clause id(s) observed that the catalogue does not have; fix the test or the catalogue:\n${lines.join('\n')}`);
  }
  return {
    id: HARNESS_ID,
    section: HARNESS_ID,
    title: 'problems of the run outside any clause (the harness itself, or the target between tests)',
    level: null,
    party: null,
    summary: 'Every suite loads and runs, every observation names a clause of the catalogue, and the target does not fail in a session that judges no clause (the cleanup of the suite\'s own objects).',
    verdict: 'ERROR',
    hits: 0,
    message: parts.join('\n\n'),
    tests: [...new Set([...own, ...stray].map((o) => o.test))],
    seeds: [],
  };
}

export function judge(selection: readonly Clause[], observations: readonly Observation[], options: JudgeOptions = {}): ClauseVerdict[] {
  const known = options.catalogueIds ? new Set(options.catalogueIds) : undefined;
  const selected = new Map(selection.map((c) => [c.id, [] as Observation[]]));
  const own: Observation[] = [];
  const stray: Observation[] = [];
  for (const o of observations) {
    const bucket = selected.get(o.clause);
    if (bucket) bucket.push(o);
    else if (o.clause === HARNESS_ID) own.push(o);
    else if (!CLAUSE_ID.test(o.clause) || (known && !known.has(o.clause))) stray.push(o);
    // Otherwise a real clause outside the selection: a test checked more than was asked, ignore it.
  }
  const verdicts = selection.map((c) => judgeClause(c, selected.get(c.id)!));
  // Harness problems are never dropped: whatever their outcome field says, they make an ERROR.
  if (own.length + stray.length > 0) verdicts.push(harnessVerdict(own, stray));
  return verdicts;
}
