// A version 2 event: what an internal event becomes on a version 2 port ([MS-CMRP] 3.1.4.2.138), before
// the registrations it matches turn it into NOTIFICATION_RPC entries.
import type { NotificationV2 } from '../../cmrp/contract';
import type { EventSubject } from './event';

export interface V2Event {
  /** CLUSTER_OBJECT_TYPE of the notification. */
  dwObjectType: number;
  /** The one flag of the type's *_V2 enumeration that names the event. */
  flag: number;
  /** What per-object registrations match against: the object the event pertains to. */
  subject: EventSubject;
  /** buffer, ObjectId, ParentId, Name and Type, as the type's table of 3.1.4.2.138 sets them. */
  data: Pick<NotificationV2, 'buffer' | 'ObjectId' | 'ParentId' | 'Name' | 'Type'>;
}
