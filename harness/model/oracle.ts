// The oracle model of version 1 notification ports ([MS-CMRP] 3.1.1.8, 3.1.4.x.56-66, .90/.91,
// .99/.100, .107): ports, their filters and keys, per-object state sequences, FIFO queues, the server
// state, handle validity, in protocol version 2 (Timeout / WAIT_TIMEOUT) and 3 (blocking reads).
//
// Each operation is predicted, then judged against what the server did: the verdict names the
// clauses the prediction embodies (pass) or the ones the observation breaks (fail). Where the spec
// allows more than one answer the model keeps every reading (optional indications, the unblock
// reading, a fault instead of ERROR_INVALID_HANDLE) and lets later observations decide.
import type { Stimulus } from '../../cmrp/control';
import { CLUSTER_CHANGE as C, ERROR, statusName, type ProtocolVersion } from '../../cmrp/constants';
import { isSingleBit, stateBit } from './bits';
import type { ClauseRef } from './clauses';
import { uniqueRefs } from './clauses';
import { ClusterModel, objectKey, type SequenceConflict } from './cluster';
import { allows, describeOutcome, diagnoseRead, entryMatches } from './diagnose';
import { FIXTURE_OBJECTS } from './fixture';
import { FABRICATED, HandleBook, handleParam } from './handles';
import { bitText, describeObserved, eventOf, failed, isNullHandle, passed, type Observed, type Verdict } from './observed';
import {
  ACCESS_V2, BIT_MEANING, CHANGE, CLOSE, CLUSTER, CREATE, GET, KEY, OBJECT, PORT, REGISTRATION_SECTION, UNBLOCK,
  acceptanceRefs, registrationRefs,
} from './refs';
import { match, objectKindOf } from './scope';
import type { Batch, Claim, Entry, HandleKind, InternalEvent, ObjectKind, RegistrationMethod, Scope } from './types';
import { close as closeWorld, dedupe, mayBeEmpty, post, settle, startRead, startReadV2, unblock as unblockWorld, unblockV2, World, type UnblockReading } from './world';
import { dropEventsV2, indicationsV2, judgeReadV2 } from './oracle-v2';
import { IdBook } from './v2';
import type { PortFilter, PortModel } from './port';

export interface ModelOptions {
  version: ProtocolVersion;
  /** The access level of the run's connection (3.1.4.2: Read must do for every notification method). */
  access?: 'full' | 'read';
  /** State of each fixture object after setup, by objectKey(). */
  initialStates?: ReadonlyMap<string, number>;
  /** Pin the unblock reading (tests); otherwise both are kept until an observation decides. */
  reading?: UnblockReading;
  /** An earlier sequence of the run saw the server not report CLUSTER_RECONNECT after a loss (recorded there). */
  reconnectShortfall?: boolean;
}

export type { PortFilter, PortModel } from './port';

const C_RECONNECT = C.CLUSTER_RECONNECT;

export class NotifyModel {
  readonly version: ProtocolVersion;
  readonly access: 'full' | 'read';
  readonly cluster: ClusterModel;
  readonly ports: PortModel[] = [];
  readonly handles = new HandleBook();
  serverState: 'read-write' | 'read-only' = 'read-write';
  worlds: World[];
  /** Set when ApiUnblockGetNotifyCall is not implemented (allowed in protocol version 2). */
  unblockSupported = true;
  /** The object IDs (and resource types) version 2 notifications have shown. */
  ids = new IdBook();
  /** Version 2 events some entry of which has been read; the last event number given out. */
  readonly deliveredV2 = new Set<number>();
  eventsV2 = 0;
  /**
   * The server was seen not to report CLUSTER_RECONNECT after losing indications (a version 3 SHOULD):
   * the shortfall is recorded once and the entry is optional from then on.
   */
  reconnectShortfall = false;

  constructor(options: ModelOptions) {
    this.version = options.version;
    this.access = options.access ?? 'full';
    this.cluster = new ClusterModel(options.initialStates ?? new Map());
    this.reconnectShortfall = options.reconnectShortfall ?? false;
    const readings: UnblockReading[] = options.reading ? [options.reading] : ['usable', 'closed'];
    this.worlds = readings.map((r) => new World(r));
  }

