// What a connection needs of the server it belongs to. An interface, so session code does not depend
// on server.ts (which creates connections).
import type { Behaviour } from '../rules/behaviour';
import type { ClusterModel } from '../model/cluster';
import type { NotificationHub } from '../notify/hub';
import type { Publish } from '../control/publisher';
import type { ClusterSecurity } from '../model/security';

import type { ServerState } from '../control/control';

export type { ServerState };

export interface ServerCore {
  /** Replaced by Reset: always read it through the core, never keep it. */
  readonly model: ClusterModel;
  readonly hub: NotificationHub;
  readonly behaviour: Behaviour;
  readonly serverState: ServerState;
  /** The protocol server state of the node at `nodeIndex` (its own, where SetNodeServerState set one; else the cluster's). */
  serverStateOf(nodeIndex: number): ServerState;
  /** Hands an internal event to every port: the management methods post through it as the control verbs do. */
  readonly publish: Publish;
  /** The cluster security descriptor, consulted on every call (3.1.3). */
  readonly security: ClusterSecurity;
}
