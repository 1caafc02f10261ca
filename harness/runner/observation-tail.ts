// The observations the workers have appended so far, for progress while a run goes. Each call reads only
// what was appended since the last one: re-reading and re-parsing every file on each finished suite file
// made progress cost more CPU than the suites (quadratic in the run's size). Order is the workers'
// append order; the run's final, ordered read stays harness/recorder/sink.ts's readObservations.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../recorder/observation';

export class ObservationTail {
  private readonly offsets = new Map<string, number>();
  /** A line a worker was still writing when last read: completed by the next read. */
  private readonly partial = new Map<string, string>();
  private readonly seen: Observation[] = [];

  constructor(private readonly dir: string) {}

  /** Everything appended so far (the same array, grown). */
  read(): readonly Observation[] {
    for (const name of readdirSync(this.dir).filter((f) => f.endsWith('.jsonl'))) this.readFile(name);
    return this.seen;
  }

  private readFile(name: string): void {
    const fd = openSync(join(this.dir, name), 'r');
    try {
      const from = this.offsets.get(name) ?? 0;
      const size = fstatSync(fd).size;
      if (size <= from) return;
      const buffer = Buffer.alloc(size - from);
      const got = readSync(fd, buffer, 0, buffer.length, from);
      this.offsets.set(name, from + got);
      const lines = ((this.partial.get(name) ?? '') + buffer.toString('utf8', 0, got)).split('\n');
      this.partial.set(name, lines.pop() ?? '');
      for (const line of lines) if (line) this.seen.push(JSON.parse(line) as Observation);
    } finally {
      closeSync(fd);
    }
  }
}