  /** Protocol version 2 has only access level All: a Read-only client is refused everything (3.1.4.1 R19/R20). */
  get deniedEverything(): boolean {
    return this.version === 2 && this.access === 'read';
  }

  // ---- handles ---------------------------------------------------------------------------------

  /** Records a handle the harness obtained (Open*, ApiGetRootKey, ApiCreateNotify); returns its id. */
  addHandle(kind: HandleKind, target: string, name?: string): string {
    return this.handles.add(kind, target, name);
  }

  /** The live handle the harness uses for a target ('cluster', objectKey(), 'key:<path>'). */
  currentHandle(target: string): string | undefined {
    return this.handles.currentFor(target);
  }

  staleHandle(kind: HandleKind): string | undefined {
    return this.handles.stale(kind);
  }

  wrongTypeHandle(kind: HandleKind, pick: number): string | undefined {
    return this.handles.wrongType(kind, pick);
  }

  /** An object handle was closed (ApiCloseGroup and the like): registrations made with it become optional. */
  handleClosed(id: string): void {
    this.handles.close(id);
    for (const p of this.ports) for (const f of [...p.filters, ...p.filtersV2]) if (f.handle === id) f.orphaned = true;
  }

  livePorts(): PortModel[] {
    return this.ports.filter((p) => p.live);
  }

  /**
   * The port is live but closed for retrieval in every world: an ApiUnblockGetNotifyCall ended it on a
   * server that reads "unblock" that way (3.1.4.x.66 R2 allows it), so no read of it will bring an event again.
   */
  retrievalEnded(port: PortModel): boolean {
    return port.live && this.worlds.every((w) => (port.version === 2 ? w.readingV2 : w.reading) === 'closed' && w.unblocked.has(port.index));
  }

  // ---- ApiCreateNotify / ApiCloseNotify --------------------------------------------------------

