// The reference server: one in-process simulated cluster, its notification ports, the connections
// clients open to it, and its control adapter. Everything the harness uses is on this class.
import type { ClusterControl } from '../cmrp/control';
import type { ClusapiConnection, ConnectOptions } from '../cmrp/contract';
import type { Behaviour } from './rules/behaviour';
import { RPC_S_CALL_FAILED } from './rules/codes';
import { ReferenceControl, type ServerLifecycle } from './control/control';
import { isActiveNode } from './control/node-verbs';
import { ClusterModel } from './model/cluster';
import { DEFAULT_CLUSTER, type ClusterData } from './model/initial';
import type { InternalEvent } from './rules/event';
import { netInterfaceStateToSpecTable } from './rules/states';
import { NotificationHub } from './notify/hub';
import { toV2Event } from './notify/v2/translate';
import { ServerConnection } from './session/connection';
import { ConnectionState } from './session/connection-state';
import { ClusterSecurity } from './model/security';
import type { ServerCore, ServerState } from './session/core';

export class ClusterServer implements ServerCore, ServerLifecycle {
  model: ClusterModel;
  serverState: ServerState = 'read-write';
  /** Nodes (by their place in the cluster) whose protocol server state is their own, not the cluster's. */
  private readonly nodeServerStates = new Map<number, ServerState>();
  readonly hub: NotificationHub;
  readonly control: ClusterControl;
  /** The cluster security descriptor: SetClusterSecurity changes it, Reset restores it. */
  readonly security = new ClusterSecurity();
  private readonly connections = new Set<ConnectionState>();
  /** The node (lowercase name) each live connection is connected to. */
  private readonly nodeOf = new Map<ConnectionState, string>();

  /** `cluster`: the initial cluster, which Reset returns to (checked data: reference/model/load-cluster.ts). */
  constructor(
    readonly behaviour: Behaviour,
    readonly cluster: ClusterData = DEFAULT_CLUSTER,
  ) {
    this.model = new ClusterModel(cluster, behaviour);
    this.hub = new NotificationHub(behaviour);
    this.control = new ReferenceControl(this);
  }

  /**
   * A connection to one node of the cluster (`options.node`, by name; absent: the first node). Every
   * node serves the one shared cluster state; a node that is not active (NodeDown) takes no connection,
   * as a lost node's endpoint answers nobody.
   */
  connect(options: ConnectOptions): ClusapiConnection {
    const nodes = this.model.all('node');
    const index = options.node === undefined ? 0 : nodes.findIndex((n) => n.name.toLowerCase() === options.node!.toLowerCase());
    const node = nodes[index];
    if (!node) throw new Error(`connect: the cluster has no node '${options.node}'`);
    // A node that runs the cluster software without being active (SetNodeActivity) still answers.
    if (!isActiveNode(node) && !this.model.running.has(node.name.toLowerCase())) throw new Error(`connect: node '${node.name}' is down`);
    const state = new ConnectionState(this, options.protocolVersion, options.accessLevel ?? 'full', index);
    this.connections.add(state);
    this.nodeOf.set(state, node.name.toLowerCase());
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
    this.nodeServerStates.clear();
  }

  /** A node's own state (3.1.4: each node keeps one); a server that keeps one for the cluster sets that. */
  setNodeServerState(name: string, state: ServerState): void {
    const index = this.model.all('node').findIndex((n) => n.name.toLowerCase() === name.toLowerCase());
    if (index < 0) throw new Error(`SetNodeServerState: the cluster has no node '${name}'`);
    if (this.behaviour.serverStatePerNode) this.nodeServerStates.set(index, state);
    else this.setServerState(state);
  }

  serverStateOf(nodeIndex: number): ServerState {
    return this.nodeServerStates.get(nodeIndex) ?? this.serverState;
  }

  dropEvents(): void {
    this.hub.loseEvents(this.model.name);
  }

  /** Every existing connection dies with its ports and handles; pending calls fail with RPC_S_CALL_FAILED. */
  failover(): void {
    for (const connection of [...this.connections]) this.drop(connection);
  }

  /** A node is lost: the connections to it die as in a failover; those to the other nodes live on. */
  dropNode(name: string): void {
    for (const connection of [...this.connections]) if (this.nodeOf.get(connection) === name.toLowerCase()) this.drop(connection);
  }

  /**
   * Back to the initial cluster: fresh objects, states and registry, read/write, and every port of every
   * connection closed (pending reads complete as for ApiCloseNotify). Connections and their object
   * handles survive: handles name objects, so they now designate the fresh objects of that name.
   */
  reset(): void {
    this.model = new ClusterModel(this.cluster, this.behaviour);
    this.serverState = 'read-write';
    this.nodeServerStates.clear();
    this.security.reset();
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
    this.nodeOf.delete(connection);
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
