// Builds results documents from observations, the way `run` does, for report tests.
import { compareBaseline } from '../../harness/baseline/compare';
import type { Baseline } from '../../harness/baseline/types';
import type { Clause } from '../../harness/catalogue/types';
import type { Observation } from '../../harness/recorder/observation';
import { assembleResults, type RunResults } from '../../harness/report/results';
import { judge } from '../../harness/verdict/judge';

export function resultsOf(
  clauses: Clause[],
  observations: Observation[],
  options: { strict?: boolean; seed?: number; baseline?: Baseline; catalogueIds?: string[] } = {},
): RunResults {
  const catalogueIds = options.catalogueIds ?? clauses.map((c) => c.id);
  const verdicts = judge(clauses, observations, { catalogueIds });
  const strict = options.strict ?? false;
  return assembleResults({
    target: 'builtin',
    targetDescription: 'reference server (in process)',
    protocolVersion: 3,
    seed: options.seed ?? 7,
    strict,
    timeoutMultiplier: 1,
    startedAt: new Date('2026-01-02T03:04:05.678Z'),
    durationMs: 1234,
    flags: { protocolVersion: 3 },
    selectionIds: clauses.map((c) => c.id),
    verdicts,
    headings: new Map([['3.1.4.2.66', 'ApiGetNotify (Opnum 65)']]),
    baseline: options.baseline ? compareBaseline(verdicts, options.baseline, { file: 'baseline.json', catalogueIds, strict }) : null,
  });
}
