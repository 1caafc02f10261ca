// Counts per section and overall, shared by the terminal and Markdown summaries.
import { SUMMARY_KEY, type Summary, type Verdict } from '../verdict/types';
import { summarize } from '../verdict/summary';
import type { ClauseResult } from './results';

export const COLUMNS: { verdict: Verdict; key: keyof Summary }[] = (['PASS', 'FAIL', 'NON-STRICT', 'NOT-TESTED', 'INCONCLUSIVE', 'ERROR'] as Verdict[]).map(
  (verdict) => ({ verdict, key: SUMMARY_KEY[verdict] }),
);

export function bySection(clauses: readonly ClauseResult[]): { section: string; heading: string; summary: Summary }[] {
  const groups = new Map<string, ClauseResult[]>();
  for (const c of clauses) groups.set(c.section, [...(groups.get(c.section) ?? []), c]);
  return [...groups].map(([section, list]) => ({ section, heading: list[0].heading, summary: summarize(list) }));
}

/** The clauses a reader must look at, worst first, in report order within a verdict. */
export function attentionList(clauses: readonly ClauseResult[]): ClauseResult[] {
  const order: Verdict[] = ['FAIL', 'ERROR', 'NON-STRICT', 'INCONCLUSIVE'];
  return order.flatMap((v) => clauses.filter((c) => c.verdict === v && c.baseline?.status !== 'expected'));
}
