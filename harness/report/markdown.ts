// A Markdown summary for a CI job summary page (GitHub's $GITHUB_STEP_SUMMARY, a GitLab artifact):
// verdict counts first, then what needs attention with its full text. Server-supplied text goes into
// code fences or escaped inline text, so it cannot break the page.
import { newEntries } from '../baseline/compare';
import { TOOL_NAME } from '../../cmrp/package-info';
import { attentionList, bySection, COLUMNS } from './counts';
import type { ClauseResult, RunResults } from './results';
import { clauseText } from './text';

/** Full texts beyond this many are listed by id only: summary pages have size limits (GitHub: 1 MiB). */
const MAX_DETAILED = 50;

function inline(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#~]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

function fenced(text: string, info = 'text'): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

export function headline(results: RunResults): string {
  if (results.exitCode === 2) return 'NOTHING JUDGED';
  return results.conformant ? 'CONFORMANT' : 'NOT CONFORMANT';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function countsTable(results: RunResults): string[] {
  const rows = ['| verdict | clauses |', '|---|---:|'];
  for (const { verdict, key } of COLUMNS) rows.push(`| ${verdict} | ${results.summary[key]} |`);
  rows.push(`| **total** | **${results.summary.total}** |`);
  return rows;
}

function sectionTable(results: RunResults): string[] {
  const rows = [`| section | ${COLUMNS.map((c) => c.verdict).join(' | ')} |`, `|---|${COLUMNS.map(() => '---:').join('|')}|`];
  for (const s of bySection(results.clauses)) {
    rows.push(`| ${inline(`${s.section} ${s.heading}`.trim())} | ${COLUMNS.map((c) => s.summary[c.key]).join(' | ')} |`);
  }
  return rows;
}

function detailed(list: ClauseResult[], results: RunResults): string[] {
  const out: string[] = [];
  for (const c of list.slice(0, MAX_DETAILED)) {
    out.push(`#### ${c.verdict} \`${c.id}\` ${inline(c.title)}`, '', fenced(clauseText(c, results.protocolVersion)), '');
  }
  if (list.length > MAX_DETAILED) {
    out.push(`…and ${list.length - MAX_DETAILED} more (full texts in the JUnit and JSON reports): ${list.slice(MAX_DETAILED).map((c) => `\`${c.id}\``).join(', ')}`, '');
  }
  return out;
}

function baselinePart(results: RunResults): string[] {
  const b = results.baseline;
  if (!b) return [];
  const out = [`### Baseline \`${inline(b.file)}\`: ${b.matched ? 'matched' : 'NOT matched'}`, ''];
  const by = (status: string) => b.entries.filter((e) => e.status === status);
  const expected = by('expected');
  if (expected.length) out.push(`- ${expected.length} expected failure(s) seen: ${expected.map((e) => `\`${e.id}\``).join(', ')}`);
  for (const e of by('unexpected-pass')) out.push(`- unexpected pass: \`${e.id}\` passed; remove its entry (${inline(e.reason)})`);
  for (const e of by('changed')) out.push(`- changed: \`${e.id}\` expected ${e.expected}, got ${e.actual}`);
  for (const e of by('stale')) out.push(`- stale: \`${e.id}\` is not in the catalogue; remove its entry`);
  const unconfirmed = by('unconfirmed');
  if (unconfirmed.length) out.push(`- not decided this run (entry kept): ${unconfirmed.map((e) => `\`${e.id}\``).join(', ')}`);
  const fresh = newEntries(b);
  if (Object.keys(fresh).length > 0) {
    out.push('', 'New failures not in the baseline; to accept them, add these entries (and write the reasons):', '', fenced(JSON.stringify(fresh, null, 2), 'json'));
  }
  out.push('');
  return out;
}

export function buildMarkdown(results: RunResults): string {
  const s = results.summary;
  const out = [
    `## MS-CMRP notification conformance: ${headline(results)}`,
    '',
    `${TOOL_NAME} ${inline(results.tool.version)} against \`${inline(results.target)}\` (${inline(results.targetDescription)}), ` +
      `protocol version ${results.protocolVersion}${results.strict ? ', strict' : ''}, seed ${results.seed}, ${seconds(results.durationMs)}. ` +
      `Exit code ${results.exitCode}${results.reasons.length ? `: ${inline(results.reasons.join(', '))}` : ''}.`,
    '',
    ...countsTable(results),
    '',
    `${s.total} clauses, ${s.exercised} exercised, ${s.hits} hit${s.hits === 1 ? '' : 's'}.`,
    '',
  ];
  const attention = attentionList(results.clauses);
  const unexpectedPasses = results.clauses.filter((c) => c.baseline?.status === 'unexpected-pass');
  if (attention.length + unexpectedPasses.length > 0) out.push('### Needs attention', '', ...detailed([...unexpectedPasses, ...attention], results));
  out.push(...baselinePart(results));
  out.push('<details><summary>Per section</summary>', '', ...sectionTable(results), '', '</details>', '');
  return out.join('\n');
}
