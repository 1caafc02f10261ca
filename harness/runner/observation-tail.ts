// The observations the workers have appended so far, read while a run goes: for progress, and so that
// the run's final read finds only the tail still to parse (the CLI is otherwise idle while the workers
// run, and reading back some 12k observations after the last file was a fifth of a run's tail). Each
// call reads only what was appended since the last one: re-reading and re-parsing every file on each
// finished suite file made progress cost more CPU than the suites (quadratic in the run's size).
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../recorder/observation';
import { readObservations } from '../recorder/sink';

export class ObservationTail {
  private readonly offsets = new Map<string, number>();
  /**
   * The bytes of a line a worker was still writing when last read, completed by the next read. Kept as
   * bytes: a read may end inside a character of several bytes.
   */
  private readonly partial = new Map<string, Buffer>();
  private readonly seen: Observation[] = [];
  /** The line each observation of `seen` was parsed from, at the same index: the final order sorts by it. */
  private readonly lines: string[] = [];

  constructor(private readonly dir: string) {}

  /** A line did not parse: reading stops, and final() reads every file again the run's way. */
  private unreadable = false;

  /** Everything appended so far, in the workers' append order (the same array, grown). */
  read(): readonly Observation[] {
    if (this.unreadable) return this.seen;
    try {
      for (const name of readdirSync(this.dir).filter((f) => f.endsWith('.jsonl'))) this.readFile(name);
    } catch {
      this.unreadable = true;
    }
    return this.seen;
  }

  /**
   * Every observation of the run once the workers are gone, in the order of harness/recorder/sink.ts's
   * readObservations (sorted by line, so it does not depend on which worker made what): the same
   * observations, parsed once. A last line a worker left unfinished is parsed too, and fails as it would there.
   */
  final(): Observation[] {
    // A line that would not parse: the run's read reports it (readObservations), as if none was read here.
    this.read();
    if (this.unreadable) return readObservations(this.dir);
    for (const [name, rest] of this.partial) {
      if (!rest.length) continue;
      this.partial.set(name, Buffer.alloc(0));
      this.add(rest.toString('utf8'));
    }
    const order = this.lines.map((_, i) => i).sort((a, b) => (this.lines[a] < this.lines[b] ? -1 : this.lines[a] > this.lines[b] ? 1 : 0));
    return order.map((i) => this.seen[i]);
  }

  private add(line: string): void {
    this.seen.push(JSON.parse(line) as Observation);
    this.lines.push(line);
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
      const bytes = Buffer.concat([this.partial.get(name) ?? Buffer.alloc(0), buffer.subarray(0, got)]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      this.partial.set(name, Buffer.from(bytes.subarray(end)));
      for (const line of bytes.toString('utf8', 0, end).split('\n')) if (line) this.add(line);
    } finally {
      closeSync(fd);
    }
  }
}
