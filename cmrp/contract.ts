// The target contract: what the suite needs of "a server under test". Method and parameter names are
// the IDL's own ([MS-CMRP] Appendix A), so a suite step reads like the spec. Every binding (the
// in-process reference, an adapter process, the DCE/RPC wire) implements this one interface.
import type { ProtocolVersion } from './constants';

/**
 * An opaque context handle. Bindings choose its form; a fabricated handle is 40 hex digits (the 20
 * bytes of a wire context handle), so every binding must accept that form and pass it to the server.
 */
export type Handle = string;

/**
 * The outcome of one call. `status` is the method's own status: its return value, or its `Status` /
 * `rpc_error` out parameter for the methods that return a handle. `fault` is set instead when the RPC
 * runtime rejected the call before the method ran (an unknown context handle often is): the spec
 * allows that reading for fabricated and closed handles, so tests must be able to tell the two apart.
 */
export type Reply<T extends object = object> = (T & { status: number; fault?: undefined }) | { fault: number; status?: undefined };

export interface GetNotifyOut {
  dwNotifyKey: number;
  dwFilter: number;
  dwStateSequence: number;
  Name: string;
}

/**
 * One event of a version 2 port: a NOTIFICATION_RPC ([MS-CMRP] 2.2.3.24) with its NOTIFICATION_DATA_RPC
 * (2.2.3.23) flattened, field names as the IDL's. Every pointer of the IDL may be NULL (null here).
 */
export interface NotificationV2 {
  /** DWORD_PTR: the key of the registration the event matched (32 bits in NDR20). */
  dwNotifyKey: number;
  /** FilterAndType.dwObjectType: a CLUSTER_OBJECT_TYPE value (2.2.2.11). */
  dwObjectType: number;
  /** FilterAndType.FilterFlags: a LONGLONG; one flag of the type's *_V2 enumeration. */
  FilterFlags: bigint;
  /** The payload, dwBufferSize bytes, as lowercase hex ("" for an empty buffer); null for a NULL pointer. */
  buffer: string | null;
  ObjectId: string | null;
  ParentId: string | null;
  Name: string | null;
  Type: string | null;
}

/** One ENUM_ENTRY of ApiCreateEnum's ENUM_LIST ([MS-CMRP] 2.2.3.5): a CLUSTER_ENUM type bit and a name. */
export interface EnumEntry {
  Type: number;
  Name: string;
}

export interface Capabilities {
  /** Protocol versions the target speaks: 2 (sections 3.1.4.1.x), 3 (sections 3.1.4.2.x). */
  protocolVersions: ProtocolVersion[];
  /** ApiCreateNotifyV2 / ApiAddNotifyV2 / ApiGetNotifyV2 (protocol version 3 only). */
  notifyV2: boolean;
  /** Access levels a connection can be opened with; "read" exercises the "at least Read" clauses. */
  accessLevels: AccessLevel[];
  /**
   * The binding sees the RPC runtime (the dcerpc: target): the version 3 rpc_status out parameters and the
   * 20-byte context handles. Bindings without one cannot judge those clauses.
   */
  rpcRuntime?: boolean;
  /**
   * The target serves the management methods (ApiCreateEnum, ApiCreateGroup, ApiOnlineGroup, ApiSetValue, ...):
   * the suite can then cause events in-band and discover the server's objects. A dcerpc: target always can
   * (a real server has every opnum of the IDL); an adapter says so in its Hello.
   */
  management?: boolean;
  /**
   * How many nodes of the cluster the binding can connect to, each at its own endpoint (absent: 1, the
   * node it is pointed at). Two or more judge the clauses about several active nodes ([MS-CMRP] 3.1.1,
   * 3.1.4.1, 3.1.4.2, the reconnect procedure of 3.2.4.6 across nodes).
   */
  nodeEndpoints?: number;
}

export type AccessLevel = 'full' | 'read';

export interface ConnectOptions {
  protocolVersion: ProtocolVersion;
  accessLevel?: AccessLevel;
  /**
   * The node to connect to, by its name (case-insensitive); absent: the node the target is pointed at.
   * A node the binding has no endpoint for, or one that is down, rejects the connect.
   */
  node?: string;
}

/**
 * One client connection to the server. Calls are asynchronous and independent: a pending ApiGetNotify
 * never delays another call, so ApiUnblockGetNotifyCall or ApiCloseNotify can release it.
 * Context handles are valid on the connection (association) that created them.
 */
export interface ClusapiConnection {
  readonly protocolVersion: ProtocolVersion;

