// What the model cannot see: the contents of each port's queue and how the server reads "unblock".
// Where the spec allows several answers the model keeps every server state consistent with what it
// has observed so far (a "world"), and an observation keeps only the worlds that allow it. Optional
// indications stay in the queue marked optional rather than splitting worlds up front: a read decides
// lazily whether they were there, so worlds only multiply where an observation is truly ambiguous.
import type { Batch, Entry } from './types';

/**
 * 'usable': after ApiUnblockGetNotifyCall the port works as before. 'closed': it counts as closed for
 * retrieval, later reads completing at once with ERROR_NO_MORE_ITEMS or ERROR_INVALID_FUNCTION. The
 * catalogue (3.1.4.x.66 R2, 3.1.4.x.107 R1) allows both.
 */
export type UnblockReading = 'usable' | 'closed';

export type ReadOutcome =
  | { kind: 'event'; entry: Entry }
  /**
   * A version 2 read completed with one or more entries from the head of `queue`, what the port held
   * then (which ones is judged when seen); what it did not take stays first in line.
   */
  | { kind: 'events'; queue: readonly Batch[] }
  | { kind: 'released'; by: 'unblock' | 'close' }
  | { kind: 'closed-port' }
  | { kind: 'timeout' };

/** The ApiGetNotify in flight: pending (with a v2 timer or not), or already completed with `done`. */
export interface Reader {
  port: number;
  timed: boolean;
  done?: ReadOutcome;
  /** ApiGetNotifyV2 on a version 2 port. */
  v2?: boolean;
}

export class World {
  constructor(
    readonly reading: UnblockReading,
    readonly queues: ReadonlyMap<number, readonly Batch[]> = new Map(),
    readonly unblocked: ReadonlySet<number> = new Set(),
    readonly reader?: Reader,
    /**
     * The unblock reading of version 2 ports, which a server may choose apart from version 1 ports';
     * undefined until a version 2 port is first unblocked (then the world splits in two).
     */
    readonly readingV2?: UnblockReading,
    /**
     * Set in the worlds where the server does not keep a SHOULD the model holds it to (today: version 3
     * CLUSTER_RECONNECT after lost indications, 3.1.4.x.66 / 2.2.2.7): the entry is optional there.
     * When only such worlds allow what a server did, the shortfall is recorded (NON-STRICT, never PASS)
     * and the run goes on (NotifyModel.judgeRead).
     */
    readonly shortfall = false,
  ) {}

  queue(port: number): readonly Batch[] {
    return this.queues.get(port) ?? [];
  }

  withQueue(port: number, queue: readonly Batch[]): World {
    const queues = new Map(this.queues);
    if (queue.length) queues.set(port, queue);
    else queues.delete(port);
    return new World(this.reading, queues, this.unblocked, this.reader, this.readingV2, this.shortfall);
  }

  withReader(reader: Reader | undefined): World {
    return new World(this.reading, this.queues, this.unblocked, reader, this.readingV2, this.shortfall);
  }

  withUnblocked(port: number): World {
    return new World(this.reading, this.queues, new Set([...this.unblocked, port]), this.reader, this.readingV2, this.shortfall);
  }

  withReadingV2(reading: UnblockReading): World {
    return new World(this.reading, this.queues, this.unblocked, this.reader, reading, this.shortfall);
  }

  withShortfall(): World {
    return new World(this.reading, this.queues, this.unblocked, this.reader, this.readingV2, true);
  }

  /** key(), made once: a world never changes, and dedupe asks each world's key after every step. */
  private memo?: string;

  /** Identity for deduplication: worlds that will answer every future call alike are one. */
  key(): string {
    return (this.memo ??= this.makeKey());
  }

