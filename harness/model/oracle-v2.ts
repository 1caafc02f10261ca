// The oracle's judgements of version 2 port calls (3.1.4.2.136-138 and the version 2 rows of .57,
// .107 and 3.1.1.8): ApiCreateNotifyV2, ApiAddNotifyV2 (its parameter checks included), the
// NOTIFICATION_RPC entries a stimulus queues, and ApiGetNotifyV2, which takes one or more entries from
// the head of the queue at once. Functions of the NotifyModel, kept apart so oracle.ts stays about
// version 1 ports.
import { CLUSTER_CHANGE_CLUSTER_V2 as CL, CLUSTER_OBJECT_TYPE as OT, ERROR } from '../../cmrp/constants';
import type { NotificationV2 } from '../../cmrp/contract';
import type { ClauseRef } from './clauses';
import { uniqueRefs } from './clauses';
import { allows, describeOutcome } from './diagnose';
import { describeObserved, failed, isNullHandle, passed, type Observed, type Verdict } from './observed';
import type { ClusterModel } from './cluster';
import type { PortModel } from './port';
import { PORT } from './refs';
import { ADD2, CLOSE2, CREATE2, GET2, PORT2, TABLE, UNBLOCK2, V2_SECTIONS } from './refs-v2';
import type { Claim, Entry, HandleKind, InternalEvent } from './types';
import {
  IdBook,
  dataProblem, describeExpect, describeNotifications, matchV2, notificationMatches, passRefs, staticProblem, v2EventsOf,
  type V2Filter, type V2Scope,
} from './v2';
import { dedupe, flushCompletedV2, post, settle, takeV2, type ReadOutcome, type World } from './world';

/** What these judgements need of the NotifyModel (oracle.ts), which calls them. */
export interface NotifyModel {
  worlds: World[];
  ids: IdBook;
  /** Version 2 events of which some entry has been read (and a counter naming the next one). */
  readonly deliveredV2: Set<number>;
  eventsV2: number;
  readonly access: 'full' | 'read';
  readonly cluster: ClusterModel;
  acceptance(section: string): ClauseRef[];
  badCall(o: Observed, args: { id: string; expected: HandleKind; refs: ClauseRef[] }[], section: string): Verdict | undefined;
  portOf(id: string): PortModel | undefined;
  newPort(name?: string, version?: 1 | 2): PortModel;
  vindicate(port: PortModel): ClauseRef[];
}

/** The server-state and access-level rows a processed call of a version 2 method confirms. */
export function acceptanceV2(m: NotifyModel, section: string): ClauseRef[] {
  const refs = m.acceptance(section);
  if (section === V2_SECTIONS.get && m.access === 'read') refs.push(GET2.readAccess);
  return refs;
}

export function judgeCreateV2(m: NotifyModel, o: Observed, name?: string): Verdict & { port?: PortModel } {
  const bad = m.badCall(o, [], V2_SECTIONS.create);
  if (bad) return bad;
  const acceptance = acceptanceV2(m, V2_SECTIONS.create);
  if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) {
    return failed([CREATE2.success, ...acceptance], `ApiCreateNotifyV2: expected ERROR_SUCCESS and a port handle, observed ${describeObserved(o)}`);
  }
  if (isNullHandle(o.out.hNotify)) return failed([CREATE2.handle], 'ApiCreateNotifyV2 returned ERROR_SUCCESS with a NULL handle');
  return { ...passed([CREATE2.success, CREATE2.handle, CREATE2.creates, PORT2.version, ...acceptance]), port: m.newPort(name, 2) };
}

/** What an ApiAddNotifyV2 call sends, as the model needs it. */
export interface AddV2Call {
  portId: string;
  objectId: string;
  /** The handle kind hObject must be for this type and isTargetedAtObject. */
  objectKind: HandleKind;
  dwObjectType: number;
  flags: number;
  key: number;
  /** What the registration watches when accepted. */
  scope: V2Scope;
  /** The one parameter made invalid on purpose, if any: the server must refuse with ERROR_INVALID_PARAMETER. */
  invalid?: 'dwVersion' | 'objectType' | 'flags';
}

const INVALID_REFS = { dwVersion: ADD2.badVersion, objectType: ADD2.badType, flags: ADD2.badFlags } as const;

