// When no world the model keeps allows what a read returned, which clause did the server break? The
// answer is a best explanation, ranked from the most specific evidence (a forbidden value, an
// indication that exists but further back in the queue) to the most general.
import { CLUSTER_CHANGE as C, ERROR, type ProtocolVersion } from '../../cmrp/constants';
import type { ClauseRef } from './clauses';
import { forbiddenBits, isSingleBit } from './bits';
import { eventOf, type Observed } from './observed';
import { CHANGE, CLOSE, GET, PORT, UNBLOCK } from './refs';
import type { Claim, Entry, FilterModel } from './types';
import { settle, type ReadOutcome, type World } from './world';

export function entryMatches(e: Entry, o: Observed): boolean {
  if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) return false;
  const ev = eventOf(o);
  return ev.dwFilter === e.bit && (e.key === undefined || ev.dwNotifyKey === e.key >>> 0) && (e.name === undefined || ev.Name.toLowerCase() === e.name.toLowerCase());
}

const CLOSE_RELEASE = new Set<number>([ERROR.INVALID_FUNCTION, ERROR.NO_MORE_ITEMS, ERROR.INVALID_HANDLE]);
const CLOSED_PORT = new Set<number>([ERROR.NO_MORE_ITEMS, ERROR.INVALID_FUNCTION]);

/** Does a read whose outcome in some world is `outcome` allow the observation? */
export function allows(outcome: ReadOutcome | 'pending', o: Observed): boolean {
  if (outcome === 'pending') return o.kind === 'pending';
  switch (outcome.kind) {
    case 'event':
      return entryMatches(outcome.entry, o);
    case 'events':
      // The notifications themselves are judged against the queue by the caller (oracle judgeReadV2).
      return o.kind === 'reply' && o.status === ERROR.SUCCESS && Array.isArray(o.out.Notifications) && o.out.Notifications.length > 0;
    case 'released':
      // 3.1.4.x.66: released by an unblock -> ERROR_INVALID_FUNCTION; by a close -> that or
      // ERROR_NO_MORE_ITEMS, or once the handle is run down ERROR_INVALID_HANDLE or a fault.
      if (outcome.by === 'unblock') return o.kind === 'reply' && o.status === ERROR.INVALID_FUNCTION;
      return o.kind === 'fault' || (o.kind === 'reply' && CLOSE_RELEASE.has(o.status));
    case 'closed-port':
      return o.kind === 'reply' && CLOSED_PORT.has(o.status);
    case 'timeout':
      return o.kind === 'reply' && o.status === ERROR.WAIT_TIMEOUT;
  }
}

export function describeOutcome(outcome: ReadOutcome | 'pending'): string {
  if (outcome === 'pending') return 'the read still pending';
  switch (outcome.kind) {
    case 'event':
      return `${outcome.entry.optional ? '(possibly) ' : ''}${outcome.entry.origin}`;
    case 'events': {
      const queued = outcome.queue.flat();
      return `ERROR_SUCCESS with notifications from the head of the queue [${queued.map((e) => `${e.optional ? '(possibly) ' : ''}${e.origin}`).join('; ')}]`;
    }
    case 'released':
      return outcome.by === 'unblock'
        ? 'ERROR_INVALID_FUNCTION (released by ApiUnblockGetNotifyCall)'
        : 'ERROR_INVALID_FUNCTION or ERROR_NO_MORE_ITEMS (released by ApiCloseNotify)';
    case 'closed-port':
      return 'ERROR_NO_MORE_ITEMS or ERROR_INVALID_FUNCTION (port closed for retrieval by an earlier unblock)';
    case 'timeout':
      return 'WAIT_TIMEOUT (nothing queued before the Timeout expired)';
  }
}

export interface ReadContext {
  version: ProtocolVersion;
  filters: readonly FilterModel[];
  claims: readonly Claim[];
}

export interface Diagnosis {
  refs: ClauseRef[];
  /**
   * The read returned an indication the model expected only later, skipping `skipped`: either the
   * queue is not first-in first-out, or `skipped` was never queued. Reading on tells which.
   */
  skipped?: Entry;
}

/** The clauses a read's observation breaks, given the worlds the model kept before it. */
export function diagnoseRead(worlds: readonly World[], o: Observed, ctx: ReadContext): Diagnosis {
  const refs = diagnose(worlds, o, ctx);
  return Array.isArray(refs) ? { refs } : refs;
}

