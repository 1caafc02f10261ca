// Completeness, checked: each planned unit (a test of a suite file) reports when it is done, in its
// worker, after its observations are on disk. The runner holds the plan against these reports: a unit
// that did not start, did not start in time or did not finish makes its clauses ERROR, never NOT-TESTED.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../recorder/observation';
import { appendObservations } from '../recorder/sink';
import type { ProtocolVersion } from '../../cmrp/constants';
import type { PlannedUnit } from './plan';

const DONE_SUFFIX = '.done';

const key = (file: string, test: string): string => JSON.stringify([file, test]);

/** Marks a unit done (its observations were appended before). Synchronous, like the observations. */
export function reportDone(dir: string, file: string, test: string): void {
  appendFileSync(join(dir, `${process.pid}${DONE_SUFFIX}`), `${key(file, test)}\n`);
}

/** Every unit some worker reported done. */
export function readDone(dir: string): Set<string> {
  const done = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(DONE_SUFFIX))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) done.add(line);
  }
  return done;
}

export function isDone(done: ReadonlySet<string>, file: string, test: string): boolean {
  return done.has(key(file, test));
}

/** One ERROR per clause of a unit that could not judge them, naming the file, the test and the cause. */
export function unitErrors(file: string, unit: PlannedUnit, protocolVersion: ProtocolVersion, cause: string): Observation[] {
  return unit.clauseIds.map((clause) => ({
    clause,
    outcome: 'error' as const,
    test: unit.test,
    protocolVersion,
    message: `suite file ${file}, test '${unit.test}': ${cause}`,
  }));
}

export interface UnitRun {
  file: string;
  unit: PlannedUnit;
  protocolVersion: ProtocolVersion;
  /** Where observations and done reports go; absent = a developer's direct Jest run (nothing kept). */
  dir?: string;
  /** The unit's own deadline: past it, its clauses are ERROR and whatever it reports later is dropped. */
  deadlineMs: number;
  /** What a late unit's ERROR says to do about it. */
  slowHint: string;
  work: () => Promise<Observation[]>;
}

/**
 * Runs one unit to completion or to its deadline, whichever comes first, keeps its observations (or the
 * ERRORs of a unit that threw or overran) and reports it done. Returns what was kept.
 */
export async function runUnit(run: UnitRun): Promise<Observation[]> {
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<'overran'>((resolve) => {
    timer = setTimeout(() => resolve('overran'), run.deadlineMs);
  });
  let observations: Observation[];
  try {
    const outcome = await Promise.race([run.work(), overran]);
    observations =
      outcome === 'overran'
        ? unitErrors(run.file, run.unit, run.protocolVersion, `did not finish within ${run.deadlineMs} ms (${run.slowHint})`)
        : outcome;
  } catch (error) {
    observations = unitErrors(run.file, run.unit, run.protocolVersion, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
  if (run.dir) {
    appendObservations(run.dir, observations);
    reportDone(run.dir, run.file, run.unit.test);
  }
  return observations;
}
