// `merge`: one report from the results files of shards. The selection the shards had to cover is the
// one given to merge; else the one every shard recorded, when they agree; else the whole catalogue
// for their protocol version.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SelectionFlags } from '../catalogue/select';
import { mergeShards, type Shard } from '../report/merge';
import { readResults } from '../report/read-results';
import { terminalSummary } from '../report/terminal';
import { writeReports } from '../report/write';
import { UsageError } from '../../cmrp/errors';
import { parseArgs } from './args';
import { loadCatalogueFor, requireSelection } from './catalogue';
import type { CliDeps } from './deps';
import { checkReportPaths, REPORT_FLAGS, reportPaths, SELECTION_FLAGS, selectionFlags } from './flags';

function canonical(flags: SelectionFlags): string {
  const { sections, clauseIds, levels, exclude } = flags;
  return JSON.stringify([sections ?? [], clauseIds ?? [], levels ?? [], exclude ?? []]);
}

function intendedFlags(given: SelectionFlags, shards: Shard[], protocolVersion: 2 | 3): SelectionFlags {
  if (given.protocolVersion !== undefined && given.protocolVersion !== protocolVersion) {
    throw new UsageError(`--protocol-version ${given.protocolVersion}: the shards ran protocol version ${protocolVersion}`);
  }
  const { protocolVersion: _p, ...rest } = given;
  if (Object.keys(rest).length > 0) return { ...rest, protocolVersion };
  const recorded = shards.map((s) => s.results.selection.flags);
  if (recorded.every((f) => canonical(f) === canonical(recorded[0]))) return { ...recorded[0], protocolVersion };
  return { protocolVersion };
}

export async function mergeCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { flags, positionals } = parseArgs('merge', argv, { ...SELECTION_FLAGS, ...REPORT_FLAGS }, { positionals: 'FILE' });
  if (positionals.length === 0) throw new UsageError('merge: name the results files of the shards (merge A.json B.json ... --junit OUT --json OUT)');
  checkReportPaths(flags, deps.cwd);
  const shards: Shard[] = positionals.map((file) => {
    const at = path.resolve(deps.cwd, file);
    const results = readResults(at, file);
    return { file, results, realPath: fs.realpathSync(at) };
  });
  const catalogue = loadCatalogueFor(deps);
  const flagsUsed = intendedFlags(selectionFlags(flags), shards, shards[0].results.protocolVersion);
  const selection = requireSelection(catalogue, flagsUsed);
  const merged = mergeShards(shards, { selection, flags: flagsUsed, catalogueIds: catalogue.clauses.map((c) => c.id), headings: catalogue.headings });
  const written = writeReports(merged, reportPaths(flags, deps.cwd));
  deps.stdout.write(`merged ${shards.length} shard(s): ${positionals.join(', ')}\n`);
  deps.stdout.write(terminalSummary(merged));
  deps.stdout.write(`reports: ${written.map((p) => path.relative(deps.cwd, p) || p).join(', ')}\n`);
  if (merged.exitCode === 2) deps.stderr.write(`cmrp-notify-conformance: ${merged.reasons[0]}\n`);
  return merged.exitCode;
}
