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
}

interface Hang {
  method: string;
  label: string;
}

function lookup(hangs: readonly Hang[], method: string): string | undefined {
  const same = hangs.find((h) => h.method === method);
  if (same) return same.label;
  const methods = new Set(hangs.map((h) => h.method));
  return methods.size >= 2 ? `${hangs[0].label}, then ${hangs.find((h) => h.method !== hangs[0].method)!.label}` : undefined;
}

export function memoryHangs(): HangRegistry {
  const hangs: Hang[] = [];
  return {
    earlier: (method) => lookup(hangs, method),
    record: (method, label) => void hangs.push({ method, label }),
  };
}

const HANGS_FILE = 'hangs.jsonl';

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
  return {
    earlier: (method) => lookup(read(), method),
    record: (method, label) => appendFileSync(file, `${JSON.stringify({ method, label })}\n`),
  };
}

/** The run's registry: shared through the run directory when there is one. */
export function runHangs(dir: string | undefined): HangRegistry {
  return dir ? fileHangs(dir) : memoryHangs();
}
