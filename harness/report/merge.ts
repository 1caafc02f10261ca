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
  /** The file's canonical path, when read from disk: the same file named twice is one shard. */
  realPath?: string;
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

function refuseForeign(s: Shard, first: Shard, what: string, mine: unknown, theirs: unknown, hint = ''): never {
  throw new UsageError(`${s.file}: ${what} is ${JSON.stringify(mine)}, but ${first.file} has ${JSON.stringify(theirs)}: these are not shards of one run${hint}`);
}

function checkSameRun(shards: Shard[]): void {
  const [first, ...rest] = shards;
  const fields = ['protocolVersion', 'target', 'strict'] as const;
  for (const s of rest) {
    for (const f of fields) {
      if (s.results[f] !== first.results[f]) refuseForeign(s, first, f, s.results[f], first.results[f]);
    }
    if (s.results.tool.version !== first.results.tool.version) {
      throw new UsageError(`${s.file}: written by version ${s.results.tool.version}, ${first.file} by ${first.results.tool.version}: merge shards of one version`);
    }
  }
}

/** Two names of one results file, or two copies of one: the same share would count twice. */
function checkNoDuplicate(shards: Shard[]): void {
  const seen = new Map<string, string>();
  for (const s of shards) {
    // A copy of a file has the same content; a second name of it (a link, ./a.json) the same real path.
    const keys = [`content:${JSON.stringify(s.results)}`, ...(s.realPath ? [`path:${s.realPath}`] : [])];
    for (const key of keys) {
      const other = seen.get(key);
      if (other !== undefined) throw new UsageError(`${s.file}: the same results as ${other}: each shard's results must be given once`);
      seen.set(key, s.file);
    }
  }
}

/**
 * Shards of a sharded run (--shard I/N) must be all N shares of one run: one I each, none missing, and
 * the same N, selection and seed (else a clause's verdict could come from another run's server state).
 */
function checkShardSet(shards: Shard[]): void {
  const sharded = shards.filter((s) => s.results.shard);
  if (sharded.length === 0) return;
  const first = sharded[0];
  const whole = shards.find((s) => !s.results.shard);
  if (whole) {
    throw new UsageError(`${whole.file}: the results of a whole run, but ${first.file} is shard ${first.results.shard!.index}/${first.results.shard!.count}: these are not shards of one run`);
  }
  const count = first.results.shard!.count;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const share = s.results.shard!;
    if (share.count !== count) refuseForeign(s, first, 'the shard count', share.count, count);
    if (s.results.seed !== first.results.seed) {
      refuseForeign(s, first, 'the seed', s.results.seed, first.results.seed, ' (give every shard the same --seed)');
    }
    if (JSON.stringify(s.results.selection.ids) !== JSON.stringify(first.results.selection.ids)) {
      refuseForeign(s, first, 'the selection', `${s.results.selection.ids.length} clause(s)`, `${first.results.selection.ids.length} clause(s)`, ' (give every shard the same selection flags)');
    }
    const other = byIndex.get(share.index);
    if (other !== undefined) throw new UsageError(`${s.file}: claims shard ${share.index}/${count}, as ${other} does: each shard must be given once`);
    byIndex.set(share.index, s.file);
    checkOwnership(s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const got = [...byIndex].sort(([a], [b]) => a - b).map(([i, f]) => `${i}/${count} ${f}`).join(', ');
    throw new UsageError(`shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing: the run had ${count} shards, merge was given ${got}`);
  }
}

/** A share's verdicts agree with what it says it owned: an edited or mixed-up file is refused. */
function checkOwnership(s: Shard): void {
  const owned = new Set(s.results.shard!.owned);
  const selected = new Set(s.results.selection.ids);
  const stray = [...owned].find((id) => !selected.has(id));
  if (stray) throw new UsageError(`${s.file}: owns clause ${stray}, which is not in its selection: the file is not a shard's results as written`);
  const judgedElsewhere = s.results.clauses.find((c) => c.id !== HARNESS_ID && c.verdict !== 'NOT-TESTED' && !owned.has(c.id));
  if (judgedElsewhere) {
    throw new UsageError(`${s.file}: clause ${judgedElsewhere.id} is ${judgedElsewhere.verdict} but not among the clauses the shard owned: the file is not a shard's results as written`);
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
  checkNoDuplicate(shards);
  checkSameRun(shards);
  checkShardSet(shards);

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
    ...(first.moreClusters ? { moreClusters: first.moreClusters } : {}),
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
    shards: shards.map((s) => ({
      file: s.file,
      seed: s.results.seed,
      startedAt: s.results.startedAt,
      durationMs: s.results.durationMs,
      ...(s.results.shard ? { index: s.results.shard.index, count: s.results.shard.count, owned: s.results.shard.owned.length } : {}),
    })),
  };
}