  private makeKey(): string {
    const queues = [...this.queues.entries()].sort((a, b) => a[0] - b[0]).map(([p, q]) => `${p}:${q.map((b) => b.map(entryKey).sort().join(',')).join(';')}`);
    const reader = this.reader ? `${this.reader.port}/${this.reader.timed}/${this.reader.v2 ? 'v2' : 'v1'}/${this.reader.done ? outcomeKey(this.reader.done) : 'pending'}` : '-';
    return `${this.reading}/${this.readingV2 ?? '-'}|${queues.join('|')}|${[...this.unblocked].sort().join(',')}|${reader}`;
  }
}

function entryKey(e: Entry): string {
  return `${e.bit}/${e.key ?? '*'}/${e.name ?? '*'}/${e.optional ? '?' : '!'}/${e.origin}${e.v2 ? `/${e.v2.flags.join('|')}/${e.v2.state ?? ''}` : ''}`;
}

function outcomeKey(o: ReadOutcome): string {
  if (o.kind === 'events') return `events:${o.queue.map((b) => b.map(entryKey).sort().join(',')).join(';')}`;
  return o.kind === 'event' ? `event:${entryKey(o.entry)}` : o.kind === 'released' ? `released:${o.by}` : o.kind;
}

/** One world per identity; of two alike, the one that needs no shortfall is kept. */
export function dedupe(worlds: readonly World[]): World[] {
  const seen = new Map<string, World>();
  for (const w of worlds) {
    const key = w.key();
    const other = seen.get(key);
    if (!other || (other.shortfall && !w.shortfall)) seen.set(key, w);
  }
  return [...seen.values()];
}

/**
 * The ways the head of a queue can be taken: any entry of the first batch; or, when that batch holds
 * only optional entries (which then were never queued), any entry of the next one, and so on.
 */
export function heads(queue: readonly Batch[]): { entry: Entry; rest: Batch[] }[] {
  const out: { entry: Entry; rest: Batch[] }[] = [];
  for (let i = 0; i < queue.length; i++) {
    const batch = queue[i];
    const seen = new Set<string>();
    for (let j = 0; j < batch.length; j++) {
      const k = entryKey(batch[j]);
      if (seen.has(k)) continue;
      seen.add(k);
      const remaining = [...batch.slice(0, j), ...batch.slice(j + 1)];
      out.push({ entry: batch[j], rest: [...(remaining.length ? [remaining] : []), ...queue.slice(i + 1)] });
    }
    if (batch.some((e) => !e.optional)) break;
  }
  return out;
}

/** True when every entry still queued may be absent: the port may be empty. */
export function mayBeEmpty(queue: readonly Batch[]): boolean {
  return queue.every((b) => b.every((e) => e.optional));
}

/** Queues a batch on `port`, or hands one of its entries to a read pending there. */
export function post(world: World, port: number, batch: Batch): World[] {
  if (!batch.length) return [world];
  const reader = world.reader;
  if (!reader || reader.port !== port || reader.done) return [world.withQueue(port, [...world.queue(port), batch])];
  if (reader.v2) {
    // A pending ApiGetNotifyV2 completes with entries from the head once any arrives; an all-optional batch may not have.
    const out = [world.withReader({ ...reader, done: { kind: 'events', queue: [...world.queue(port), batch] } }).withQueue(port, [])];
    if (mayBeEmpty([batch])) out.push(world);
    return out;
  }
  const out: World[] = heads([batch]).map(({ entry, rest }) =>
    world.withReader({ ...reader, done: { kind: 'event', entry } }).withQueue(port, [...world.queue(port), ...rest]),
  );
  // Nothing of an all-optional batch arrived: the read stays pending.
  if (mayBeEmpty([batch])) out.push(world);
  return out;
}

/** ApiGetNotify starts: it completes at once from the queue (or a closed-for-retrieval port), or blocks. */
export function startRead(world: World, port: number, timed: boolean): World[] {
  if (world.reading === 'closed' && world.unblocked.has(port)) return [world.withReader({ port, timed, done: { kind: 'closed-port' } })];
  const queue = world.queue(port);
  const out = heads(queue).map(({ entry, rest }) => world.withReader({ port, timed, done: { kind: 'event', entry } }).withQueue(port, rest));
  if (mayBeEmpty(queue)) out.push(world.withQueue(port, []).withReader({ port, timed }));
  return out;
}

