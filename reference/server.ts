// The reference server: one in-process simulated cluster, its notification ports, the connections
// clients open to it, and its control adapter. Everything the harness uses is on this class.
import type { ClusterControl } from '../cmrp/control';
import type { ClusapiConnection, ConnectOptions } from '../cmrp/contract';
import type { Behaviour } from './rules/behaviour';
import { RPC_S_CALL_FAILED } from './rules/codes';
import { ReferenceControl, type ServerLifecycle } from './control/control';
import { ClusterModel } from './model/cluster';
import { DEFAULT_CLUSTER, type ClusterData } from './model/initial';
import type { InternalEvent } from './rules/event';
import { netInterfaceStateToSpecTable } from './rules/states';
import { NotificationHub } from './notify/hub';
import { toV2Event } from './notify/v2/translate';
import { ServerConnection } from './session/connection';
import { ConnectionState } from './session/connection-state';
import type { ServerCore, ServerState } from './session/core';

export class ClusterServer implements ServerCore, ServerLifecycle {
  model: ClusterModel;
  serverState: ServerState = 'read-write';
  readonly hub: NotificationHub;
  readonly control: ClusterControl;
  private readonly connections = new Set<ConnectionState>();

  /** `cluster`: the initial cluster, which Reset returns to (checked data: reference/model/load-cluster.ts). */
  constructor(
    readonly behaviour: Behaviour,
    readonly cluster: ClusterData = DEFAULT_CLUSTER,
  ) {
    this.model = new ClusterModel(cluster, behaviour);
    this.hub = new NotificationHub(behaviour);
    this.control = new ReferenceControl(this);
  }

  connect(options: ConnectOptions): ClusapiConnection {
    const state = new ConnectionState(this, options.protocolVersion, options.accessLevel ?? 'full');
    this.connections.add(state);
    return new ServerConnection(state, (s) => this.drop(s));
  }

  /** Hands an internal event to every port (an arrow: the control verbs receive it unbound). */
  readonly publish = (event: InternalEvent): void => {
    this.hub.publish(event);
    const v2 = toV2Event(this.behaviour.netInterfaceNumbering === 'spec-table' ? specTableNumbered(event) : event, this.model);
    if (v2) this.hub.publishV2(v2);
  };

  setServerState(state: ServerState): void {
    this.serverState = state;
  }

  dropEvents(): void {
    this.hub.loseEvents(this.model.name);
  }

  /** Every existing connection dies with its ports and handles; pending calls fail with RPC_S_CALL_FAILED. */
  failover(): void {
    for (const connection of [...this.connections]) this.drop(connection);
  }

  /**
   * Back to the initial cluster: fresh objects, states and registry, read/write, and every port of every
   * connection closed (pending reads complete as for ApiCloseNotify). Connections and their object
   * handles survive: handles name objects, so they now designate the fresh objects of that name.
   */
  reset(): void {
    this.model = new ClusterModel(this.cluster, this.behaviour);
    this.serverState = 'read-write';
    for (const connection of this.connections) {
      for (const { port } of [...connection.handles.releaseAll('notify'), ...connection.handles.releaseAll('notifyV2')]) {
        port.close();
        this.hub.forget(port);
      }
    }
  }

  /** Ends every connection; nothing (no timer, no pending call) is left behind. */
  dispose(): void {
    this.failover();
  }

  private drop(connection: ConnectionState): void {
    if (!connection.alive) return;
    connection.alive = false;
    this.connections.delete(connection);
    for (const target of connection.handles.clear()) {
      if (target.kind === 'notify' || target.kind === 'notifyV2') {
        target.port.abort(RPC_S_CALL_FAILED);
        this.hub.forget(target.port);
      }
    }
  }
}

/** The event with its interface's state in the spec table's numbering (the payload of NETINTERFACE_STATE_V2). */
function specTableNumbered(event: InternalEvent): InternalEvent {
  const object = event.detail?.object;
  if (object?.type !== 'netInterface') return event;
  return { ...event, detail: { ...event.detail, object: { ...object, state: netInterfaceStateToSpecTable(object.state) } } };
}
