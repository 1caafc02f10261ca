// The plain-text summary printed on stdout at the end of a run: counts per section, then one line per
// clause that needs attention, then the verdict of the gate. Full texts live in the report files.
import { attentionList, bySection, COLUMNS } from './counts';
import { headline } from './markdown';
import type { RunResults } from './results';

const SECTION_WIDTH = 44;

function firstLine(text: string | null): string {
  const line = (text ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 150 ? `${line.slice(0, 149)}…` : line;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** Reasons shown one per line; the rest are counted together. */
const MAX_REASONS = 6;

/** Why clauses were NOT-TESTED, grouped by reason, most frequent first. */
export function notTestedReasons(results: RunResults): string[] {
  const groups = new Map<string, number>();
  for (const c of results.clauses) {
    if (c.verdict !== 'NOT-TESTED') continue;
    const reason = firstLine(c.message).replace(/^\[[^\]\n]*\] /, '') || 'no reason recorded';
    groups.set(reason, (groups.get(reason) ?? 0) + 1);
  }
  if (groups.size === 0) return [];
  const sorted = [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const lines = ['', `NOT-TESTED ${results.summary.notTested} clause${results.summary.notTested === 1 ? '' : 's'}, because:`];
  for (const [reason, n] of sorted.slice(0, MAX_REASONS)) lines.push(`  ${String(n).padStart(4)}  ${reason}`);
  const rest = sorted.slice(MAX_REASONS);
  if (rest.length) lines.push(`  ${String(rest.reduce((n, [, k]) => n + k, 0)).padStart(4)}  ${rest.length} other reasons (see the reports)`);
  return lines;
}

export function terminalSummary(results: RunResults): string {
  const widths = COLUMNS.map((c) => Math.max(c.verdict.length, 5));
  const row = (label: string, values: (string | number)[]) =>
    `${fit(label, SECTION_WIDTH)}  ${values.map((v, i) => String(v).padStart(widths[i])).join('  ')}`.trimEnd();
  const lines = [row('section', COLUMNS.map((c) => c.verdict))];
  for (const s of bySection(results.clauses)) lines.push(row(`${s.section} ${s.heading}`.trim(), COLUMNS.map((c) => s.summary[c.key])));
  lines.push(row('total', COLUMNS.map((c) => results.summary[c.key])));
  const s = results.summary;
  lines.push(`${s.total} clauses, ${s.exercised} exercised, ${s.hits} hit${s.hits === 1 ? '' : 's'}; target ${results.target}, protocol version ${results.protocolVersion}, seed ${results.seed}`);

  const attention = attentionList(results.clauses);
  const passed = results.clauses.filter((c) => c.baseline?.status === 'unexpected-pass');
  if (attention.length + passed.length > 0) {
    lines.push('');
    for (const c of passed) lines.push(`UNEXPECTED-PASS  ${c.id}  ${c.title}`, `    the baseline expects ${c.baseline!.expected}: remove its entry`);
    for (const c of attention) {
      const tag = c.verdict === 'NON-STRICT' && !results.strict ? 'NON-STRICT (not gating)' : c.verdict;
      lines.push(`${tag}  ${c.id}  ${c.title}`, `    ${firstLine(c.message)}`);
    }
  }
  lines.push(...notTestedReasons(results));
  for (const e of results.baseline?.entries.filter((x) => x.status === 'stale') ?? []) {
    lines.push(`STALE-BASELINE  ${e.id}  not in the catalogue: remove it from ${results.baseline!.file}`);
  }
  lines.push('', `${headline(results)} (exit ${results.exitCode})${results.reasons.length ? `: ${results.reasons.join(', ')}` : ''}`);
  return `${lines.join('\n')}\n`;
}
