// Reads and checks a baseline file. A malformed baseline is a configuration error (exit 2): guessing
// what a broken entry meant could hide a failure.
import * as fs from 'node:fs';
import { CLAUSE_ID } from '../catalogue/types';
import { UsageError } from '../../cmrp/errors';
import { BASELINE_VERDICTS, type Baseline, type BaselineVerdict } from './types';

export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--baseline ${file}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`--baseline ${file}: must be a JSON object keyed by clause id`);
  }
  const baseline: Baseline = new Map();
  for (const [id, entry] of Object.entries(data)) {
    const bad = (problem: string) => new UsageError(`--baseline ${file}: entry '${id}' ${problem}`);
    if (!CLAUSE_ID.test(id)) throw bad('is not a clause id (like 3.1.4.2.66/R3)');
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad('must be an object { "reason": "..." }');
    const { reason, verdict, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw bad(`has unknown field '${extra[0]}' (allowed: reason, verdict)`);
    if (typeof reason !== 'string' || reason.trim() === '') throw bad('needs a non-empty "reason"');
    if (verdict !== undefined && !BASELINE_VERDICTS.includes(verdict as BaselineVerdict)) {
      throw bad(`has verdict ${JSON.stringify(verdict)} (one of ${BASELINE_VERDICTS.join(', ')})`);
    }
    baseline.set(id, { reason, verdict: (verdict as BaselineVerdict | undefined) ?? 'FAIL' });
  }
  return baseline;
}

/** `shown` is the path as the user typed it, for messages. */
export function readBaseline(file: string, shown = file): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--baseline ${shown}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseBaseline(text, shown);
}
