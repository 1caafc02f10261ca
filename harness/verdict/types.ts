// What the suite says about one clause, and the counts a gate and a report need.
import type { Level, Party } from '../catalogue/types';

export type Verdict = 'PASS' | 'FAIL' | 'NON-STRICT' | 'NOT-TESTED' | 'INCONCLUSIVE' | 'ERROR';

/** Severity for "the worst wins": FAIL > ERROR > NON-STRICT > INCONCLUSIVE > PASS > NOT-TESTED. */
export const SEVERITY: Readonly<Record<Verdict, number>> = {
  FAIL: 5,
  ERROR: 4,
  'NON-STRICT': 3,
  INCONCLUSIVE: 2,
  PASS: 1,
  'NOT-TESTED': 0,
};

/** The pseudo-clause that carries harness problems (observations naming unknown clauses). */
export const HARNESS_ID = 'harness';

export interface ClauseVerdict {
  id: string;
  section: string;
  title: string;
  /** null only for the harness pseudo-clause. */
  level: Level | null;
  party: Party | null;
  /** The catalogue's paraphrase of the clause, so a failure text says what was required. */
  summary: string;
  verdict: Verdict;
  /** Observations that exercised the clause (pass, fail, inconclusive, error). */
  hits: number;
  /**
   * Why the verdict is what it is: the distinct messages of the worst observations (at most 3), each
   * with its call sequence and replay command; for NOT-TESTED, the reason. null when nothing was said.
   */
  message: string | null;
  /** Tests whose observations decided the verdict. */
  tests: string[];
  /** Property-run seeds of the deciding observations. */
  seeds: number[];
}

export interface Summary {
  pass: number;
  fail: number;
  nonStrict: number;
  notTested: number;
  inconclusive: number;
  error: number;
  /** Clauses judged (the selection, plus the harness pseudo-clause when present). */
  total: number;
  /** Clauses with at least one hit. */
  exercised: number;
  /** Observations that exercised a clause, over all clauses. */
  hits: number;
}

export const SUMMARY_KEY: Readonly<Record<Verdict, keyof Summary>> = {
  PASS: 'pass',
  FAIL: 'fail',
  'NON-STRICT': 'nonStrict',
  'NOT-TESTED': 'notTested',
  INCONCLUSIVE: 'inconclusive',
  ERROR: 'error',
};
