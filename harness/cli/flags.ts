// Flags shared by several commands, and their conversion to typed options.
import * as path from 'node:path';
import type { SelectionFlags } from '../catalogue/select';
import type { Cluster } from '../run-config/config';
import { UsageError } from '../../cmrp/errors';
import { writableProblem } from '../report/atomic';
import type { FlagSpecs, FlagValues } from './args';

const positive = (v: number | string) => ((v as number) > 0 ? undefined : 'must be greater than 0');

export const SELECTION_FLAGS: FlagSpecs = {
  section: { kind: 'list', value: 'SECTION' },
  clause: { kind: 'list', value: 'ID' },
  level: { kind: 'list', value: 'LEVEL' },
  exclude: { kind: 'list', value: 'ID|SECTION' },
  'protocol-version': { kind: 'integer', value: '2|3', check: (v) => (v === 2 || v === 3 ? undefined : 'must be 2 or 3') },
};

export const REPORT_FLAGS: FlagSpecs = {
  junit: { kind: 'string', value: 'FILE' },
  json: { kind: 'string', value: 'FILE' },
  markdown: { kind: 'string', value: 'FILE' },
  html: { kind: 'string', value: 'FILE' },
};

export const RUN_FLAGS: FlagSpecs = {
  ...SELECTION_FLAGS,
  ...REPORT_FLAGS,
  // Repeatable for dcerpc: targets: one --target (and one --control) per equivalent cluster (targetFlags).
  target: { kind: 'list', value: 'SPEC' },
  control: { kind: 'list', value: 'SPEC' },
  stimuli: { kind: 'string', value: 'control|inband|auto' },
  profile: { kind: 'string', value: 'FILE' },
  auth: { kind: 'string', value: 'spnego|ntlm|none' },
  'auth-level': { kind: 'string', value: 'connect|integrity|privacy' },
  user: { kind: 'string', value: 'DOMAIN\\NAME' },
  'read-user': { kind: 'string', value: 'DOMAIN\\NAME' },
  'node-target': { kind: 'list', value: 'dcerpc:HOST[:PORT]' },
  strict: { kind: 'switch' },
  'timeout-multiplier': { kind: 'number', value: 'X', check: positive },
  baseline: { kind: 'string', value: 'FILE' },
  seed: { kind: 'integer', value: 'N', check: (v) => ((v as number) >= 0 && (v as number) < 2 ** 32 ? undefined : 'must be between 0 and 4294967295') },
  runs: { kind: 'integer', value: 'N', check: positive },
  shard: { kind: 'string', value: 'I/N', check: (v) => shardProblem(String(v)) },
  'dry-run': { kind: 'switch' },
  'github-annotations': { kind: 'switch' },
};

function shardProblem(text: string): string | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return 'must look like 1/4';
  const [i, n] = [Number(m[1]), Number(m[2])];
  return i >= 1 && i <= n ? undefined : 'needs 1 <= I <= N';
}

export const DEFAULT_REPORTS = { junit: 'reports/junit.xml', json: 'reports/results.json', markdown: 'reports/summary.md', html: 'reports/report.html' };

/**
 * --target and --control: once each, or for a `dcerpc:` run once per cluster, paired in the order given
 * (clusters the user declares equivalent, each with its own control adapter): the first is the run's
 * target, the others `moreClusters`. The other nodes of a cluster (--node-target) belong to one
 * cluster, so they go with one cluster only.
 */
export function targetFlags(flags: FlagValues, fallback: string): { target: string; control?: string; moreClusters?: Cluster[] } {
  const targets = (flags.target as string[] | undefined) ?? [fallback];
  const controls = (flags.control as string[] | undefined) ?? [];
  if (targets.length === 1) {
    if (controls.length > 1) throw new UsageError('--control given twice: one control adapter a cluster (give --target once for each cluster)');
    return { target: targets[0], ...(controls.length ? { control: controls[0] } : {}) };
  }
  const other = targets.find((t) => !t.startsWith('dcerpc:'));
  if (other !== undefined) throw new UsageError(`--target given ${targets.length} times: several clusters are for dcerpc: targets (${other} is not)`);
  if (controls.length && controls.length !== targets.length) {
    throw new UsageError(`--control given ${controls.length} time(s) for ${targets.length} --target: give one for each cluster, in the same order`);
  }
  if (flags['node-target'] !== undefined) throw new UsageError('--node-target names nodes of one cluster: it goes with a single --target');
  const clusters: Cluster[] = targets.map((target, i) => ({ target, ...(controls.length ? { control: controls[i] } : {}) }));
  const twice = clusters.find((c, i) => clusters.findIndex((d) => d.target === c.target) !== i);
  if (twice) throw new UsageError(`--target ${twice.target} given twice: each cluster once`);
  const [first, ...moreClusters] = clusters;
  return { ...first, moreClusters };
}

/** How a plan or dry run names the run's target, or its clusters. */
export function targetText(target: string, moreClusters: readonly Cluster[] | undefined): string {
  if (!moreClusters?.length) return `target ${target}`;
  return `${1 + moreClusters.length} equivalent clusters ${[target, ...moreClusters.map((c) => c.target)].join(', ')} (one suite file at a time on each)`;
}

export function selectionFlags(flags: FlagValues): SelectionFlags {
  const out: SelectionFlags = {};
  if (flags.section) out.sections = flags.section as string[];
  if (flags.clause) out.clauseIds = flags.clause as string[];
  if (flags.level) out.levels = flags.level as string[];
  if (flags.exclude) out.exclude = flags.exclude as string[];
  if (flags['protocol-version'] !== undefined) out.protocolVersion = flags['protocol-version'] as number;
  return out;
}

export function reportPaths(flags: FlagValues, cwd: string): { junit: string; json: string; markdown: string; html: string } {
  const at = (key: keyof typeof DEFAULT_REPORTS) => path.resolve(cwd, (flags[key] as string | undefined) ?? DEFAULT_REPORTS[key]);
  return { junit: at('junit'), json: at('json'), markdown: at('markdown'), html: at('html') };
}

/**
 * Refuses, before anything runs, report paths that could not be written afterwards (a run of many
 * minutes must not end in an unwritable report), naming the flag. Two reports on one file is refused
 * too: the later would silently replace the earlier. Creates missing report directories.
 */
export function checkReportPaths(flags: FlagValues, cwd: string): void {
  const paths = reportPaths(flags, cwd);
  const seen = new Map<string, string>();
  for (const key of Object.keys(DEFAULT_REPORTS) as (keyof typeof DEFAULT_REPORTS)[]) {
    const shown = (flags[key] as string | undefined) ?? DEFAULT_REPORTS[key];
    const flag = flags[key] === undefined ? `--${key} (default ${shown})` : `--${key} ${shown}`;
    const other = seen.get(paths[key]);
    if (other) throw new UsageError(`${flag}: the same file as ${other}; give each report its own file`);
    seen.set(paths[key], `--${key}`);
    const problem = writableProblem(paths[key]);
    if (problem) throw new UsageError(`${flag}: ${problem}`);
  }
}
