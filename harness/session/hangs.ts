// Hangs remembered across a run: once a method has outlived its call timeout on the target, later calls
// of it are given a short grace instead of the full timeout (they still end in ERROR, never PASS, when
// they do not answer). Two methods hung means the target as a whole hangs. A run's Jest workers share
// the record through a file in the run's directory; in-process runs keep it in memory.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HangRegistry {
  /** The call that already hung on `method` (or on any method, once the target hangs as a whole). */
  earlier(method: string): string | undefined;
  record(method: string, label: string): void;
  /** A call of `method` the suite gave up on answered after all: the target is slow there, not hung. */
  forget(method: string): void;
}

interface Hang {
  method: string;
  label: string;
  /** A line that takes back the earlier hangs of the method. */
  forget?: true;
}

/** The hangs still standing after the records in order (a forget takes back the method's earlier ones). */
function standing(records: readonly Hang[]): Hang[] {
  let hangs: Hang[] = [];
  for (const r of records) hangs = r.forget ? hangs.filter((h) => h.method !== r.method) : [...hangs, r];
  return hangs;
}

function lookup(hangs: readonly Hang[], method: string): string | undefined {
  const same = hangs.find((h) => h.method === method);
  if (same) return same.label;
  const methods = new Set(hangs.map((h) => h.method));
  return methods.size >= 2 ? `${hangs[0].label}, then ${hangs.find((h) => h.method !== hangs[0].method)!.label}` : undefined;
}

export function memoryHangs(): HangRegistry {
  const records: Hang[] = [];
  return {
    earlier: (method) => lookup(standing(records), method),
    record: (method, label) => void records.push({ method, label }),
    forget: (method) => void records.push({ method, label: '', forget: true }),
  };
}

// Not .jsonl: the runner reads every .jsonl file of the directory as observations.
const HANGS_FILE = 'hangs.log';

/** Shared by every worker of a run through `dir`; read only when a call is already late. */
export function fileHangs(dir: string): HangRegistry {
  const file = join(dir, HANGS_FILE);
  const read = (): Hang[] => {
    try {
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Hang);
    } catch {
      return [];
    }
  };
  const append = (hang: Hang) => appendFileSync(file, `${JSON.stringify(hang)}\n`);
  return {
    earlier: (method) => lookup(standing(read()), method),
    record: (method, label) => append({ method, label }),
    forget: (method) => append({ method, label: '', forget: true }),
  };
}

/** The run's registry: shared through the run directory when there is one. */
export function runHangs(dir: string | undefined): HangRegistry {
  return dir ? fileHangs(dir) : memoryHangs();
}
