// Jest runs suites in worker processes: each appends its observations, one JSON line each, to a file of
// its own in the run's directory, and the runner reads them all back. Appends are synchronous so a
// worker that dies still leaves every observation it made.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from './observation';

export function appendObservations(dir: string, observations: Observation[]): void {
  if (!observations.length) return;
  appendFileSync(join(dir, `${process.pid}.jsonl`), observations.map((o) => JSON.stringify(o)).join('\n') + '\n');
}

/**
 * Every observation of the run, in an order that does not depend on which worker made it (workers are
 * named by pid): the same seed gives the same report, byte for byte.
 */
export function readObservations(dir: string): Observation[] {
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
  return lines.sort().map((line) => JSON.parse(line) as Observation);
}