export function judgeAddV2(m: NotifyModel, call: AddV2Call, o: Observed): Verdict {
  const bad = m.badCall(
    o,
    [
      { id: call.portId, expected: 'notify', refs: [ADD2.badNotify] },
      { id: call.objectId, expected: call.objectKind, refs: [ADD2.badObject] },
    ],
    V2_SECTIONS.add,
  );
  if (bad) return bad;
  const acceptance = acceptanceV2(m, V2_SECTIONS.add);
  if (call.invalid) {
    const refs = [INVALID_REFS[call.invalid]];
    if (o.kind === 'reply' && o.status === ERROR.INVALID_PARAMETER) return passed(refs);
    return failed(refs, `ApiAddNotifyV2 with an invalid ${call.invalid}: expected ERROR_INVALID_PARAMETER, observed ${describeObserved(o)}`);
  }
  if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) {
    return failed([ADD2.success, ...acceptance], `ApiAddNotifyV2: expected ERROR_SUCCESS, observed ${describeObserved(o)}`);
  }
  const port = m.portOf(call.portId)!;
  port.filtersV2.push({ id: port.filtersV2.length + 1, dwObjectType: call.dwObjectType, flags: call.flags, key: call.key >>> 0, scope: call.scope, handle: call.objectId, orphaned: false });
  const pass: ClauseRef[] = [ADD2.success, ...acceptance];
  if (port.filtersV2.length > 1) pass.push(PORT.manyFilters);
  return passed(pass);
}

/** The entries one stimulus queues on a version 2 port (one per matching registration), and its promises. */
export function indicationsV2(m: NotifyModel, port: PortModel, events: readonly InternalEvent[]): { batch: Entry[]; claims: Claim[] } {
  const batch: Entry[] = [];
  const claims: Claim[] = [];
  for (const ev of events) {
    for (const v2 of v2EventsOf(ev, m.cluster)) {
      const event = ++m.eventsV2;
      if (!port.filtersV2.length) {
        claims.push({ bit: ev.bit, refs: [CREATE2.nothingBeforeFilter], what: `${describeExpect(v2.expect)} before the port had any registration` });
        continue;
      }
      const hits = port.filtersV2.map((f) => ({ f, m: matchV2(f, v2) })).filter((h): h is { f: V2Filter; m: Exclude<ReturnType<typeof matchV2>, { kind: 'no' }> } => h.m.kind !== 'no');
      for (const h of hits) {
        batch.push({
          bit: ev.bit,
          key: h.f.key,
          name: v2.expect.name,
          optional: h.m.kind === 'maybe',
          why: uniqueRefs([...h.m.why, ...(hits.length > 1 ? [PORT.manyFilters, ADD2.key, GET2.key] : [])]),
          keyWhy: [ADD2.key, GET2.key, PORT2.context, PORT.contextBack],
          origin: `${describeExpect({ ...v2.expect, flags: h.m.flags })} via registration #${h.f.id} (key ${h.f.key})`,
          v2: { ...v2.expect, flags: h.m.flags },
          event,
        });
      }
    }
  }
  return { batch, claims };
}

/**
 * DropEvents on a version 2 port: the queue is lost; a registration for CLUSTER_CHANGE_CLUSTER_LOST_NOTIFICATIONS_V2
 * may be told so (no clause makes it a MUST).
 */
export function dropEventsV2(m: NotifyModel, port: PortModel): void {
  const lost = port.filtersV2.filter((f) => f.dwObjectType === OT.CLUSTER && (f.flags & CL.LOST_NOTIFICATIONS) !== 0);
  const entries: Entry[] = lost.map((f) => ({
    bit: 0,
    key: f.key,
    optional: true,
    why: [],
    keyWhy: [ADD2.key, GET2.key, PORT2.context],
    origin: `CLUSTER LOST_NOTIFICATIONS via registration #${f.id} (key ${f.key})`,
    v2: { dwObjectType: OT.CLUSTER, flags: [CL.LOST_NOTIFICATIONS], objectId: 'any', parentId: 'any', type: 'any' },
  }));
  m.worlds = dedupe(m.worlds.flatMap((w) => post(flushCompletedV2(w, port.index).withQueue(port.index, []), port.index, entries)));
}

const READ_STATUSES: ReadonlySet<number> = new Set([ERROR.SUCCESS, ERROR.INVALID_FUNCTION, ERROR.NO_MORE_ITEMS, ERROR.INVALID_HANDLE]);