/** ApiGetNotifyV2 starts: it completes at once with what is queued (or a closed-for-retrieval status), or blocks. */
export function startReadV2(world: World, port: number): World[] {
  if (world.readingV2 === 'closed' && world.unblocked.has(port)) return [world.withReader({ port, timed: false, v2: true, done: { kind: 'closed-port' } })];
  const queue = world.queue(port);
  const out: World[] = [];
  if (queue.length) out.push(world.withQueue(port, []).withReader({ port, timed: false, v2: true, done: { kind: 'events', queue } }));
  if (mayBeEmpty(queue)) out.push(world.withQueue(port, []).withReader({ port, timed: false, v2: true }));
  return out;
}

/**
 * The port's queue is flushed (ApiCloseNotify, lost events) while a version 2 read that has completed
 * is not yet judged: what it did not take may have been flushed too.
 */
export function flushCompletedV2(world: World, port: number): World {
  const r = world.reader;
  if (!r || r.port !== port || !r.v2 || r.done?.kind !== 'events') return world;
  const queue = r.done.queue.map((b) => b.map((e) => ({ ...e, optional: true })));
  return world.withReader({ ...r, done: { kind: 'events', queue } });
}

/**
 * The worlds in which a version 2 read took `list`, in order, from the head of the queue (3.1.1.8:
 * the events at the head; 3.1.4.2.138 allows the rest to follow in later reads), with the entry each
 * notification was taken as.
 */
export function takeV2<N>(queue: readonly Batch[], list: readonly N[], fits: (e: Entry, n: N) => boolean): { rest: Batch[]; taken: Entry[] }[] {
  let states: { rest: Batch[]; taken: Entry[] }[] = [{ rest: [...queue], taken: [] }];
  for (const n of list) {
    const next: { rest: Batch[]; taken: Entry[] }[] = [];
    for (const st of states) {
      for (const h of heads(st.rest)) if (fits(h.entry, n)) next.push({ rest: h.rest, taken: [...st.taken, h.entry] });
    }
    const seen = new Set<string>();
    states = next.filter((st) => {
      const k = `${st.rest.map((b) => b.map(entryKey).sort().join(',')).join(';')}#${st.taken.map((e) => e.origin).join(';')}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (!states.length) break;
  }
  return states;
}

/** ApiUnblockGetNotifyCall on a live version 2 port: as unblock(), under either reading of version 2 ports. */
export function unblockV2(world: World, port: number): World[] {
  const worlds = world.readingV2 ? [world] : [world.withReadingV2('usable'), world.withReadingV2('closed')];
  return worlds.map((w) => unblock(w, port));
}

/** ApiUnblockGetNotifyCall on a live port: releases a pending read; the port may now count as closed. */
export function unblock(world: World, port: number): World {
  const w = world.withUnblocked(port);
  const r = w.reader;
  return r && r.port === port && !r.done ? w.withReader({ ...r, done: { kind: 'released', by: 'unblock' } }) : w;
}

/** ApiCloseNotify on a live port: undelivered indications are flushed and a pending read released. */
export function close(world: World, port: number): World {
  const w = flushCompletedV2(world, port).withQueue(port, []);
  const r = w.reader;
  return r && r.port === port && !r.done ? w.withReader({ ...r, done: { kind: 'released', by: 'close' } }) : w;
}

/** The outcome a read has in a world when the harness stops waiting for it. */
export function settle(world: World): ReadOutcome | 'pending' {
  const r = world.reader;
  if (!r) throw new Error('no read in flight');
  if (r.done) return r.done;
  return r.timed ? { kind: 'timeout' } : 'pending';
}
