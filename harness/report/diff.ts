// Two results files compared clause by clause, as Markdown for a pull-request comment: what newly
// fails, what got fixed, what else changed verdict, and clauses only one side judged. A regression is a
// clause that gates now (FAIL, ERROR, NON-STRICT under --strict) and did not before.
import type { Verdict } from '../verdict/types';
import { COLUMNS } from './counts';
import type { ClauseResult, RunResults } from './results';

export interface VerdictChange {
  id: string;
  title: string;
  before: Verdict | null;
  after: Verdict | null;
}

export interface ResultsDiff {
  regressions: VerdictChange[];
  fixed: VerdictChange[];
  changed: VerdictChange[];
  added: VerdictChange[];
  removed: VerdictChange[];
  unchanged: number;
}

function gating(v: Verdict | null, strict: boolean): boolean {
  return v === 'FAIL' || v === 'ERROR' || (strict && v === 'NON-STRICT');
}

export function diffResults(base: RunResults, head: RunResults): ResultsDiff {
  const before = new Map(base.clauses.map((c) => [c.id, c]));
  const after = new Map(head.clauses.map((c) => [c.id, c]));
  const diff: ResultsDiff = { regressions: [], fixed: [], changed: [], added: [], removed: [], unchanged: 0 };
  const change = (id: string, b: ClauseResult | undefined, a: ClauseResult | undefined): VerdictChange => ({
    id,
    title: (a ?? b)!.title,
    before: b?.verdict ?? null,
    after: a?.verdict ?? null,
  });
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) {
      diff.added.push(change(id, b, a));
      if (gating(a.verdict, head.strict)) diff.regressions.push(change(id, b, a));
      continue;
    }
    if (b.verdict === a.verdict) {
      diff.unchanged++;
      continue;
    }
    const c = change(id, b, a);
    if (gating(a.verdict, head.strict) && !gating(b.verdict, base.strict)) diff.regressions.push(c);
    else if (!gating(a.verdict, head.strict) && gating(b.verdict, base.strict)) diff.fixed.push(c);
    else diff.changed.push(c);
  }
  for (const [id, b] of before) if (!after.has(id)) diff.removed.push(change(id, b, undefined));
  return diff;
}

function cell(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#~]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

function table(changes: VerdictChange[]): string[] {
  return ['| clause | before | after | title |', '|---|---|---|---|', ...changes.map((c) => `| \`${c.id}\` | ${c.before ?? '–'} | ${c.after ?? '–'} | ${cell(c.title)} |`)];
}

function describeRun(label: string, file: string, r: RunResults): string {
  return `- **${label}** \`${cell(file)}\`: \`${cell(r.target)}\`, protocol version ${r.protocolVersion}${r.strict ? ', strict' : ''}, seed ${r.seed}, ${r.tool.name} ${cell(r.tool.version)}, exit ${r.exitCode}`;
}

export function diffMarkdown(base: { file: string; results: RunResults }, head: { file: string; results: RunResults }): string {
  const d = diffResults(base.results, head.results);
  const verdict = d.regressions.length ? `${d.regressions.length} new failure${d.regressions.length === 1 ? '' : 's'}` : 'no new failure';
  const out = [`## MS-CMRP conformance compared: ${verdict}${d.fixed.length ? `, ${d.fixed.length} fixed` : ''}`, '', describeRun('before', base.file, base.results), describeRun('after', head.file, head.results), ''];
  const warnings: string[] = [];
  if (base.results.protocolVersion !== head.results.protocolVersion) warnings.push('the two runs used different protocol versions');
  if (base.results.target !== head.results.target) warnings.push('the two runs judged different targets');
  if (warnings.length) out.push(`> Note: ${warnings.join('; ')}.`, '');
  out.push('| verdict | before | after | change |', '|---|---:|---:|---:|');
  for (const { verdict, key } of COLUMNS) {
    const b = base.results.summary[key];
    const a = head.results.summary[key];
    out.push(`| ${verdict} | ${b} | ${a} | ${a === b ? '' : a > b ? `+${a - b}` : `${a - b}`} |`);
  }
  out.push('');
  const part = (title: string, changes: VerdictChange[]) => {
    if (changes.length) out.push(`### ${title} (${changes.length})`, '', ...table(changes), '');
  };
  part('New failures', d.regressions);
  part('Fixed', d.fixed);
  part('Other verdict changes', d.changed);
  part('Only in the second run', d.added.filter((c) => !d.regressions.includes(c)));
  part('Only in the first run', d.removed);
  out.push(`${d.unchanged} clause${d.unchanged === 1 ? '' : 's'} kept ${d.unchanged === 1 ? 'its' : 'their'} verdict.`, '');
  return out.join('\n');
}
