// Every live notification port of the server, whichever connection owns it: an internal event is
// offered to all of them (events are cluster-wide; registrations decide who gets what).
import { CLUSTER_CHANGE, type ProtocolVersion } from '../../cmrp/constants';
import type { Behaviour } from '../rules/behaviour';
import type { InternalEvent } from '../rules/event';
import { NotificationPort } from './port';

export class NotificationHub {
  private readonly ports = new Set<NotificationPort>();

  constructor(private readonly behaviour: Behaviour) {}

  open(version: ProtocolVersion): NotificationPort {
    const port = new NotificationPort(version, this.behaviour);
    this.ports.add(port);
    return port;
  }

  /** Forgets a port that was closed or aborted; it receives nothing more. */
  forget(port: NotificationPort): void {
    this.ports.delete(port);
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
  }
}