  ApiOpenCluster(): Promise<Reply<{ hCluster: Handle }>>;
  ApiCloseCluster(hCluster: Handle): Promise<Reply>;
  ApiOpenNode(lpszNodeName: string): Promise<Reply<{ hNode: Handle }>>;
  ApiCloseNode(hNode: Handle): Promise<Reply>;
  ApiOpenGroup(lpszGroupName: string): Promise<Reply<{ hGroup: Handle }>>;
  ApiCloseGroup(hGroup: Handle): Promise<Reply>;
  ApiOpenResource(lpszResourceName: string): Promise<Reply<{ hResource: Handle }>>;
  ApiCloseResource(hResource: Handle): Promise<Reply>;
  ApiOpenNetwork(lpszNetworkName: string): Promise<Reply<{ hNetwork: Handle }>>;
  ApiCloseNetwork(hNetwork: Handle): Promise<Reply>;
  ApiOpenNetInterface(lpszNetInterfaceName: string): Promise<Reply<{ hNetInterface: Handle }>>;
  ApiCloseNetInterface(hNetInterface: Handle): Promise<Reply>;
  ApiGetRootKey(samDesired: number): Promise<Reply<{ hKey: Handle }>>;
  ApiOpenKey(hKey: Handle, lpSubKey: string, samDesired: number): Promise<Reply<{ phKey: Handle }>>;
  ApiCloseKey(pKey: Handle): Promise<Reply>;

  ApiGetNodeState(hNode: Handle): Promise<Reply<{ State: number }>>;
  ApiGetGroupState(hGroup: Handle): Promise<Reply<{ State: number; NodeName: string }>>;
  ApiGetResourceState(hResource: Handle): Promise<Reply<{ State: number; NodeName: string; GroupName: string }>>;
  ApiGetNetworkState(hNetwork: Handle): Promise<Reply<{ State: number }>>;
  ApiGetNetInterfaceState(hNetInterface: Handle): Promise<Reply<{ State: number }>>;

