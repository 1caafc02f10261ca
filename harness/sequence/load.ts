// Reads vectors/sequences/*.json and checks them before anything runs, with the file and the step named
// on one line: the schema (vectors/sequences.schema.json: no unknown key, no wrong type), then what a
// schema cannot say (check.ts). Clause names are resolved here, through the catalogue, into the ids
// each protocol version means; a broken file is a DataFileError (exit 2), never a skipped or PASSed step.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataFileError, dataChecked, describeSchemaErrors, displayPath, readJsonFile, schemaValidator } from '../catalogue/data-file';
import { catalogueNames, type ClauseNames } from '../catalogue/names';
import { packageRoot } from '../../cmrp/package-info';
import { checkSequence } from './check';
import type { ClauseMap, Sequence, SequenceFile } from './types';

export const SEQUENCES_DIR = resolve(packageRoot(), 'vectors/sequences');
export const SEQUENCES_SCHEMA = 'vectors/sequences.schema.json';

/** "sequence 'id', step 3" for a JSON pointer into a sequence file. */
function place(data: unknown, pointer: string): string {
  const m = /^\/sequences\/(\d+)(?:\/steps\/(\d+))?(\/.*)?$/.exec(pointer);
  if (!m) return pointer || '(top level)';
  const sequence = (data as { sequences: { id?: unknown }[] }).sequences[Number(m[1])];
  const id = typeof sequence?.id === 'string' ? `sequence '${sequence.id}'` : `sequence ${Number(m[1]) + 1}`;
  const step = m[2] !== undefined ? `, step ${Number(m[2]) + 1}` : '';
  const rest = m[3] ? ` (${m[3].slice(1)})` : '';
  return `${id}${step}${rest}`;
}

/** Schema-checks the parsed text of a sequence file; throws a DataFileError naming file and step. */
export function validateSequenceData(data: unknown, shown: string): SequenceFile {
  const validate = schemaValidator(SEQUENCES_SCHEMA);
  if (!validate(data)) {
    const { instancePath, detail } = describeSchemaErrors(validate.errors ?? []);
    throw new DataFileError(`${shown}: ${place(data, instancePath)}: ${detail}`);
  }
  return data as SequenceFile;
}

export function loadSequenceFile(path: string, names: ClauseNames = catalogueNames()): { file: SequenceFile; sequences: Sequence[] } {
  const shown = displayPath(path);
  // Within a run the CLI has checked every file before the workers started (harness/cli/deps.ts).
  const trusted = dataChecked();
  const file = trusted ? (readJsonFile(path) as SequenceFile) : validateSequenceData(readJsonFile(path), shown);
  const seen = new Set<string>();
  const sequences = file.sequences.map((source, index) => {
    if (seen.has(source.id)) throw new DataFileError(`${shown}: sequence '${source.id}': the id is used twice in this file`);
    seen.add(source.id);
    const problem = trusted ? undefined : checkSequence(source, names);
    if (problem) throw new DataFileError(`${shown}: ${place(file, `/sequences/${index}${problem.step !== undefined ? `/steps/${problem.step}` : ''}`)}: ${problem.message}`);
    const clauses: ClauseMap = {};
    for (const [label, name] of Object.entries(source.clauses)) clauses[label] = names.ids(name);
    return { ...source, clauses } as Sequence;
  });
  return { file, sequences };
}

/** Every sequence file of the directory (not its families/ templates), checked; ids are unique across files. */
export function loadAllSequences(dir = SEQUENCES_DIR, names: ClauseNames = catalogueNames()): Sequence[] {
  const origin = new Map<string, string>();
  const all: Sequence[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    for (const s of loadSequenceFile(join(dir, f), names).sequences) {
      const first = origin.get(s.id);
      if (first) throw new DataFileError(`${displayPath(join(dir, f))}: sequence '${s.id}': the id is also used in ${first}`);
      origin.set(s.id, f);
      all.push(s);
    }
  }
  return all;
}