  /** `name`: how the trace calls the returned handle, so messages and trace agree. */
  judgeCreate(o: Observed, name?: string): Verdict & { port?: PortModel } {
    const handle = o.kind === 'reply' ? o.out.hNotify : undefined;
    if (this.deniedEverything) return this.judgeDenied(o, [CREATE.nullOnFailure], isNullHandle(handle) ? undefined : 'a non-NULL handle');
    if (this.version === 2 && this.serverState === 'read-only') {
      // 3.1.4.1.56: a version 2 server processes ApiCreateNotify only in read/write.
      if (o.kind === 'fault') return failed([CREATE.onlyReadWrite], `ApiCreateNotify in the read-only server state: expected a refusal, observed ${describeObserved(o)}`);
      if (o.kind === 'pending') return failed([CREATE.onlyReadWrite], 'ApiCreateNotify did not complete');
      if (o.status === ERROR.SUCCESS) {
        const port = this.newPort(name);
        return { ...failed([CREATE.onlyReadWrite, CREATE.beyondState], 'ApiCreateNotify in the read-only server state returned ERROR_SUCCESS and a port: a version 2 server refuses it there'), port };
      }
      if (!isNullHandle(handle)) return failed([CREATE.nullOnFailure], `ApiCreateNotify failed with ${statusName(o.status)} but returned a non-NULL handle`);
      const pass = [CREATE.onlyReadWrite, CREATE.beyondState, CREATE.nullOnFailure];
      if (o.status === ERROR.SHARING_PAUSED) pass.push(CREATE.sharingPaused);
      return passed(pass);
    }
    if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) {
      return failed([CREATE.success, ...this.acceptance('x.56')], `ApiCreateNotify: expected ERROR_SUCCESS and a port handle, observed ${describeObserved(o)}`);
    }
    if (isNullHandle(handle)) return failed([CREATE.handle], 'ApiCreateNotify returned ERROR_SUCCESS with a NULL handle');
    return { ...passed([CREATE.success, CREATE.handle, ...this.acceptance('x.56')]), port: this.newPort(name) };
  }

  /** A port the server created (ApiCreateNotify, or ApiCreateNotifyV2 for `version` 2). */
  newPort(name?: string, version: 1 | 2 = 1): PortModel {
    const index = this.ports.length;
    const port: PortModel = { index, handle: this.addHandle('notify', `port:${index}`, name), version, live: true, filters: [], filtersV2: [], claims: [] };
    this.ports.push(port);
    return port;
  }

  /** ApiCloseNotify(hNotify). `released` is called by the harness only for a port it had a read pending on. */
  judgeClose(id: string, o: Observed): Verdict {
    const bad = this.badCall(o, [{ id, expected: 'notify', refs: [CLOSE.badNotify, CLOSE.frees] }], 'x.57');
    if (bad) return bad;
    const port = this.portOf(id)!;
    if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) {
      return failed([CLOSE.success, ...this.acceptance('x.57')], `ApiCloseNotify(${id}): expected ERROR_SUCCESS, observed ${describeObserved(o)}`);
    }
    port.live = false;
    this.handles.close(id);
    this.worlds = dedupe(this.worlds.map((w) => closeWorld(w, port.index)));
    if (!isNullHandle(o.out.hNotify)) return failed([CLOSE.nulls], `ApiCloseNotify(${id}) returned ERROR_SUCCESS but did not set the handle to NULL`);
    return passed([CLOSE.success, CLOSE.nulls, ...this.acceptance('x.57')]);
  }

  portOf(id: string): PortModel | undefined {
    const h = this.handles.get(id);
    if (!h || h.kind !== 'notify') return undefined;
    return this.ports[Number(h.target.slice('port:'.length))];
  }

  // ---- registrations ---------------------------------------------------------------------------

  /**
   * Judges ApiAddNotify* / ApiReAddNotify*. For ReAdd, `sequence` is what was passed (from
   * chooseSequence); the catch-up indication is predicted here.
   */
  judgeRegistration(
    method: RegistrationMethod,
    portId: string,
    objectId: string,
    bits: number,
    key: number,
    o: Observed,
    extra: { subtree?: boolean; sequence?: { value: number; differs: boolean | undefined } } = {},
  ): Verdict {
    const section = REGISTRATION_SECTION[method];
    const refs = registrationRefs(section);
    const kind = objectKindOf(method);
    const objectHandleKind: HandleKind = method === 'ApiAddNotifyCluster' ? 'cluster' : method === 'ApiAddNotifyKey' ? 'key' : kind!;
    const badObject = method === 'ApiAddNotifyCluster' ? CLUSTER.badObject : method === 'ApiAddNotifyKey' ? KEY.badObject : kindRefs(method).badObject;
    const bad = this.badCall(
      o,
      [
        { id: portId, expected: 'notify', refs: [refs.badNotify] },
        { id: objectId, expected: objectHandleKind, refs: [badObject] },
      ],
      section,
    );
    if (bad) return bad;
    if (this.version === 2 && (bits & C.QUORUM_STATE) !== 0 && o.kind === 'reply' && o.status !== ERROR.SUCCESS) {
      // 2.2.2.7 R35: a v2 server may refuse a filter holding QUORUM_STATE with an unlisted code.
      const refused = this.portOf(portId);
      if (refused) refused.refusedQuorum = true;
      return passed([]);
    }
    if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) {
      return failed([refs.success, ...this.acceptance(section)], `${method}: expected ERROR_SUCCESS, observed ${describeObserved(o)}`);
    }
    const port = this.portOf(portId)!;
    const target = this.handles.get(objectId)!.target;
    const scope: Scope =
      method === 'ApiAddNotifyCluster'
        ? { kind: 'cluster' }
        : method === 'ApiAddNotifyKey'
          ? { kind: 'key', path: target.slice('key:'.length).split('\\').filter(Boolean), subtree: Boolean(extra.subtree) }
          : { kind: 'object', objectKind: kind!, name: this.objectName(target) };
    port.filters.push({ id: port.filters.length + 1, method, scope, bits: bits >>> 0, key: key >>> 0, handle: objectId, orphaned: false });
    const pass: ClauseRef[] = [refs.success, ...this.acceptance(section)];
    if (port.filters.length > 1) pass.push(PORT.manyFilters);

    if (kind && method.startsWith('ApiAddNotify')) {
      const name = this.objectName(target);
      const returned = Number(o.out.dwStateSequence ?? NaN);
      if (!Number.isInteger(returned)) return failed([kindRefs(method).sequence], `${method} returned no dwStateSequence`);
      const conflict = this.cluster.learn(kind, name, this.cluster.versionIndex(kind, name), returned >>> 0, 'add');
      if (conflict) return failed(this.conflictRefs(kind, conflict), `${method}: ${conflict.message}`);
      pass.push(kindRefs(method).sequence);
    }
    if (kind && method.startsWith('ApiReAddNotify') && extra.sequence) this.catchUp(method, kind, port, key >>> 0, extra.sequence);
    return passed(pass);
  }

  /**
   * 3.1.4.x.63-65, .91, .100: a differing StateSequence queues a *_STATE indication with the ReAdd's
   * key. A current one may or may not (the ReAdd sections tolerate a catch-up then), and so may one
   * the model cannot compare with the current sequence.
   */
  private catchUp(method: RegistrationMethod, kind: ObjectKind, port: PortModel, key: number, seq: { value: number; differs: boolean | undefined }): void {
    const target = this.handles.get(port.filters[port.filters.length - 1].handle)!.target;
    const name = this.objectName(target);
    const r = OBJECT[kind].reAdd;
    const bit = stateBit(kind);
    const entry: Entry = {
      bit,
      key,
      name,
      sequenceOf: { objectKey: objectKey(kind, name), version: this.cluster.versionIndex(kind, name) },
      optional: seq.differs !== true,
      why: [r.catchUp],
      keyWhy: [r.catchUp, r.key, GET.key],
      origin: `catch-up ${bitText(bit)} of '${name}' from ${method} (key ${key}, StateSequence ${seq.value}${seq.differs === true ? ', stale' : seq.differs === false ? ', current' : ''})`,
    };
    this.postBatch(port, [entry]);
  }

  private conflictRefs(kind: ObjectKind, conflict: SequenceConflict): ClauseRef[] {
    const refs: ClauseRef[] = [];
    if (conflict.sources.includes('add')) refs.push(OBJECT[kind].add.sequence);
    if (conflict.sources.includes('indication')) refs.push(GET.sequence, PORT.currentState);
    return uniqueRefs([...(conflict.refs ?? []), ...refs]);
  }

  private objectName(target: string): string {
    const [kind, lower] = target.split(':');
    return FIXTURE_OBJECTS.find((f) => f.kind === kind && f.name.toLowerCase() === lower)?.name ?? lower;
  }

  // ---- stimuli ---------------------------------------------------------------------------------

  /** A control stimulus has settled: every indication it causes is queued on every port. */
  stimulus(s: Stimulus): void {
    if (s.verb === 'SetServerState') {
      this.serverState = s.state;
      return;
    }
    if (s.verb === 'DropEvents') return this.dropEvents();
    const events = this.cluster.apply(s);
    for (const port of this.livePorts()) {
      const { batch, claims } = port.version === 2 ? indicationsV2(this, port, events) : this.indications(port, events);
      port.claims.push(...claims);
      this.postBatch(port, batch);
    }
  }

  /** The batch one stimulus queues on a port (one indication per matching filter), and what it must not queue. */
  private indications(port: PortModel, events: readonly InternalEvent[]): { batch: Entry[]; claims: Claim[] } {
    const batch: Entry[] = [];
    const claims: Claim[] = [];
    for (const ev of events) {
      if (port.refusedQuorum && ev.bit === C.QUORUM_STATE && this.version === 2) {
        claims.push({ bit: ev.bit, refs: [CHANGE.v2NoQuorum], what: `${bitText(ev.bit)} on a port whose QUORUM_STATE registration the version 2 server refused` });
      }
      if (port.filters.length === 0) {
        claims.push({ bit: ev.bit, name: ev.name, refs: [CREATE.nothingBeforeFilter, CREATE.clientNoEvents], what: `${bitText(ev.bit)} before the port had any filter` });
        continue;
      }
      const hits: { f: PortFilter; why: ClauseRef[]; keyWhy: ClauseRef[]; optional: boolean }[] = [];
      for (const f of port.filters) {
        const m = match(f, ev, this.version);
        if (m.kind === 'no') {
          if (m.claim) claims.push({ bit: ev.bit, name: ev.name, key: f.key, refs: m.claim, what: `${bitText(ev.bit)} of ${subjectText(ev)} through filter #${f.id}` });
          continue;
        }
        hits.push({ f, why: m.why, keyWhy: m.keyWhy, optional: m.kind === 'maybe' || f.orphaned });
      }
      // 3.1.4.x R2 "one event per matching filter": several filters, several indications.
      const perFilter = hits.length > 1 ? [...hits.map((h) => registrationRefs(REGISTRATION_SECTION[h.f.method]).perFilter), PORT.manyFilters] : [];
      for (const h of hits) {
        batch.push({
          bit: ev.bit,
          key: h.f.key,
          name: ev.name,
          sequenceOf: this.sequenceOf(ev),
          optional: h.optional,
          why: uniqueRefs([...h.why, ...perFilter]),
          keyWhy: uniqueRefs([...h.keyWhy, GET.key, PORT.contextBack]),
          origin: `${bitText(ev.bit)} of ${subjectText(ev)} via filter #${h.f.id} (key ${h.f.key})`,
        });
      }
    }
    return { batch, claims };
  }

  private sequenceOf(ev: InternalEvent): Entry['sequenceOf'] {
    const s = ev.subject;
    if (s.kind !== 'object' || s.objectKind === 'resourceType') return undefined;
    if (!FIXTURE_OBJECTS.some((f) => f.kind === s.objectKind && f.name.toLowerCase() === s.name.toLowerCase())) return undefined;
    return { objectKey: objectKey(s.objectKind, s.name), version: this.cluster.versionIndex(s.objectKind, s.name) };
  }

  postBatch(port: PortModel, batch: Batch): void {
    if (!batch.length) return;
    this.worlds = dedupe(this.worlds.flatMap((w) => post(w, port.index, batch)));
  }

  /**
   * DropEvents: every port loses what was queued. Version 3 SHOULD then report CLUSTER_RECONNECT
   * where something was lost (an optional one where nothing certainly was, or where every registration
   * may have ended with its handle); version 2 MUST NOT.
   */
  private dropEvents(): void {
    for (const port of this.livePorts()) {
      if (port.version === 2) {
        dropEventsV2(this, port);
        continue;
      }
      if (this.version === 2) {
        port.claims.push({ bit: C_RECONNECT, refs: [GET.forbidden, CHANGE.reconnectDropped], what: 'CLUSTER_RECONNECT from a version 2 server' });
      }
      this.worlds = dedupe(
        this.worlds.flatMap((w) => {
          const lost = !mayBeEmpty(w.queue(port.index));
          const emptied = w.withQueue(port.index, []);
          if (this.version === 2 || port.filters.length === 0) return [emptied];
          // A server that ended the registrations of closed handles (2.2.2.7 R38) sees a port with none.
          const mayHaveNone = port.filters.every((f) => f.orphaned);
          const reconnect = (optional: boolean): Entry => ({
            bit: C_RECONNECT,
            optional,
            // SHOULDs both (3.1.4.2.66, 2.2.2.7 R25 in version 3): their absence is NON-STRICT, never a FAIL.
            why: [GET.reconnect, CHANGE.reconnectDropped],
            keyWhy: [],
            origin: `CLUSTER_RECONNECT after lost indications${lost ? '' : ' (none certainly lost)'}`,
          });
          const optional = !lost || mayHaveNone || this.reconnectShortfall || w.shortfall;
          if (optional) return post(emptied, port.index, [reconnect(true)]);
          // Beside the server that keeps the SHOULD, one that does not: if only it explains a later read,
          // the shortfall is recorded there (judgeRead) and the run goes on.
          return [...post(emptied, port.index, [reconnect(false)]), ...post(emptied.withShortfall(), port.index, [reconnect(true)])];
        }),
      );
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  /**
   * ApiGetNotify starts on a live port. Returns whether it completes at once in every world (so the
   * harness may simply wait for it) or may block.
   */
  startRead(portId: string, timed: boolean): 'completes' | 'may-block' {
    const port = this.portOf(portId)!;
    this.worlds = dedupe(this.worlds.flatMap((w) => (port.version === 2 ? startReadV2(w, port.index) : startRead(w, port.index, timed))));
    return this.worlds.every((w) => w.reader?.done) ? 'completes' : 'may-block';
  }

  /**
   * Whether the read in flight may be blocked in some world (the harness must then release it). Worlds
   * of a SHOULD shortfall do not count while the server may keep it: the harness waits for the read as a
   * server that keeps it would answer, and releases it only if it overstays.
   */
  readMayBlock(): boolean {
    const kept = this.worlds.filter((w) => !w.shortfall);
    return (kept.length ? kept : this.worlds).some((w) => w.reader !== undefined && !w.reader.done && !w.reader.timed);
  }

  /** ApiUnblockGetNotifyCall. `refused`: the server refused it in read-only (tolerated; nothing changed). */
  judgeUnblock(id: string, o: Observed): Verdict & { refused?: boolean } {
    // No row says ApiUnblockGetNotifyCall is processed in read-only: a refusal there is tolerated
    // (the harness then releases the read by closing the port, which must be processed).
    if (this.serverState === 'read-only' && o.kind === 'reply' && o.status === ERROR.SHARING_PAUSED) return { ...passed([]), refused: true };
    // 3.1.4.1.107 R1 (footnote): a version 2 server may lack the method, whatever handle it is given;
    // the harness then releases a pending read by closing the port (`refused`).
    if (this.version === 2 && !this.deniedEverything && o.kind === 'fault' && o.fault === RPC_S_PROCNUM_OUT_OF_RANGE) {
      this.unblockSupported = false;
      return { ...passed([]), refused: true };
    }
    const bad = this.badCall(o, [{ id, expected: 'notify', refs: [UNBLOCK.badNotify] }], 'x.107');
    if (bad) return bad;
    if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) {
      return failed([UNBLOCK.success, ...this.acceptance('x.107')], `ApiUnblockGetNotifyCall(${id}): expected ERROR_SUCCESS, observed ${describeObserved(o)}`);
    }
    const port = this.portOf(id)!;
    this.worlds = dedupe(this.worlds.flatMap((w) => (port.version === 2 ? unblockV2(w, port.index) : [unblockWorld(w, port.index)])));
    return passed([UNBLOCK.success, ...this.acceptance('x.107')]);
  }

  /**
   * The read in flight on `portId` completed (or was given up on: `pending`). A failure with
   * `skipped` means an indication came before one the model expected first: the harness reads on
   * and calls settleSkipped() with what came.
   */
  judgeRead(portId: string, o: Observed): Verdict & { skipped?: Entry } {
    const port = this.portOf(portId)!;
    if (port.version === 2) return judgeReadV2(this, port, o);
    const before = this.worlds;
    const kept: World[] = [];
    let outcomeSeen: ReturnType<typeof settle> | undefined;
    for (const w of before) {
      const outcome = settle(w);
      if (!allows(outcome, o)) continue;
      outcomeSeen ??= outcome;
      kept.push(w.withReader(undefined));
    }
    if (!kept.length && o.kind === 'reply' && !READ_STATUSES.has(o.status)) {
      // Not an answer a read gives: the server did not process the call (3.1.4.x.66 acceptance rows).
      this.worlds = before.map((w) => w.withReader(undefined));
      return failed([GET.success, ...this.acceptance('x.66')], `ApiGetNotify(${portId}) was not processed: ${describeObserved(o)}`);
    }
    if (!kept.length) {
      const { refs, skipped } = diagnoseRead(before, o, { version: this.version, filters: port.filters, claims: port.claims });
      const expected = [...new Set(before.map((w) => describeOutcome(settle(w))))];
      this.worlds = before.map((w) => w.withReader(undefined));
      const verdict = failed(refs, `ApiGetNotify(${portId}): expected ${expected.length > 1 ? `one of [${expected.join('; ')}]` : expected[0]}, observed ${describeObserved(o)}`);
      return skipped ? { ...verdict, skipped } : verdict;
    }
    // Worlds of an unblock reading the observation rules out are gone: the reading is pinned.
    this.worlds = dedupe(kept);
    const verdict = this.judgeSettled(port, outcomeSeen, o);
    // Only a server that left out a CLUSTER_RECONNECT it SHOULD have reported explains the read.
    if (!this.reconnectShortfall && this.worlds.every((w) => w.shortfall)) {
      this.reconnectShortfall = true;
      const message = `ApiGetNotify(${portId}) returned ${describeObserved(o)}: indications were lost and no CLUSTER_RECONNECT was reported before it (a SHOULD of protocol version 3); the run went on with CLUSTER_RECONNECT optional`;
      return { ...verdict, shortfall: { refs: [GET.reconnect, CHANGE.reconnectDropped], message } };
    }
    return verdict;
  }

  private judgeSettled(port: PortModel, outcomeSeen: ReturnType<typeof settle> | undefined, o: Observed): Verdict {
    if (outcomeSeen === undefined || outcomeSeen === 'pending') return passed([]);
    const acceptance = this.acceptance('x.66');
    switch (outcomeSeen.kind) {
      case 'event':
        return this.judgeEvent(outcomeSeen.entry, o, acceptance);
      case 'released': {
        const pass = outcomeSeen.by === 'unblock' ? [GET.released, UNBLOCK.completes, GET.blocks] : [CLOSE.completes, CLOSE.unblocks, GET.blocks];
        if (outcomeSeen.by === 'close' && o.kind === 'reply' && o.status === ERROR.INVALID_FUNCTION) pass.push(GET.released);
        return passed([...pass, ...this.vindicate(port)]);
      }
      case 'closed-port':
        return passed(o.kind === 'reply' && o.status === ERROR.NO_MORE_ITEMS ? [GET.closedPort] : []);
      case 'events':
        // Only version 2 reads complete this way (judgeReadV2).
        return passed([]);
      case 'timeout':
        return passed([GET.timerStarts, GET.noIndication, GET.expired, GET.expiry, GET.bounds, GET.timerPerCall, ...acceptance, ...this.vindicate(port)]);
    }
  }

  /**
   * After an out-of-order read, the rest of the port's indications: if the skipped one is among
   * them the queue is not FIFO; if not, it was never queued and the clauses that required it fail.
   */
  settleSkipped(verdict: Verdict & { skipped?: Entry }, later: readonly Observed[]): Verdict {
    const skipped = verdict.skipped;
    if (!skipped || !verdict.fail) return verdict;
    if (later.some((o) => entryMatches(skipped, o))) {
      return failed(verdict.fail.refs, `${verdict.fail.message}; ${skipped.origin} came later: the queue is not first-in first-out`);
    }
    return failed([...skipped.why], `${verdict.fail.message}; ${skipped.origin} never came: it was not queued`);
  }

  /** A read proved the port empty: every promise not to deliver was kept. */
  vindicate(port: PortModel): ClauseRef[] {
    const refs = uniqueRefs(port.claims.flatMap((c) => c.refs));
    port.claims = [];
    return refs;
  }

  private judgeEvent(entry: Entry, o: Observed, acceptance: ClauseRef[]): Verdict {
    const ev = eventOf(o);
    const pass: ClauseRef[] = [
      GET.success, ...acceptance, GET.first, GET.type, GET.forbidden, PORT.fifo, PORT.head, PORT.carriesType,
      CHANGE.oneValue, CHANGE.reserved, CHANGE.subtreeClientOnly, CHANGE.clusterStateClientOnly, CHANGE.handleCloseClientOnly,
      CREATE.queue, ...entry.why,
    ];
    if (ev.dwFilter !== C_RECONNECT) pass.push(GET.matches);
    else pass.push(CHANGE.reconnectDropped);
    const meaning = BIT_MEANING[ev.dwFilter];
    if (meaning) pass.push(meaning);
    if (entry.key !== undefined) pass.push(...entry.keyWhy, PORT.carriesContext);
    if (entry.name !== undefined) pass.push(GET.name, PORT.carriesName);
    if (entry.sequenceOf) {
      const [kind, lower] = entry.sequenceOf.objectKey.split(':') as [ObjectKind, string];
      const name = this.objectName(`${kind}:${lower}`);
      // Learned only while the object is unchanged since queuing: the value may be sampled either then or now.
      if (entry.sequenceOf.version === this.cluster.versionIndex(kind, name)) {
        const conflict = this.cluster.learn(kind, name, entry.sequenceOf.version, ev.dwStateSequence, 'indication');
        if (conflict) return failed(this.conflictRefs(kind, conflict), `ApiGetNotify returned ${entry.origin}: ${conflict.message}`);
        pass.push(GET.sequence, PORT.currentState, PORT.carriesState);
      }
    }
    if (!isSingleBit(ev.dwFilter)) return failed([CHANGE.oneValue], 'dwFilter has more than one bit');
    return passed(uniqueRefs(pass));
  }

  // ---- invalid handles and refusals ------------------------------------------------------------

  /**
   * A call whose handle arguments are not all live and of the right type must fail with
   * ERROR_INVALID_HANDLE; a fabricated or closed one may instead be rejected by the RPC runtime
   * (a fault). Returns undefined when every handle is good (the caller judges the success path).
   * Also judges the version 2 Read-access refusal, which comes before any handle check.
   */
  badCall(o: Observed, args: { id: string; expected: HandleKind; refs: ClauseRef[] }[], section: string): Verdict | undefined {
    if (this.deniedEverything) return this.judgeDenied(o, []);
    const refusal = this.refusal(o, section);
    if (refusal) return refusal;
    for (const a of args) {
      const badness = this.handles.badness(a.id, a.expected);
      if (!badness) continue;
      const what = `${a.id === FABRICATED ? 'a fabricated handle' : `${a.id} (${badness})`} as ${handleParam(a.expected)}`;
      if (o.kind === 'reply' && o.status === ERROR.INVALID_HANDLE) return passed(a.refs);
      if (o.kind === 'fault' && badness !== 'wrong-type') return passed(a.refs);
      const allowed = badness === 'wrong-type' ? 'ERROR_INVALID_HANDLE' : 'ERROR_INVALID_HANDLE or an RPC fault';
      return failed(a.refs, `${what}: expected ${allowed}, observed ${describeObserved(o)}`);
    }
    return undefined;
  }

  /**
   * A call refused for the server state (ERROR_SHARING_PAUSED in read-only) or the access level
   * (ERROR_ACCESS_DENIED at Read) breaks the method's acceptance rows, whatever its handles: the
   * order of the checks is the server's, and every method here should be processed in both cases.
   */
  private refusal(o: Observed, section: string): Verdict | undefined {
    if (o.kind !== 'reply') return undefined;
    const byState = this.serverState === 'read-only' && o.status === ERROR.SHARING_PAUSED;
    const byAccess = this.access === 'read' && o.status === ERROR.ACCESS_DENIED;
    if (!byState && !byAccess) return undefined;
    const refs = this.acceptance(section).filter((r) => (byState ? r.title.includes('read-only') : r.title.includes('access level')));
    return failed(refs, `a call of ${section.replace(/^x/, '3.1.4.x')} was refused with ${describeObserved(o)} (${byState ? 'read-only server state' : 'Read access level'})`);
  }

  private judgeDenied(o: Observed, extra: ClauseRef[], problem?: string): Verdict {
    const refs = [ACCESS_V2.requiresAll, ACCESS_V2.denied, ...extra];
    if (o.kind === 'reply' && o.status === ERROR.ACCESS_DENIED && !problem) return passed(refs);
    return failed(refs, `a version 2 client with Read access only: expected ERROR_ACCESS_DENIED, observed ${describeObserved(o)}${problem ? ` and ${problem}` : ''}`);
  }

  /** The server-state and access-level rows a processed call of `section` confirms. */
  acceptance(section: string): ClauseRef[] {
    return acceptanceRefs(section, this.serverState, this.access);
  }

  /** How many worlds the model keeps (a measure of how ambiguous the run is). */
  get ambiguity(): number {
    return this.worlds.length;
  }
}

const RPC_S_PROCNUM_OUT_OF_RANGE = 0x6d1;

/** Statuses ApiGetNotify itself defines (3.1.4.x.66); anything else means the call was not processed. */
const READ_STATUSES: ReadonlySet<number> = new Set([ERROR.SUCCESS, ERROR.INVALID_FUNCTION, ERROR.NO_MORE_ITEMS, ERROR.WAIT_TIMEOUT, ERROR.INVALID_HANDLE]);

function kindRefs(method: RegistrationMethod) {
  const kind = objectKindOf(method)!;
  return method.startsWith('ApiReAdd') ? { ...OBJECT[kind].reAdd, sequence: OBJECT[kind].add.sequence } : { ...OBJECT[kind].add };
}

function subjectText(ev: InternalEvent): string {
  const s = ev.subject;
  if (s.kind === 'cluster') return 'the cluster';
  if (s.kind === 'registry') return `key '${s.path.join('\\') || '(root)'}'`;
  return `${s.objectKind} '${s.name}'`;
}

