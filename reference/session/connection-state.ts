// One connection's server-side state (its handles, version, access level) and the checks every method
// starts with: server state, access level, and context handles.
import type { AccessLevel, MethodName } from '../../cmrp/contract';
import { ERROR, type ProtocolVersion } from '../../cmrp/constants';
import { isNotifyMethod, type HandleKind } from '../rules/behaviour';
import { RpcFault, SERVER_ERROR } from '../rules/codes';
import { CLUSTER_NODE_STATE } from '../rules/states';
import type { NotificationPort } from '../notify/port';
import type { ServerCore, ServerState } from './core';
import { HandleTable, type TargetOf } from './handles';

/** The methods that return a handle to an object or key: each only SHOULD be accepted in read-only. */
const OPEN_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['ApiOpenCluster', 'ApiOpenNode', 'ApiOpenGroup', 'ApiOpenResource', 'ApiOpenNetwork', 'ApiOpenNetInterface', 'ApiGetRootKey', 'ApiOpenKey']);

/**
 * A call that will not go ahead: its status. ERROR_SUCCESS here means a mutant accepted a bad handle
 * and the call succeeds without doing anything.
 */
export interface Refusal {
  refused: number;
}

export function isRefusal(value: object): value is Refusal {
  return 'refused' in value;
}

export class ConnectionState {
  readonly handles = new HandleTable();
  alive = true;

  constructor(
    readonly core: ServerCore,
    readonly version: ProtocolVersion,
    /** The principal the client connected as: the full account or the Read account of the cluster. */
    readonly account: AccessLevel,
    /** The node the client is connected to: its place among the cluster's nodes (0: the first). */
    readonly nodeIndex = 0,
  ) {}

  /**
   * What the cluster security descriptor grants the connection's principal now ('none': nothing),
   * consulted on every call as the served reference's endpoints do; a server that ignores the descriptor
   * gives each principal its initial level.
   */
  private get granted(): AccessLevel | 'none' {
    return this.core.behaviour.honoursClusterSecurity ? this.core.security.grant(this.account) : this.account;
  }

  /** Whether the node the client is connected to is an active node (Up or Paused), not only running. */
  nodeActive(): boolean {
    const node = this.core.model.all('node')[this.nodeIndex];
    return node === undefined || node.state === CLUSTER_NODE_STATE.Up || node.state === CLUSTER_NODE_STATE.Paused;
  }

  /** Whether the node the client is connected to is no longer active because its computer is shutting down. */
  nodeShuttingDown(): boolean {
    const node = this.core.model.all('node')[this.nodeIndex];
    return node !== undefined && this.core.model.shuttingDown.has(node.name.toLowerCase());
  }

  /** The protocol server state of the node the client is connected to (3.1.4: each node keeps its own). */
  get serverState(): ServerState {
    return this.core.serverStateOf(this.nodeIndex);
  }

  /** The access level the connection's calls are served at. */
  get accessLevel(): AccessLevel {
    const granted = this.granted;
    return granted === 'none' ? 'read' : granted;
  }

  /** The notification ports this connection holds open. */
  ports(): NotificationPort[] {
    return this.handles.targets('notify').map((t) => t.port);
  }

  /**
   * The checks before any method runs: the caller's access level (3.1.3 validates permission first,
   * 3.1.4.1/3.1.4.2 give the levels), then the 3.1.1 protocol server state. Only notification methods
   * can be refused in read-only (and the opens, which only SHOULD be accepted there): the other methods
   * of the contract do not modify the cluster.
   */
  gate(method: MethodName): Refusal | undefined {
    const { behaviour } = this.core;
    const { serverState } = this;
    // 3.1.3: a principal the descriptor does not permit gets a nonzero error before any method runs.
    if (this.granted === 'none') return { refused: ERROR.ACCESS_DENIED };
    if (!behaviour.acceptAccess(method, this.accessLevel, this.version)) return { refused: ERROR.ACCESS_DENIED };
    if (!behaviour.servesFromNode(this.nodeIndex)) return { refused: SERVER_ERROR.CLUSTER_NODE_NOT_READY };
    if (!this.nodeActive() && !behaviour.inactiveNode.servesReads) {
      return { refused: this.nodeShuttingDown() ? behaviour.shutdownRefusal(this.version) : SERVER_ERROR.CLUSTER_NODE_NOT_READY };
    }
    if (serverState === 'read-only' && isNotifyMethod(method) && !behaviour.acceptInReadOnly(method, this.version)) {
      return { refused: SERVER_ERROR.SHARING_PAUSED };
    }
    if (serverState === 'read-only' && OPEN_METHODS.has(method) && !behaviour.acceptOpenInReadOnly) return { refused: SERVER_ERROR.SHARING_PAUSED };
    return undefined;
  }

  /** Resolves a context handle of the expected type, or says why the call fails (ERROR_INVALID_HANDLE). */
  check<K extends HandleKind>(handle: string, kind: K): TargetOf<K> | Refusal {
    const resolution = this.handles.resolve(handle, kind);
    if (resolution.ok) return resolution.target;
    // A runtime that tracks context handles rejects one it does not know before the method runs.
    const fault = this.core.behaviour.staleHandleFault;
    if (resolution.fault === 'unknown' && fault !== undefined) throw new RpcFault(fault);
    return { refused: this.core.behaviour.acceptBadHandle(resolution.fault, kind) ? ERROR.SUCCESS : ERROR.INVALID_HANDLE };
  }
}
