import { SUMMARY_KEY, type ClauseVerdict, type Summary } from './types';

export function summarize(verdicts: readonly ClauseVerdict[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, nonStrict: 0, notTested: 0, inconclusive: 0, error: 0, total: 0, exercised: 0, hits: 0 };
  for (const v of verdicts) {
    summary[SUMMARY_KEY[v.verdict]]++;
    summary.total++;
    if (v.hits > 0) summary.exercised++;
    summary.hits += v.hits;
  }
  return summary;
}