function notificationsOf(o: Observed): NotificationV2[] | undefined {
  if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) return undefined;
  return Array.isArray(o.out.Notifications) ? (o.out.Notifications as NotificationV2[]) : [];
}

function describeV2(o: Observed): string {
  const list = notificationsOf(o);
  return list ? `ERROR_SUCCESS with ${describeNotifications(list)}` : describeObserved(o);
}

/** The ApiGetNotifyV2 in flight on a version 2 port completed (or was given up on: `pending`). */
export function judgeReadV2(m: NotifyModel, port: PortModel, o: Observed): Verdict {
  const before = m.worlds;
  const list = notificationsOf(o);
  const call = `ApiGetNotifyV2(${port.handle})`;
  const clear = (): void => {
    m.worlds = before.map((w) => w.withReader(undefined));
  };
  for (const n of list ?? []) {
    const p = staticProblem(n, port.filtersV2);
    if (p) {
      clear();
      return failed(p.refs, `${call} returned ${describeNotifications([n])}: ${p.message}`);
    }
  }
  const fits = (e: Entry, n: NotificationV2) => e.v2 !== undefined && notificationMatches(e.v2, e.key, n);
  const kept: { world: World; taken: Entry[]; outcome: ReadOutcome | 'pending' }[] = [];
  for (const w of before) {
    const outcome = settle(w);
    if (outcome !== 'pending' && outcome.kind === 'events') {
      if (!list?.length) continue;
      const after = w.withReader(undefined);
      for (const st of takeV2(outcome.queue, list, fits)) {
        // What the read did not take is still first in line, ahead of what came since.
        if (st.taken.length === list.length) kept.push({ world: after.withQueue(port.index, [...st.rest, ...after.queue(port.index)]), taken: st.taken, outcome });
      }
    } else if (allows(outcome, o)) kept.push({ world: w.withReader(undefined), taken: [], outcome });
  }
  if (!kept.length) {
    clear();
    if (o.kind === 'reply' && !READ_STATUSES.has(o.status)) return failed([GET2.success, ...acceptanceV2(m, V2_SECTIONS.get)], `${call} was not processed: ${describeObserved(o)}`);
    const expected = [...new Set(before.map((w) => describeOutcome(settle(w))))];
    const refs = diagnoseV2(before, port, o, list, fits, m.deliveredV2);
    return failed(refs, `${call}: expected ${expected.length > 1 ? `one of [${expected.join('; ')}]` : expected[0]}, observed ${describeV2(o)}`);
  }
  // The data fields: IDs learned once per object must agree; the first assignment that passes is kept.
  let problem: { refs: ClauseRef[]; message: string } | undefined;
  let chosen: (typeof kept)[number] | undefined;
  for (const st of kept) {
    const book = m.ids.clone();
    const p = st.taken.map((e, i) => dataProblem(e.v2!, list![i], book, e.v2!.resource ? m.cluster.object('resource', e.v2!.resource).group : undefined)).find(Boolean);
    if (!p) {
      chosen = st;
      m.ids = book;
      break;
    }
    problem ??= p;
  }
  if (!chosen) {
    clear();
    return failed(problem!.refs, `${call} returned ${describeV2(o)}: ${problem!.message}`);
  }
  m.worlds = dedupe(kept.map((k) => k.world));
  for (const e of chosen.taken) if (e.event !== undefined) m.deliveredV2.add(e.event);
  const outcome = chosen.outcome;
  if (outcome === 'pending') return passed([]);
  switch (outcome.kind) {
    case 'events': {
      const refs: ClauseRef[] = [
        GET2.success, GET2.returns, GET2.batch, GET2.onlyRegistered, GET2.clientOnly, GET2.data, CREATE2.queue, PORT2.head, PORT.fifo,
        ...acceptanceV2(m, V2_SECTIONS.get),
      ];
      for (const e of chosen.taken) refs.push(...e.why, ...e.keyWhy, ...passRefs(e.v2!));
      return passed(uniqueRefs(refs));
    }
    case 'released': {
      const pass = outcome.by === 'unblock' ? [GET2.released, UNBLOCK2.completes, GET2.blocks] : [CLOSE2.completes, PORT2.closeUnblocks, GET2.blocks];
      if (outcome.by === 'close' && o.kind === 'reply' && o.status === ERROR.INVALID_FUNCTION) pass.push(GET2.released);
      return passed([...pass, ...m.vindicate(port)]);
    }
    // A read after an unblock that closed the port for retrieval (3.1.4.2.138 R25 is not judged: only a race with ApiCloseNotify reaches it).
    default:
      return passed([]);
  }
}

