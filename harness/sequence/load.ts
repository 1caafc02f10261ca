// Reads vectors/sequences/*.json and checks them before anything runs: a malformed vector is a
// harness error with its file named, never a silently skipped test.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../cmrp/package-info';
import { parseRoleRef, roleRefsIn } from './roles';
import type { Sequence, SequenceFile, Step } from './types';

export const SEQUENCES_DIR = resolve(packageRoot(), 'vectors/sequences');

export function loadSequenceFile(path: string): { file: SequenceFile; sequences: Sequence[] } {
  let file: SequenceFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as SequenceFile;
  } catch (error) {
    throw new Error(`${path}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sequences = Array.isArray(file.sequences) ? file.sequences : [];
  if (!sequences.length) throw new Error(`${path}: no sequences`);
  for (const sequence of sequences) {
    const problem = checkSequence(sequence);
    if (problem) throw new Error(`${path}: sequence '${sequence.id}': ${problem}`);
  }
  return { file, sequences };
}

export function loadAllSequences(dir = SEQUENCES_DIR): Sequence[] {
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => loadSequenceFile(join(dir, f)).sequences);
  const seen = new Set<string>();
  for (const s of all) {
    if (seen.has(s.id)) throw new Error(`sequence id '${s.id}' is used twice`);
    seen.add(s.id);
  }
  return all;
}

/** Every label is checked by some step, every checked label is declared. */
function checkSequence(sequence: Sequence): string | undefined {
  if (!sequence.id || !sequence.title) return 'id and title are required';
  const declared = new Set(Object.keys(sequence.clauses ?? {}));
  if (!declared.size) return 'it names no clause';
  const used = new Set(sequence.steps.flatMap(stepLabels));
  for (const label of used) if (!declared.has(label)) return `a step checks '${label}', which is not in its clauses`;
  for (const label of declared) if (!used.has(label)) return `clause label '${label}' is checked by no step`;
  for (const ref of roleRefsIn(sequence.steps)) {
    const parsed = parseRoleRef(ref);
    if ('problem' in parsed) return parsed.problem;
  }
  return undefined;
}

function stepLabels(step: Step): string[] {
  if ('repeat' in step) return step.steps.flatMap(stepLabels);
  if (!('check' in step) || step.check === undefined) return [];
  return Array.isArray(step.check) ? step.check : [step.check];
}
