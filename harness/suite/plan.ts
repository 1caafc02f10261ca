// Which suite files a run starts, and what each must report. Computed from the data (the sequence
// files, the property's clause list, the transport checks), never kept by hand: the runner starts only
// the files that hold a selected clause, and after Jest it holds every planned unit (a test) to account.
// A unit that never reported made its clauses ERROR, never NOT-TESTED.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProtocolVersion } from '../../cmrp/constants';
import { clausesIn } from '../sequence/interpret';
import { SEQUENCES_DIR, loadSequenceFile } from '../sequence/load';
import type { Sequence } from '../sequence/types';
import { propertyClauseIds } from '../property/clause-ids';
import { plannedTransportChecks } from './transport-checks';

/** What a plan depends on: the run's protocol version, selection and property budget. */
export interface PlanInput {
  protocolVersion: ProtocolVersion;
  /** Selected clause ids; absent = every clause. */
  clauseIds?: readonly string[];
  /** --runs: an explicit property budget asks for the property run whatever the selection. */
  runs?: number;
  /** The selection names clauses only (--clause, bisecting): the property joins only for clauses no other file judges. */
  clausesOnly?: boolean;
}

export type SuiteKind = 'sequences' | 'transport' | 'property';

/** One Jest test of a suite file, and the selected clauses it must judge. */
export interface PlannedUnit {
  /** The Jest test's own name (its title within the file's describe). */
  test: string;
  clauseIds: string[];
}

export interface PlannedFile {
  /** The suite file's name without `.spec.ts` (or `.spec.js` in dist/suites). */
  name: string;
  kind: SuiteKind;
  units: PlannedUnit[];
}

export const TRANSPORT_FILE = '2.1-transport-security';
/** The one test of a property file. */
export const PROPERTY_TEST_NAME = 'random call sequences agree with the oracle model';
/**
 * The property budget is split over this many files, so Jest runs the parts on separate workers; part
 * i runs its share of the runs from its own seed (seed + i - 1), so a seed still names one run.
 */
export const PROPERTY_PARTS = 2;
export const propertyFileName = (part: number): string => `properties-${part}`;

/** The runs part `part` (1-based) of the budget takes: the parts add up to the budget. */
export function propertyShare(runs: number, part: number): number {
  return Math.floor(runs / PROPERTY_PARTS) + (part <= runs % PROPERTY_PARTS ? 1 : 0);
}

/** The file that runs vectors/sequences/<name>.json is suites/<name>.spec.ts. */
export function sequenceFilePath(name: string): string {
  return join(SEQUENCES_DIR, `${name}.json`);
}

function selector(input: PlanInput): (id: string) => boolean {
  if (!input.clauseIds) return () => true;
  const selected = new Set(input.clauseIds);
  return (id) => selected.has(id);
}

/** The sequences of one file a run executes (those with a selected clause), with their selected clauses. */
export function plannedSequences(sequences: readonly Sequence[], input: PlanInput): { sequence: Sequence; clauseIds: string[] }[] {
  const isSelected = selector(input);
  return sequences
    .map((sequence) => ({ sequence, clauseIds: clausesIn(sequence, input.protocolVersion).filter(isSelected) }))
    .filter((s) => s.clauseIds.length > 0);
}

export function planSequenceFile(name: string, input: PlanInput): PlannedFile {
  const { sequences } = loadSequenceFile(sequenceFilePath(name));
  return sequencePlan(name, sequences, input);
}

function sequencePlan(name: string, sequences: readonly Sequence[], input: PlanInput): PlannedFile {
  const units = plannedSequences(sequences, input).map(({ sequence, clauseIds }) => ({ test: sequence.id, clauseIds }));
  return { name, kind: 'sequences', units };
}

export function planTransportFile(input: PlanInput): PlannedFile {
  const units = plannedTransportChecks({ protocolVersion: input.protocolVersion, clauseIds: input.clauseIds ? [...input.clauseIds] : undefined }).map(
    (check) => ({ test: `${check.clause} ${check.name}`, clauseIds: [check.clause] }),
  );
  return { name: TRANSPORT_FILE, kind: 'transport', units };
}

/**
 * The property is a second opinion on most clauses the scripted files judge and the only one on a few.
 * It runs when it holds a selected clause; but a run that names clauses only (`--clause`, bisecting)
 * starts it only for a clause no other file judges, or when --runs asks for it.
 */
export function planPropertyFiles(input: PlanInput, judgedElsewhere: (id: string) => boolean): PlannedFile[] {
  const isSelected = selector(input);
  const clauseIds = propertyClauseIds(input.protocolVersion).filter(isSelected);
  const needed = input.clausesOnly && input.runs === undefined ? clauseIds.some((id) => !judgedElsewhere(id)) : clauseIds.length > 0;
  if (!needed) return [];
  const files: PlannedFile[] = [];
  for (let part = 1; part <= PROPERTY_PARTS; part++) {
    if (input.runs !== undefined && propertyShare(input.runs, part) === 0) continue;
    files.push({ name: propertyFileName(part), kind: 'property', units: [{ test: PROPERTY_TEST_NAME, clauseIds }] });
  }
  return files;
}

/** Every file the run starts, in a fixed order (sequence files by name, then transport, then property parts). */
export function planRun(input: PlanInput): PlannedFile[] {
  const scripted = sequenceFiles().map(({ name, sequences }) => sequencePlan(name, sequences, input));
  const transport = planTransportFile(input);
  const elsewhere = new Set([...scripted, transport].flatMap((f) => f.units.flatMap((u) => u.clauseIds)));
  const files = [...scripted, transport, ...planPropertyFiles(input, (id) => elsewhere.has(id))];
  return files.filter((f) => f.units.length > 0);
}

/** Every sequence file by name (vectors/sequences/<name>.json), sorted: each has its suite file. */
export function sequenceFiles(): { name: string; sequences: Sequence[] }[] {
  return readdirSync(SEQUENCES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.json'.length), sequences: loadSequenceFile(join(SEQUENCES_DIR, f)).sequences }));
}

/** This machine's share of the planned files for --shard I/N: every I-th file, so shares are disjoint and complete. */
export function shardOf(files: readonly PlannedFile[], shard: string | undefined): PlannedFile[] {
  if (!shard) return [...files];
  const [index, count] = shard.split('/').map(Number);
  return files.filter((_, i) => i % count === index - 1);
}

/** The clause ids a set of files judges. */
export function plannedClauses(files: readonly PlannedFile[]): Set<string> {
  return new Set(files.flatMap((f) => f.units.flatMap((u) => u.clauseIds)));
}

/** Where the runner leaves the plan it started the files by, in the run's directory. */
export const PLAN_FILE = 'plan.json';

/**
 * A file's entry in the plan the runner wrote (the runner planned the run already: a worker need not
 * load every sequence file again to find its own entry); undefined when the run left none (a developer's
 * direct Jest run), where the caller plans for itself.
 */
export function plannedByRunner(observationsDir: string | undefined, name: string): PlannedFile | undefined | null {
  if (!observationsDir) return null;
  let files: PlannedFile[];
  try {
    files = JSON.parse(readFileSync(join(observationsDir, PLAN_FILE), 'utf8')) as PlannedFile[];
  } catch {
    return null;
  }
  return files.find((f) => f.name === name);
}
