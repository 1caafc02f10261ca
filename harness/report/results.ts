// The canonical record of a run (docs/results.schema.json). JUnit, Markdown, the terminal summary
// and `merge` are all derived from this document, so a merged run reports exactly like a single one.
import type { BaselineOutcome } from '../baseline/types';
import type { SelectionFlags } from '../catalogue/select';
import { TOOL_NAME, toolVersion } from '../../cmrp/package-info';
import { gate, type ExitCode } from '../baseline/gate';
import { summarize } from '../verdict/summary';
import type { ClauseVerdict, Summary } from '../verdict/types';

export const RESULTS_FORMAT = 'cmrp-notify-conformance/results@1';

export interface ClauseResult extends ClauseVerdict {
  /** The spec heading of the clause's section. */
  heading: string;
  /** Set when a baseline entry names the clause: what it expected and how this run compares. */
  baseline: { reason: string; expected: string; status: string } | null;
}

export interface ShardRecord {
  file: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  /** I and N of the shard's --shard I/N, and how many clauses it owned (absent for an unsharded run). */
  index?: number;
  count?: number;
  owned?: number;
}

/** A sharded run's share: shard `index` of `count`, and the clause ids it judged. */
export interface ShardShare {
  index: number;
  count: number;
  owned: string[];
}

export interface RunResults {
  format: typeof RESULTS_FORMAT;
  tool: { name: string; version: string };
  /** The --target spec as given, and what the runner said it actually talked to. */
  target: string;
  targetDescription: string;
  control: string | null;
  /** The further clusters of a run given several (--target/--control pairs after the first); absent with one. */
  moreClusters?: { target: string; control: string | null }[];
  protocolVersion: 2 | 3;
  seed: number;
  runs: number | null;
  strict: boolean;
  timeoutMultiplier: number;
  startedAt: string;
  durationMs: number;
  /** What was asked for: the flags, and the clause ids they selected (merge checks shard coverage with it). */
  selection: { flags: SelectionFlags; ids: string[] };
  summary: Summary;
  clauses: ClauseResult[];
  baseline: BaselineOutcome | null;
  conformant: boolean;
  exitCode: ExitCode;
  /** Why the gate is not green, one phrase each. */
  reasons: string[];
  /** Present on the results of a run given --shard: which share it was (merge checks completeness with it). */
  shard?: ShardShare;
  /** Present on merged results: the shard files it was built from. */
  shards?: ShardRecord[];
}

/** Attaches headings and baseline entries to the verdicts. */
export function clauseResults(verdicts: readonly ClauseVerdict[], headings: ReadonlyMap<string, string>, baseline: BaselineOutcome | null): ClauseResult[] {
  const entries = new Map(baseline?.entries.map((e) => [e.id, e]) ?? []);
  return verdicts.map((v) => {
    const e = entries.get(v.id);
    return { ...v, heading: headings.get(v.section) ?? '', baseline: e ? { reason: e.reason, expected: e.expected, status: e.status } : null };
  });
}

export function serializeResults(results: RunResults): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

export interface RunFacts {
  target: string;
  targetDescription: string;
  control?: string;
  /** A run's clusters after the first (its control: absent or null when it has none). */
  moreClusters?: readonly { target: string; control?: string | null }[];
  protocolVersion: 2 | 3;
  seed: number;
  runs?: number;
  strict: boolean;
  timeoutMultiplier: number;
  startedAt: Date;
  durationMs: number;
  flags: SelectionFlags;
  selectionIds: string[];
  verdicts: ClauseVerdict[];
  headings: ReadonlyMap<string, string>;
  baseline: BaselineOutcome | null;
}

/** The results document of one run: the verdicts, their counts, and the gate's decision. */
export function assembleResults(facts: RunFacts): RunResults {
  const verdictGate = gate(facts.verdicts, { strict: facts.strict, baseline: facts.baseline });
  return {
    format: RESULTS_FORMAT,
    tool: { name: TOOL_NAME, version: toolVersion() },
    target: facts.target,
    targetDescription: facts.targetDescription,
    control: facts.control ?? null,
    ...(facts.moreClusters?.length ? { moreClusters: facts.moreClusters.map((c) => ({ target: c.target, control: c.control ?? null })) } : {}),
    protocolVersion: facts.protocolVersion,
    seed: facts.seed,
    runs: facts.runs ?? null,
    strict: facts.strict,
    timeoutMultiplier: facts.timeoutMultiplier,
    startedAt: facts.startedAt.toISOString(),
    durationMs: facts.durationMs,
    selection: { flags: facts.flags, ids: facts.selectionIds },
    summary: summarize(facts.verdicts),
    clauses: clauseResults(facts.verdicts, facts.headings, facts.baseline),
    baseline: facts.baseline,
    conformant: verdictGate.conformant,
    exitCode: verdictGate.exitCode,
    reasons: verdictGate.reasons,
  };
}
