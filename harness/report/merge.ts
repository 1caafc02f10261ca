// Combines the results of shards (runs that each judged part of the work) into one record. It refuses
// to produce a merged verdict that would be a lie: a clause of the selection no shard had, or a clause
// two shards exercised with different verdicts, fails the merge instead of being papered over.
import { compareBaseline } from '../baseline/compare';
import type { Baseline } from '../baseline/types';
import type { Clause } from '../catalogue/types';
import type { SelectionFlags } from '../catalogue/select';
import { UsageError } from '../../cmrp/errors';
import { HARNESS_ID } from '../verdict/types';
import { assembleResults, type ClauseResult, type RunResults } from './results';

/** The shards cannot honestly be merged (exit 1). */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

export interface Shard {
  file: string;
  results: RunResults;
}

export interface MergeOptions {
  /** The clauses the shards together had to cover. */
  selection: Clause[];
  flags: SelectionFlags;
  catalogueIds: Iterable<string>;
  headings: ReadonlyMap<string, string>;
}

const GENERIC_UNTESTED = 'no test exercised it against this target';

function listed(ids: string[], max = 5): string {
  return ids.length > max ? `${ids.slice(0, max).join(', ')} (+${ids.length - max} more)` : ids.join(', ');
}

function checkSameRun(shards: Shard[]): void {
  const [first, ...rest] = shards;
  const fields = ['protocolVersion', 'target', 'strict'] as const;
  for (const s of rest) {
    for (const f of fields) {
      if (s.results[f] !== first.results[f]) {
        throw new UsageError(`${s.file}: ${f} is ${JSON.stringify(s.results[f])}, but ${first.file} has ${JSON.stringify(first.results[f])}: these are not shards of one run`);
      }
    }
    if (s.results.tool.version !== first.results.tool.version) {
      throw new UsageError(`${s.file}: written by version ${s.results.tool.version}, ${first.file} by ${first.results.tool.version}: merge shards of one version`);
    }
  }
}

function mergeClause(id: string, from: { file: string; clause: ClauseResult }[]): ClauseResult {
  const exercised = from.filter((f) => f.clause.verdict !== 'NOT-TESTED');
  const verdicts = [...new Set(exercised.map((f) => f.clause.verdict))];
  if (verdicts.length > 1) {
    const where = verdicts.map((v) => `${v} in ${exercised.find((f) => f.clause.verdict === v)!.file}`).join(', ');
    throw new MergeError(`clause ${id} was covered by several shards with different verdicts: ${where}`);
  }
  if (exercised.length === 0) {
    // Prefer a shard that said why (capability missing, client-side) over one that simply had no test.
    const specific = from.find((f) => f.clause.message !== GENERIC_UNTESTED) ?? from[0];
    return { ...specific.clause };
  }
  const base = exercised[0].clause;
  return {
    ...base,
    hits: from.reduce((n, f) => n + f.clause.hits, 0),
    tests: [...new Set(exercised.flatMap((f) => f.clause.tests))],
    seeds: [...new Set(exercised.flatMap((f) => f.clause.seeds))],
  };
}

function mergeHarness(shards: Shard[]): ClauseResult | undefined {
  const found = shards.flatMap((s) => s.results.clauses.filter((c) => c.id === HARNESS_ID).map((c) => ({ file: s.file, clause: c })));
  if (found.length === 0) return undefined;
  return {
    ...found[0].clause,
    message: found.map((f) => `${f.file}:\n${f.clause.message ?? ''}`).join('\n\n'),
    tests: [...new Set(found.flatMap((f) => f.clause.tests))],
  };
}

/** The baseline the shards used, rebuilt from their entries (each shard records every entry). */
function shardBaseline(shards: Shard[]): { file: string; baseline: Baseline } | null {
  const withBaseline = shards.filter((s) => s.results.baseline);
  if (withBaseline.length === 0) return null;
  const baseline: Baseline = new Map();
  for (const s of withBaseline) {
    for (const e of s.results.baseline!.entries) if (!baseline.has(e.id)) baseline.set(e.id, { reason: e.reason, verdict: e.expected });
  }
  return { file: withBaseline[0].results.baseline!.file, baseline };
}

export function mergeShards(shards: Shard[], options: MergeOptions): RunResults {
  if (shards.length === 0) throw new UsageError('merge: name at least one results file');
  checkSameRun(shards);

  const covered = new Set(shards.flatMap((s) => s.results.selection.ids));
  const missing = options.selection.map((c) => c.id).filter((id) => !covered.has(id));
  if (missing.length > 0) {
    throw new MergeError(`the shards do not cover the selection: ${missing.length} clause(s) in no shard: ${listed(missing)}`);
  }

  const perClause = new Map<string, { file: string; clause: ClauseResult }[]>();
  for (const s of shards) for (const c of s.results.clauses) perClause.set(c.id, [...(perClause.get(c.id) ?? []), { file: s.file, clause: c }]);
  const verdicts = options.selection.map((clause) => {
    const from = perClause.get(clause.id) ?? [];
    if (from.length === 0) throw new MergeError(`clause ${clause.id} is in a shard's selection but has no result there: the shard file is incomplete`);
    const { heading: _h, baseline: _b, ...verdict } = mergeClause(clause.id, from);
    return verdict;
  });
  const harness = mergeHarness(shards);
  if (harness) {
    const { heading: _h, baseline: _b, ...verdict } = harness;
    verdicts.push(verdict);
  }

  const first = shards[0].results;
  const rebuilt = shardBaseline(shards);
  const baseline = rebuilt ? compareBaseline(verdicts, rebuilt.baseline, { file: rebuilt.file, catalogueIds: options.catalogueIds, strict: first.strict }) : null;
  const starts = shards.map((s) => Date.parse(s.results.startedAt));
  const ends = shards.map((s) => Date.parse(s.results.startedAt) + s.results.durationMs);
  const startedAt = Math.min(...starts);
  const merged = assembleResults({
    target: first.target,
    targetDescription: first.targetDescription,
    control: first.control ?? undefined,
    protocolVersion: first.protocolVersion,
    seed: first.seed,
    runs: first.runs ?? undefined,
    strict: first.strict,
    timeoutMultiplier: first.timeoutMultiplier,
    startedAt: new Date(startedAt),
    durationMs: Math.max(...ends) - startedAt,
    flags: options.flags,
    selectionIds: options.selection.map((c) => c.id),
    verdicts,
    headings: options.headings,
    baseline,
  });
  return {
    ...merged,
    tool: first.tool,
    shards: shards.map((s) => ({ file: s.file, seed: s.results.seed, startedAt: s.results.startedAt, durationMs: s.results.durationMs })),
  };
}
