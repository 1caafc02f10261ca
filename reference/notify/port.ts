// One version 1 notification port (3.1.1.8): its filters, its FIFO queue of event indications and the
// ApiGetNotify calls blocked on it.
import { CLUSTER_CHANGE, ERROR, type ProtocolVersion } from '../../cmrp/constants';
import type { Behaviour } from '../rules/behaviour';
import type { EventSubject, Indication, InternalEvent } from '../rules/event';
import { viaSubtree, type Filter } from '../rules/filter';
import { TYPE_BITS } from './bits';

/** How a blocked (or immediate) ApiGetNotify completes. */
export type Completion =
  | { kind: 'indication'; indication: Indication }
  | { kind: 'status'; status: number }
  | { kind: 'fault'; fault: number };

interface Reader {
  complete(completion: Completion): void;
}

const DELETION_BITS = Object.values(TYPE_BITS).reduce((bits, t) => bits | t.deleted, 0) >>> 0;

function isDeletion(bit: number): boolean {
  return ((bit >>> 0) & DELETION_BITS) !== 0;
}

/** Largest delay setTimeout takes; a longer v2 Timeout is clamped to it (about 24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;
/** INFINITE (0xFFFFFFFF): a v2 Timeout that never expires. */
const INFINITE = 0xffffffff;

export class NotificationPort {
  private readonly filters: Filter[] = [];
  private queue: Indication[] = [];
  private readers: Reader[] = [];
  /** Set when indications were lost (v3): the next read returns CLUSTER_RECONNECT first. */
  private pendingReconnect: Indication | undefined;
  private closed = false;
  /** Set by an unblock when the server reads it as closing the port for retrieval (a variant). */
  private unblockedStatus: number | undefined;

  constructor(
    readonly version: ProtocolVersion,
    private readonly behaviour: Behaviour,
  ) {}

  addFilter(filter: Filter): void {
    this.filters.push(filter);
  }

  /** Ends the registrations made with an object handle that was closed (a variant's reading of 2.2.2.7 R38). */
  dropFiltersOf(handle: string): void {
    for (let i = this.filters.length - 1; i >= 0; i--) if (this.filters[i].handle === handle) this.filters.splice(i, 1);
  }

  /** Queues one indication per matching filter (3.1.4.x.58-100), none before the first filter (3.1.4.x.56). */
  receive(event: InternalEvent): void {
    if (this.closed) return;
    if (event.bit === CLUSTER_CHANGE.QUORUM_STATE && !this.behaviour.postsQuorumState(this.version)) return;
    if (this.filters.length === 0) {
      if (this.behaviour.queueWithoutFilters) this.post({ dwNotifyKey: 0, dwFilter: event.bit, dwStateSequence: event.stateSequence, Name: event.name });
      return;
    }
    const matching = this.filters.filter(
      (f) =>
        (f.dwFilter & event.bit) !== 0 &&
        this.behaviour.scopeContains(f.scope, f.dwFilter, event.subject, event.bit) &&
        (this.behaviour.deletionReachesObjectRegistrations || f.scope.kind !== 'object' || !isDeletion(event.bit)),
    );
    for (const filter of this.behaviour.selectFilters(matching)) {
      this.post({
        dwNotifyKey: this.behaviour.eventKey(filter) >>> 0,
        dwFilter: this.behaviour.reportedFilter(event, viaSubtree(filter.scope, event.subject)) >>> 0,
        dwStateSequence: event.stateSequence >>> 0,
        Name: event.name,
      });
    }
  }

  /**
   * Posts `bit` once for each registration whose scope holds `subject`, whatever its dwFilter. Only
   * the client-only-value mutant uses it (a conformant server never posts HANDLE_CLOSE).
   */
  postToRegistrationsOn(subject: EventSubject, bit: number, name: string): void {
    for (const filter of this.filters) {
      if (this.behaviour.scopeContains(filter.scope, filter.dwFilter, subject, bit)) {
        this.post({ dwNotifyKey: filter.dwNotifyKey >>> 0, dwFilter: bit >>> 0, dwStateSequence: 0, Name: name });
      }
    }
  }

  /** Queues an indication, or hands it straight to the oldest blocked reader. */
  post(indication: Indication): void {
    if (this.closed) return;
    const reader = this.readers.shift();
    if (reader) reader.complete({ kind: 'indication', indication });
    else this.queue.push(indication);
  }