  ApiCreateNotify(): Promise<Reply<{ hNotify: Handle }>>;
  /** On success the server sets the handle to NULL: `hNotify` is then null. */
  ApiCloseNotify(hNotify: Handle): Promise<Reply<{ hNotify: Handle | null }>>;
  ApiAddNotifyCluster(hNotify: Handle, hCluster: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply>;
  ApiAddNotifyNode(hNotify: Handle, hNode: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>>;
  ApiAddNotifyGroup(hNotify: Handle, hGroup: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>>;
  ApiAddNotifyResource(hNotify: Handle, hResource: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>>;
  /** Note the IDL's own order: the key comes before the filter, and WatchSubTree is a 32-bit BOOL. */
  ApiAddNotifyKey(hNotify: Handle, hKey: Handle, dwNotifyKey: number, Filter: number, WatchSubTree: boolean): Promise<Reply>;
  ApiAddNotifyNetwork(hNotify: Handle, hNetwork: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>>;
  ApiAddNotifyNetInterface(hNotify: Handle, hNetInterface: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>>;
  ApiReAddNotifyNode(hNotify: Handle, hNode: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply>;
  ApiReAddNotifyGroup(hNotify: Handle, hGroup: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply>;
  ApiReAddNotifyResource(hNotify: Handle, hResource: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply>;
  ApiReAddNotifyNetwork(hNotify: Handle, hNetwork: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply>;
  ApiReAddNotifyNetInterface(hNotify: Handle, hNetInterface: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply>;
  /** `Timeout` (milliseconds) is a parameter in protocol version 2 only; version 3 blocks without one. */
  ApiGetNotify(hNotify: Handle, Timeout?: number): Promise<Reply<GetNotifyOut>>;
  ApiUnblockGetNotifyCall(hNotify: Handle): Promise<Reply>;

  /** Version 2 notification ports: protocol version 3 only, and only where `capabilities.notifyV2`. */
  ApiCreateNotifyV2?(): Promise<Reply<{ hNotify: Handle }>>;
  ApiAddNotifyV2?(hNotify: Handle, hObject: Handle, dwObjectType: number, FilterFlags: bigint, dwNotifyKey: number, dwVersion: number, isTargetedAtObject: boolean): Promise<Reply>;
  ApiGetNotifyV2?(hNotify: Handle): Promise<Reply<{ Notifications: NotificationV2[] }>>;

  /**
   * Management methods (3.1.4.1.x / 3.1.4.2.x): they change the cluster. The suite calls them only to cause
   * events in-band (harness/stimulus/) and to discover the server's objects (ApiCreateEnum); a binding
   * without them offers no in-band stimuli. lpData and the security descriptors are hex bytes.
   */
  ApiCreateEnum?(dwType: number): Promise<Reply<{ ReturnEnum: EnumEntry[] }>>;
  ApiCreateResource?(hGroup: Handle, lpszResourceName: string, lpszResourceType: string, dwFlags: number): Promise<Reply<{ hResource: Handle }>>;
  ApiDeleteResource?(hResource: Handle): Promise<Reply>;
  /** The cluster's name and the node the connection is served by: role discovery binds @cluster and @node to them. */
  ApiGetClusterName?(): Promise<Reply<{ ClusterName: string; NodeName: string }>>;
  /** The net interface of a node on a network: role discovery learns the interfaces' places from it. */
  ApiGetNetInterface?(lpszNodeName: string, lpszNetworkName: string): Promise<Reply<{ lppszInterfaceName: string }>>;
  /** The quorum resource: role discovery keeps the group holding it out of the roles the suite changes. */
  ApiGetQuorumResource?(): Promise<Reply<{ lpszResourceName: string; lpszDeviceName: string; pdwMaxQuorumLogSize: number }>>;
  /** Initiates a failure of the resource (its state becomes ClusterResourceFailed). */
  ApiFailResource?(hResource: Handle): Promise<Reply>;
  ApiOnlineResource?(hResource: Handle): Promise<Reply>;
  ApiOfflineResource?(hResource: Handle): Promise<Reply>;
  ApiChangeResourceGroup?(hResource: Handle, hGroup: Handle): Promise<Reply>;
  /** lpSecurityAttributes: null (the suite never passes one) or the security descriptor's bytes as hex. */
  ApiCreateKey?(hKey: Handle, lpSubKey: string, dwOptions: number, samDesired: number, lpSecurityAttributes: string | null): Promise<Reply<{ phKey: Handle; lpdwDisposition: number }>>;
  ApiSetValue?(hKey: Handle, lpValueName: string, dwType: number, lpData: string | null, cbData: number): Promise<Reply>;
  ApiDeleteValue?(hKey: Handle, lpValueName: string): Promise<Reply>;
  ApiDeleteKey?(hKey: Handle, lpSubKey: string): Promise<Reply>;
  ApiSetKeySecurity?(hKey: Handle, SecurityInformation: number, pRpcSecurityDescriptor: string | null): Promise<Reply>;
  /**
   * The key's security descriptor (self-relative, hex). `cbInSecurityDescriptor`: the buffer offered (0: none,
   * to learn the size); the reply's is the size the descriptor needs (with ERROR_INSUFFICIENT_BUFFER, 122,
   * and a null descriptor when the offer was too small).
   */
  ApiGetKeySecurity?(hKey: Handle, SecurityInformation: number, cbInSecurityDescriptor: number): Promise<Reply<{ pRpcSecurityDescriptor: string | null; cbInSecurityDescriptor: number }>>;
  /** Makes the resource the cluster's quorum resource (a change of the whole cluster: the suite asks only where the profile allows). */
  ApiSetQuorumResource?(hResource: Handle, lpszDeviceName: string, dwMaxQuorumLogSize: number): Promise<Reply>;
  ApiCreateGroup?(lpszGroupName: string): Promise<Reply<{ hGroup: Handle }>>;
  /** `force` exists in protocol version 3 only. */
  ApiDeleteGroup?(hGroup: Handle, force?: boolean): Promise<Reply>;
  ApiOnlineGroup?(hGroup: Handle): Promise<Reply>;
  ApiOfflineGroup?(hGroup: Handle): Promise<Reply>;
  ApiMoveGroupToNode?(hGroup: Handle, hNode: Handle): Promise<Reply>;
  ApiPauseNode?(hNode: Handle): Promise<Reply>;
  ApiResumeNode?(hNode: Handle): Promise<Reply>;
  /**
   * Api*Control: a control code (CLUSCTL_*, 3.1.4.3) on the object, lpInBuffer (hex, or null) of
   * nInBufferSize bytes in; at most nOutBufferSize bytes out (lpOutBuffer, lpBytesReturned of them), and
   * lpcbRequired, the size a complete answer needs (with ERROR_MORE_DATA when nOutBufferSize is too small).
   */
  ApiResourceControl?(hResource: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>>;
  /** A resource type's control codes (3.1.4.3.2), the type named on a cluster handle. */
  ApiResourceTypeControl?(hCluster: Handle, lpszResourceTypeName: string, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>>;
  ApiGroupControl?(hGroup: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>>;
  ApiNodeControl?(hNode: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>>;
  ApiNetworkControl?(hNetwork: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>>;
  ApiNetInterfaceControl?(hNetInterface: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>>;
  ApiClusterControl?(hCluster: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>>;

  /** Ends the connection; every context handle it holds becomes invalid. */
  close(): Promise<void>;
}

/** What an Api*Control call returns besides its status. */
export interface ControlOut {
  lpOutBuffer: string;
  lpBytesReturned: number;
  lpcbRequired: number;
}

/** A server under test: it declares what it can do and opens connections to itself. */
export interface Target {
  /** Human-readable, secret-free description for reports ("builtin", "stdio:./adapter", ...). */
  readonly description: string;
  readonly capabilities: Capabilities;
  connect(options: ConnectOptions): Promise<ClusapiConnection>;
  /** The SUT control adapter, when the target has one. */
  readonly control?: import('./control').ClusterControl;
  /** Releases everything the target holds (child processes, sockets). */
  dispose(): Promise<void>;
}

export type MethodName = Exclude<keyof ClusapiConnection, 'protocolVersion' | 'close'>;

/** Raised by a binding when the target misbehaves (crash, hang, garbage): the clause verdict is ERROR. */
export class TargetError extends Error {
  constructor(
    readonly call: string,
    readonly fault: 'timeout' | 'crash' | 'malformed' | 'unreachable' | 'protocol',
    detail: string,
  ) {
    super(`${call}: ${fault}: ${detail}`);
    this.name = 'TargetError';
  }
}

/** 20 bytes of hex that no server handed out: the fabricated handle of the invalid-handle tests. */
export const FABRICATED_HANDLE: Handle = 'c0ffee00'.repeat(5);