function diagnose(worlds: readonly World[], o: Observed, ctx: ReadContext): ClauseRef[] | Diagnosis {
  const outcomes = worlds.map((w) => ({ w, outcome: settle(w) }));
  if (o.kind === 'reply' && o.status === ERROR.SUCCESS) {
    const ev = eventOf(o);
    const forbidden = ev.dwFilter & forbiddenBits(ctx.version);
    if (forbidden) {
      const refs: ClauseRef[] = [GET.forbidden];
      if (forbidden & C.REGISTRY_SUBTREE) refs.push(CHANGE.subtreeClientOnly);
      if (forbidden & C.CLUSTER_STATE) refs.push(CHANGE.clusterStateClientOnly);
      if (forbidden & C.HANDLE_CLOSE) refs.push(CHANGE.handleCloseClientOnly);
      if (forbidden & C.CLUSTER_RECONNECT) refs.push(CHANGE.reconnectDropped);
      return isSingleBit(ev.dwFilter) ? refs : [...refs, CHANGE.oneValue];
    }
    if (ev.dwFilter === 0 && outcomes.some(({ outcome }) => outcome !== 'pending' && outcome.kind === 'released')) {
      return [GET.released];
    }
    if (!isSingleBit(ev.dwFilter)) return [CHANGE.oneValue, CHANGE.reserved, GET.type];
    const registered = ctx.filters.some((f) => (f.bits & ev.dwFilter) !== 0);
    if (!registered && !(ctx.version === 3 && ev.dwFilter === C.CLUSTER_RECONNECT)) {
      const claimed = claimsFor(ctx.claims, ev);
      return claimed.length ? claimed : [GET.matches];
    }
    // A registration promised not to deliver exactly this, and no world holds it for another one: two
    // registrations with one key can make one of them deliver what the other promised not to.
    const broken = claimsFor(ctx.claims, ev);
    const queues = outcomes.map(({ w, outcome }) => queuedIn(w, outcome));
    if (broken.length && !queues.some(({ candidates }) => candidates.some((e) => entryMatches(e, o)))) return broken;
    for (const { expected, behind, candidates } of queues) {
      // The indication exists, but behind another: the queue is not read first-in first-out.
      if (expected && behind.some((e) => entryMatches(e, o))) return { refs: [GET.first, PORT.fifo, PORT.head], skipped: expected };
      const sameName = (e: Entry) => e.name === undefined || e.name.toLowerCase() === ev.Name.toLowerCase();
      const wrongKey = candidates.find((e) => e.bit === ev.dwFilter && e.key !== undefined && e.key !== ev.dwNotifyKey && sameName(e));
      if (wrongKey) return [...wrongKey.keyWhy, PORT.contextBack];
      const wrongName = candidates.find((e) => e.bit === ev.dwFilter && (e.key === undefined || e.key === ev.dwNotifyKey) && !sameName(e));
      if (wrongName) return [GET.name, PORT.carriesName];
    }
    // An indication the model cannot place: the one(s) it expected were not queued, or came out of order.
    const expected = outcomes.flatMap(({ outcome }) => (outcome !== 'pending' && outcome.kind === 'event' ? outcome.entry.why : []));
    return [...new Set([...expected, GET.first, PORT.head])];
  }

  // No indication came: what did the model expect instead?
  const missing = outcomes.map(({ outcome }) => outcome).filter((x): x is ReadOutcome => x !== 'pending');
  const events = missing.filter((x): x is Extract<ReadOutcome, { kind: 'event' }> => x.kind === 'event');
  if (events.length && missing.length === events.length) return [...new Set(events.flatMap((e) => e.entry.why))];
  const first = missing[0];
  if (!first) {
    // The model expected the read to stay pending and it completed with a status.
    return [GET.blocks];
  }
  switch (first.kind) {
    case 'released':
      if (o.kind === 'pending') return first.by === 'unblock' ? [UNBLOCK.completes, GET.released] : [CLOSE.completes, CLOSE.unblocks];
      return first.by === 'unblock' ? [GET.released] : [CLOSE.completes, GET.released];
    case 'timeout':
      return [GET.timerStarts, GET.noIndication, GET.expired, GET.expiry, GET.bounds];
    case 'closed-port':
      return [GET.closedPort];
    case 'event':
      return [...first.entry.why];
    case 'events':
      return [GET.first, PORT.head];
  }
}

/** What a world expects the read to return, what it holds behind that, and both in queue order. */
function queuedIn(w: World, outcome: ReturnType<typeof settle>): { expected?: Entry; behind: Entry[]; candidates: Entry[] } {
  const expected = outcome !== 'pending' && outcome.kind === 'event' ? outcome.entry : undefined;
  const behind = w.reader ? w.queue(w.reader.port).flat() : [];
  return { expected, behind, candidates: expected ? [expected, ...behind] : behind };
}

function claimsFor(claims: readonly Claim[], ev: { dwFilter: number; Name: string; dwNotifyKey: number }): ClauseRef[] {
  const hit = claims.filter(
    (c) => c.bit === ev.dwFilter && (c.name === undefined || c.name.toLowerCase() === ev.Name.toLowerCase()) && (c.key === undefined || c.key === ev.dwNotifyKey),
  );
  return [...new Set(hit.flatMap((c) => c.refs))];
}
