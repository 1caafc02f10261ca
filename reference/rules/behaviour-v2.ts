// The points where a mutant may deviate from the spec on version 2 notification ports (3.1.4.2.136-138,
// 3.1.4.2.57 and .107 for a v2 port). Part of the server's Behaviour (behaviour.ts): a mutant replaces
// one entry; the reference keeps every rule.
import type { V2Event } from './event-v2';

/** A registration of ApiAddNotifyV2, as far as a mutant needs to see it. */
export interface V2Registration {
  readonly dwObjectType: number;
  readonly FilterFlags: bigint;
  readonly dwNotifyKey: number;
}

export interface V2Behaviour {
  /** 3.1.4.2.138: every matching registration gets its own NOTIFICATION_RPC. */
  selectRegistrationsV2(matching: readonly V2Registration[]): readonly V2Registration[];
  /** FilterAndType.FilterFlags of a notification: exactly the one flag of the event. */
  reportedFlagsV2(event: V2Event, registration: V2Registration, throughSubtree: boolean): bigint;
  /** The NOTIFICATION_DATA_RPC of an event, as the per-type tables of 3.1.4.2.138 lay it out. */
  notificationDataV2(event: V2Event): V2Event['data'];
  /** 3.1.4.2.137: a dwVersion other than 2 gives ERROR_INVALID_PARAMETER. */
  checksDwVersion: boolean;
  /** 3.1.4.2.137: an object type outside CLUSTER_OBJECT_TYPE gives ERROR_INVALID_PARAMETER. */
  checksObjectType: boolean;
  /** 3.1.4.2.136, 3.2.4.5.2: nothing is queued on a port before its first registration. */
  queueWithoutRegistrationsV2: boolean;
  /** 3.1.4.2.138: ApiGetNotifyV2 on a port with nothing queued waits for an indication or a release. */
  blocksOnEmptyV2: boolean;
  /** 3.1.4.2.107: ApiUnblockGetNotifyCall completes the outstanding ApiGetNotifyV2 calls of a v2 port. */
  unblockReleasesV2: boolean;
}

export const REFERENCE_V2_BEHAVIOUR: Readonly<V2Behaviour> = Object.freeze({
  selectRegistrationsV2: (matching: readonly V2Registration[]) => matching,
  queueWithoutRegistrationsV2: false,
  reportedFlagsV2: (event: V2Event) => BigInt(event.flag),
  notificationDataV2: (event: V2Event) => event.data,
  checksDwVersion: true,
  checksObjectType: true,
  blocksOnEmptyV2: true,
  unblockReleasesV2: true,
});
