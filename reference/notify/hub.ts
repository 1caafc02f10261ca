// Every live notification port of the server, whichever connection owns it: an internal event is
// offered to all of them (events are cluster-wide; registrations decide who gets what).
import { CLUSTER_CHANGE, type ProtocolVersion } from '../../cmrp/constants';
import type { Behaviour } from '../rules/behaviour';
import type { InternalEvent } from '../rules/event';
import type { V2Event } from '../rules/event-v2';
import { NotificationPort } from './port';
import { NotificationPortV2 } from './v2/port';

export class NotificationHub {
  private readonly ports = new Set<NotificationPort>();
  private readonly portsV2 = new Set<NotificationPortV2>();

  constructor(private readonly behaviour: Behaviour) {}

  open(version: ProtocolVersion): NotificationPort {
    const port = new NotificationPort(version, this.behaviour);
    this.ports.add(port);
    return port;
  }

  /** A version 2 port (ApiCreateNotifyV2, protocol version 3 only). */
  openV2(): NotificationPortV2 {
    const port = new NotificationPortV2(this.behaviour);
    this.portsV2.add(port);
    return port;
  }

  /** Forgets a port that was closed or aborted; it receives nothing more. */
  forget(port: NotificationPort | NotificationPortV2): void {
    if (port instanceof NotificationPortV2) this.portsV2.delete(port);
    else this.ports.delete(port);
  }

  /** Queues a version 2 event on every version 2 port, synchronously, as publish() does. */
  publishV2(event: V2Event): void {
    for (const port of this.portsV2) port.receive(event);
  }

  /** Queues the event's indications on every port, synchronously: apply() is settled when this returns. */
  publish(event: InternalEvent): void {
    let offered = 0;
    for (const port of this.ports) {
      if (offered++ >= this.behaviour.portTableSize) break;
      port.receive(event);
    }
  }

  /** DropEvents: every port loses its queue; v3 ports then report CLUSTER_RECONNECT (3.1.4.2.66). */
  loseEvents(clusterName: string): void {
    for (const port of this.ports) {
      const reconnect = this.behaviour.reconnectAfterLoss(port.version)
        ? { dwFilter: CLUSTER_CHANGE.CLUSTER_RECONNECT, dwStateSequence: 0, Name: clusterName }
        : undefined;
      port.loseEvents(reconnect);
    }
    for (const port of this.portsV2) port.loseEvents();
  }
}
