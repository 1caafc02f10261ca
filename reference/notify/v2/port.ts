// One version 2 notification port (3.1.1.8): its registrations, its FIFO queue of NOTIFICATION_RPC
// entries and the ApiGetNotifyV2 calls blocked on it. A read takes every queued entry at once
// (3.1.4.2.138); Unblock (3.1.4.2.107) and Close (3.1.4.2.57) complete the blocked reads.
import type { NotificationV2 } from '../../../cmrp/contract';
import { CLUSTER_CHANGE_CLUSTER_V2, CLUSTER_OBJECT_TYPE, ERROR } from '../../../cmrp/constants';
import type { Behaviour } from '../../rules/behaviour';
import type { V2Event } from '../../rules/event-v2';
import { matches, throughSubtree, type RegistrationV2 } from './registration';

/** How a blocked (or immediate) ApiGetNotifyV2 completes. */
export type CompletionV2 =
  | { kind: 'notifications'; notifications: NotificationV2[] }
  | { kind: 'status'; status: number }
  | { kind: 'fault'; fault: number };

type Reader = (completion: CompletionV2) => void;

export class NotificationPortV2 {
  private readonly registrations: RegistrationV2[] = [];
  private queue: NotificationV2[] = [];
  private readers: Reader[] = [];
  private closed = false;

  constructor(private readonly behaviour: Behaviour) {}

  register(registration: RegistrationV2): void {
    this.registrations.push(registration);
  }

  /** One NOTIFICATION_RPC per matching registration; nothing before the first registration (3.1.4.2.136). */
  receive(event: V2Event): void {
    if (this.closed) return;
    const matching = this.registrations.filter((r) => matches(r, event));
    const data = this.behaviour.notificationDataV2(event);
    // Only the port2-early-events mutant: a port with no registration yet gets every event (key 0).
    if (this.registrations.length === 0 && this.behaviour.queueWithoutRegistrationsV2) {
      this.queue.push({ dwNotifyKey: 0, dwObjectType: event.dwObjectType, FilterFlags: BigInt(event.flag), ...data });
    }
    for (const registration of this.behaviour.selectRegistrationsV2(matching)) {
      const via = throughSubtree(registration as RegistrationV2, event);
      this.queue.push({
        dwNotifyKey: registration.dwNotifyKey >>> 0,
        dwObjectType: event.dwObjectType,
        FilterFlags: this.behaviour.reportedFlagsV2(event, registration, via),
        ...data,
      });
    }
    // Every entry of one event is queued before a blocked reader takes them: they arrive together.
    const reader = this.queue.length > 0 ? this.readers.shift() : undefined;
    if (reader) reader({ kind: 'notifications', notifications: this.takeAll() });
  }

  /** ApiGetNotifyV2: every queued entry now, or a wait until one is queued or the port is released. */
  read(): Promise<CompletionV2> {
    if (this.queue.length > 0) return Promise.resolve({ kind: 'notifications', notifications: this.takeAll() });
    // 3.1.4.2.138: a port that has been closed gives ERROR_NO_MORE_ITEMS.
    if (this.closed) return Promise.resolve({ kind: 'status', status: ERROR.NO_MORE_ITEMS });
    if (!this.behaviour.blocksOnEmptyV2) return Promise.resolve({ kind: 'notifications', notifications: [] });
    return new Promise<CompletionV2>((resolve) => this.readers.push(resolve));
  }

  /** ApiUnblockGetNotifyCall: completes the outstanding reads; the port stays open with its queue. */
  unblock(): void {
    if (this.behaviour.unblockReleasesV2) this.release({ kind: 'status', status: this.behaviour.releasedStatus });
  }

  /** ApiCloseNotify (and Reset): completes outstanding reads and flushes undelivered entries. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    if (this.behaviour.closeReleases) this.release({ kind: 'status', status: this.behaviour.releasedStatus });
  }

  /** The connection is gone: pending reads fail with an RPC fault. */
  abort(fault: number): void {
    this.closed = true;
    this.queue = [];
    this.release({ kind: 'fault', fault });
  }

  /**
   * DropEvents: the queue is lost; each cluster registration asking for
   * CLUSTER_CHANGE_CLUSTER_LOST_NOTIFICATIONS_V2 is told so (2.2.2.12).
   */
  loseEvents(): void {
    if (this.closed) return;
    this.queue = [];
    this.receive({
      dwObjectType: CLUSTER_OBJECT_TYPE.CLUSTER,
      flag: CLUSTER_CHANGE_CLUSTER_V2.LOST_NOTIFICATIONS,
      subject: { kind: 'cluster' },
      data: { buffer: '', ObjectId: '', ParentId: '', Name: '', Type: '' },
    });
  }

  private takeAll(): NotificationV2[] {
    const all = this.queue;
    this.queue = [];
    return all;
  }

  private release(completion: CompletionV2): void {
    const readers = this.readers;
    this.readers = [];
    for (const reader of readers) reader(completion);
  }
}
