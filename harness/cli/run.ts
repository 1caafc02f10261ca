// `run`: select clauses, have the runner exercise them against the target, judge, report, gate.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareBaseline, newEntries } from '../baseline/compare';
import { readBaseline } from '../baseline/load';
import type { Catalogue } from '../catalogue/load';
import type { SelectionFlags } from '../catalogue/select';
import type { Clause } from '../catalogue/types';
import { TOOL_NAME } from '../../cmrp/package-info';
import { githubAnnotations } from '../report/annotations';
import { replaysWritten } from '../report/replays';
import { assembleResults } from '../report/results';
import { terminalSummary } from '../report/terminal';
import { writeReports } from '../report/write';
import { judge } from '../verdict/judge';
import { parseArgs, type FlagValues } from './args';
import { loadCatalogueFor, requireSelection } from './catalogue';
import type { CliDeps } from './deps';
import { checkReportPaths, reportPaths, RUN_FLAGS, selectionFlags, targetFlags, targetText } from './flags';
import { holdEngineOutput, progressPrinter } from './progress';
import { ProfileError, loadProfileFile } from '../profile/load';

export const DEFAULT_TARGET = 'builtin';
export const DEFAULT_PROTOCOL_VERSION = 3;

function dryRun(selection: Clause[], catalogue: Catalogue, flags: FlagValues, targets: string, protocolVersion: number, deps: CliDeps): number {
  const bySection = new Map<string, Clause[]>();
  for (const c of selection) bySection.set(c.section, [...(bySection.get(c.section) ?? []), c]);
  const lines = [
    `dry run: ${selection.length} clause(s) in ${bySection.size} section(s) would be judged against ${targets}, protocol version ${protocolVersion}${flags.strict ? ', strict' : ''}`,
  ];
  for (const [section, clauses] of bySection) {
    const client = clauses.filter((c) => c.party === 'client').length;
    const untestable = clauses.filter((c) => c.party === 'server' && !c.testable).length;
    const notes = [client ? `${client} client-side` : '', untestable ? `${untestable} untestable` : ''].filter(Boolean).join(', ');
    lines.push(`${section} ${catalogue.headings.get(section) ?? ''}: ${clauses.length} clause(s)${notes ? ` (${notes}: NOT-TESTED)` : ''}`);
    lines.push(`  ${clauses.map((c) => c.id.slice(section.length + 1)).join(' ')}`);
  }
  const paths = reportPaths(flags, deps.cwd);
  lines.push(`reports would be written to ${[paths.junit, paths.json, paths.markdown, paths.html].map((p) => path.relative(deps.cwd, p) || p).join(', ')}`);
  deps.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const [index, count] = text.split('/').map(Number);
  return { index, count };
}

