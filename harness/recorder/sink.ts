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

export function readObservations(dir: string): Observation[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Observation),
    );
}