  /**
   * ApiGetNotify. Returns at once when something is queued; otherwise blocks until an indication
   * arrives, the port is unblocked or closed, or (v2, `timeoutMs` given) the GetNotify timer expires.
   */
  read(timeoutMs: number | undefined): Promise<Completion> {
    // A port an unblock closed for retrieval answers at once, whatever it still holds.
    if (this.unblockedStatus !== undefined && !this.closed) return Promise.resolve({ kind: 'status', status: this.unblockedStatus });
    const ready = this.take();
    if (ready) return Promise.resolve({ kind: 'indication', indication: ready });
    // 3.1.4.x.66: a port that has been closed gives ERROR_NO_MORE_ITEMS (reachable only by a read that
    // races ApiCloseNotify: the close also invalidates the handle).
    if (this.closed) return Promise.resolve({ kind: 'status', status: ERROR.NO_MORE_ITEMS });
    const timed = timeoutMs !== undefined && timeoutMs >>> 0 !== INFINITE && this.behaviour.honourTimeout;
    if (timed && timeoutMs === 0) return Promise.resolve(this.expiry());
    return new Promise<Completion>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const reader: Reader = {
        complete: (completion) => {
          if (timer) clearTimeout(timer);
          resolve(completion);
        },
      };
      if (timed) {
        // 3.1.2.x GetNotify timer: on expiry the call completes with WAIT_TIMEOUT. Unref'd so a
        // pending read never keeps the process alive.
        timer = setTimeout(() => {
          this.readers = this.readers.filter((r) => r !== reader);
          resolve(this.expiry());
        }, Math.min(timeoutMs >>> 0, MAX_TIMER_MS));
        timer.unref();
      }
      this.readers.push(reader);
    });
  }

  /** ApiUnblockGetNotifyCall: completes the outstanding reads; the port stays open and keeps its queue. */
  unblock(): void {
    if (this.behaviour.unblockReleases) this.release({ kind: 'status', status: this.behaviour.releasedStatus });
    if (this.behaviour.afterUnblock !== 'usable') this.unblockedStatus = this.behaviour.afterUnblock;
  }

  /** ApiCloseNotify (and Reset): completes outstanding reads and flushes undelivered indications. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.pendingReconnect = undefined;
    if (this.behaviour.closeReleases) this.release({ kind: 'status', status: this.behaviour.closeReleasedStatus ?? this.behaviour.releasedStatus });
  }

  /** The connection is gone (failover, client closed it): pending reads fail with an RPC fault. */
  abort(fault: number): void {
    this.closed = true;
    this.queue = [];
    this.pendingReconnect = undefined;
    this.release({ kind: 'fault', fault });
  }

  /**
   * DropEvents: the server loses what it had queued. With `reconnect`, the next read returns that
   * CLUSTER_RECONNECT indication (a blocked read gets it at once). A port without filters has lost
   * nothing and must stay silent (3.1.4.x.56).
   */
  loseEvents(reconnect: Omit<Indication, 'dwNotifyKey'> | undefined): void {
    if (this.closed) return;
    this.queue = [];
    if (!reconnect || this.filters.length === 0) return;
    const indication: Indication = { ...reconnect, dwNotifyKey: this.reconnectKey() };
    if (this.readers.length > 0) this.post(indication);
    else this.pendingReconnect = indication;
  }

  /**
   * CLUSTER_RECONNECT belongs to no registration; it carries the key of the port's cluster-wide
   * registration when there is one (the client's Win32 layer reports it against the cluster), else
   * the key of the first registration.
   */
  private reconnectKey(): number {
    const cluster = this.filters.find((f) => f.scope.kind === 'cluster');
    return ((cluster ?? this.filters[0])?.dwNotifyKey ?? 0) >>> 0;
  }

  /** How an expired v2 GetNotify timer completes the call: WAIT_TIMEOUT (3.1.4.1.66). */
  private expiry(): Completion {
    const fault = this.behaviour.expiredTimerFault;
    return fault === undefined ? { kind: 'status', status: ERROR.WAIT_TIMEOUT } : { kind: 'fault', fault };
  }

  private take(): Indication | undefined {
    if (this.pendingReconnect) {
      const reconnect = this.pendingReconnect;
      this.pendingReconnect = undefined;
      return reconnect;
    }
    return this.behaviour.dequeue === 'fifo' ? this.queue.shift() : this.queue.pop();
  }

  private release(completion: Completion): void {
    const readers = this.readers;
    this.readers = [];
    for (const reader of readers) reader.complete(completion);
  }
}