export async function runCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { flags } = parseArgs('run', argv, RUN_FLAGS);
  const protocolVersion = ((flags['protocol-version'] as number | undefined) ?? DEFAULT_PROTOCOL_VERSION) as 2 | 3;
  const selFlags: SelectionFlags = { ...selectionFlags(flags), protocolVersion };
  const { target, control, moreClusters } = targetFlags(flags, DEFAULT_TARGET);
  const strict = Boolean(flags.strict);
  const catalogue = loadCatalogueFor(deps);
  const selection = requireSelection(catalogue, selFlags);
  const baselineArg = flags.baseline as string | undefined;
  const baseline = baselineArg ? readBaseline(path.resolve(deps.cwd, baselineArg), baselineArg) : null;
  if (flags['dry-run']) return dryRun(selection, catalogue, flags, targetText(target, moreClusters), protocolVersion, deps);

  // A report left by an earlier run must not pass for this one's (a CI workspace that persists would
  // publish the old green JUnit if this run dies before writing).
  checkReportPaths(flags, deps.cwd);
  const paths = reportPaths(flags, deps.cwd);
  for (const file of Object.values(paths)) fs.rmSync(file, { force: true });

  const seed = (flags.seed as number | undefined) ?? deps.randomSeed();
  const shard = parseShard(flags.shard as string | undefined);
  if (shard && flags.seed === undefined) {
    deps.stderr.write(`${TOOL_NAME}: note: shard ${shard.index}/${shard.count} runs seed ${seed}; merge takes only shards of one seed, so give every shard the same --seed\n`);
  }
  const timeoutMultiplier = (flags['timeout-multiplier'] as number | undefined) ?? 1;
  const runs = flags.runs as number | undefined;
  const reach = {
    ...(control !== undefined ? { control } : {}),
    ...(flags.auth !== undefined ? { auth: flags.auth as string } : {}),
    ...(flags['auth-level'] !== undefined ? { authLevel: flags['auth-level'] as string } : {}),
    ...(flags.user !== undefined ? { user: flags.user as string } : {}),
    ...(flags.profile !== undefined ? { profile: path.resolve(deps.cwd, flags.profile as string) } : {}),
    ...(flags['read-user'] !== undefined ? { readUser: flags['read-user'] as string } : {}),
    ...(flags.stimuli !== undefined ? { stimuli: flags.stimuli as string } : {}),
    ...(flags['node-target'] !== undefined ? { nodeTargets: flags['node-target'] as string[] } : {}),
  };
  // A broken profile refuses the run (exit 2) before the target is touched.
  if (reach.profile !== undefined) {
    try {
      loadProfileFile(reach.profile);
    } catch (error) {
      // Named by its flag, as a broken --baseline or report path is.
      if (error instanceof ProfileError) throw new ProfileError(`--profile ${error.message}`);
      throw error;
    }
  }
  const startedAt = deps.now();
  // The real process's streams: hold back what the engine (Jest) writes there while the suites run.
  const held = deps.stderr === process.stderr ? holdEngineOutput(deps.env) : undefined;
  const progress = progressPrinter(held?.stderr ?? deps.stderr, { selection, headings: catalogue.headings });
  let outcome;
  try {
    outcome = await deps.executeRun({
      target,
      ...reach,
      ...(moreClusters ? { moreClusters } : {}),
      protocolVersion,
      selection,
      timeoutMultiplier,
      seed,
      runs,
      clausesOnly: Boolean(selFlags.clauseIds?.length) && !selFlags.sections?.length,
      shard: flags.shard as string | undefined,
      replayDir: path.join(path.dirname(paths.json), 'replays'),
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.finish();
    held?.restore();
  }

  const catalogueIds = catalogue.clauses.map((c) => c.id);
  const verdicts = judge(selection, outcome.observations, { catalogueIds });
  const baselineOutcome = baseline && baselineArg ? compareBaseline(verdicts, baseline, { file: baselineArg, catalogueIds, strict }) : null;
  const results = assembleResults({
    target,
    targetDescription: outcome.targetDescription,
    control: reach.control,
    ...(moreClusters ? { moreClusters } : {}),
    protocolVersion,
    seed,
    runs,
    strict,
    timeoutMultiplier,
    startedAt,
    durationMs: outcome.durationMs,
    flags: selFlags,
    selectionIds: selection.map((c) => c.id),
    verdicts,
    headings: catalogue.headings,
    baseline: baselineOutcome,
  });
  if (shard) {
    // What this shard judged: the clauses its suite files observed (a verdict, an ERROR, or a reason
    // they could not be exercised). merge puts the shares together and refuses an incomplete set.
    const observed = new Set(outcome.observations.map((o) => o.clause));
    results.shard = { ...shard, owned: selection.map((c) => c.id).filter((id) => observed.has(id)) };
  }
  const written = writeReports(results, paths);
  deps.stdout.write(terminalSummary(results));
  if (flags['github-annotations'] || deps.env.GITHUB_ACTIONS === 'true') deps.stdout.write(githubAnnotations(results));
  if (baselineOutcome) {
    const fresh = newEntries(baselineOutcome);
    if (Object.keys(fresh).length > 0) {
      deps.stdout.write(`\nnew failures not in ${baselineArg}; to accept them, add these entries (and write the reasons):\n${JSON.stringify(fresh, null, 2)}\n`);
    }
  }
  const replays = replaysWritten(path.join(path.dirname(paths.json), 'replays'), startedAt);
  deps.stdout.write(`reports: ${written.map((p) => path.relative(deps.cwd, p) || p).join(', ')}\n`);
  if (replays.length) deps.stdout.write(`replays: ${replays.map((p) => path.relative(deps.cwd, p) || p).join(', ')}\n`);
  if (results.exitCode === 2) deps.stderr.write(`${TOOL_NAME}: ${results.reasons[0]}\n`);
  return results.exitCode;
}