/** Which clause a read no world allows breaks: the most specific evidence first. */
function diagnoseV2(
  worlds: readonly World[],
  port: PortModel,
  o: Observed,
  list: NotificationV2[] | undefined,
  fits: (e: Entry, n: NotificationV2) => boolean,
  delivered: ReadonlySet<number>,
): ClauseRef[] {
  const outcomes = worlds.map((w) => ({ w, outcome: settle(w) }));
  const queued = (w: World) => {
    const done = w.reader?.done;
    return [...(done?.kind === 'events' ? done.queue.flat() : []), ...w.queue(port.index).flat()];
  };
  if (list) {
    if (!list.length) return [GET2.blocks];
    const all = worlds.flatMap(queued);
    for (const n of list) {
      if (all.some((e) => fits(e, n))) continue;
      if (!port.filtersV2.length) return [CREATE2.nothingBeforeFilter];
      const sameEvent = (e: Entry) => e.v2 !== undefined && notificationMatches(e.v2, undefined, n);
      const wrongKey = all.find(sameEvent);
      if (wrongKey) return [...wrongKey.keyWhy];
      const looseName = all.find((e) => e.v2 && notificationMatches({ ...e.v2, name: undefined, state: undefined }, e.key, n));
      if (looseName) {
        const table = TABLE[looseName.v2!.dwObjectType];
        const nameDiffers = looseName.v2!.name !== undefined && (n.Name ?? '').toLowerCase() !== looseName.v2!.name.toLowerCase();
        return [table, nameDiffers ? PORT2.name : PORT2.buffer];
      }
      // An event of a registered type the model did not expect on this port: outside every registration's scope.
      return [PORT.classOrObject, ADD2.registers];
    }
    // Every notification is one the model expected: one registration's entry missing while its sibling
    // (the same event, another registration) came is a merged notification; else the order is wrong.
    for (const { outcome } of outcomes) {
      if (outcome === 'pending' || outcome.kind !== 'events') continue;
      const byEvent = new Map<number, Entry[]>();
      for (const e of outcome.queue.flat()) if (e.event !== undefined && !e.optional) byEvent.set(e.event, [...(byEvent.get(e.event) ?? []), e]);
      for (const entries of byEvent.values()) {
        const came = list.filter((n) => entries.some((e) => fits(e, n))).length;
        if (came > 0 && came < entries.length) return [ADD2.key, GET2.key];
      }
    }
    return [PORT2.head, PORT.fifo];
  }
  const expectedEvents = outcomes.filter(({ outcome }) => outcome !== 'pending' && outcome.kind === 'events');
  if (expectedEvents.length === outcomes.length) {
    // Entries were certainly queued, but the read brought none.
    const missing = expectedEvents.flatMap(({ w }) => queued(w).filter((e) => !e.optional));
    // An event another registration's entry was read for lacks only this registration's own entry.
    const refs = uniqueRefs(missing.flatMap((e) => (e.event !== undefined && delivered.has(e.event) ? [ADD2.key, GET2.key] : e.why)));
    return refs.length ? (o.kind === 'pending' ? [GET2.returns, ...refs] : refs) : [GET2.returns];
  }
  const released = outcomes.find(({ outcome }) => outcome !== 'pending' && outcome.kind === 'released')?.outcome;
  if (released && released !== 'pending' && released.kind === 'released') {
    if (o.kind === 'pending') return released.by === 'unblock' ? [UNBLOCK2.completes, GET2.released] : [CLOSE2.completes, PORT2.closeUnblocks];
    return released.by === 'unblock' ? [GET2.released] : [CLOSE2.completes, GET2.released];
  }
  if (outcomes.some(({ outcome }) => outcome !== 'pending' && outcome.kind === 'closed-port')) return [GET2.released, UNBLOCK2.completes];
  if (outcomes.every(({ outcome }) => outcome === 'pending')) return [GET2.blocks];
  return [GET2.success];
}
