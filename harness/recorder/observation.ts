// One observation: a check of one clause, made by one test against one target. Verdicts are built
// from these and from nothing else.

/** What a single check saw. `not-tested` records why a test could not exercise its clause here. */
export type Outcome = 'pass' | 'fail' | 'inconclusive' | 'error' | 'not-tested';

export interface Observation {
  clause: string;
  outcome: Outcome;
  /** The test (sequence id or property name) that made the check. */
  test: string;
  protocolVersion: 2 | 3;
  /** Self-contained: what was expected and what was observed (or why it was not tested). */
  message?: string;
  /** The calls that led here, one line each, in order. */
  trace?: string[];
  /** How to rerun exactly this (a command line). */
  replay?: string;
  /** Property runs: the seed that produced it. */
  seed?: number;
}
