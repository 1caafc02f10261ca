// The one table of the IDL ([MS-CMRP] Appendix A): every method of the target contract with its opnum,
// the protocol versions whose IDL has it, its parameters in IDL order and its out parameters, each with
// the value kind it takes. Everything else that names the IDL is derived from it or checked against it:
// - the adapter protocol: both ends (the harness binding and `serve`) encode and check with it, and
//   test/adapter/protocol-doc.test.ts holds the doc and the JSON Schema to it;
// - the session's parameter names (harness/session/parameters.ts) are derived from it;
// - the contract's method signatures (contract.ts) are checked against it by the compiler (idl-check.ts);
// - the NDR stubs (wire/clusapi/methods.ts) are checked against it by test/wire/codec/idl.test.ts
//   (opnum, versions, argument and reply names).
import type { ProtocolVersion } from './constants';
import type { MethodName } from './contract';

/**
 * JSON forms of values:
 * - handle: an opaque string (the adapter chooses the form; the fabricated handle is 40 hex digits),
 *   or null for the NULL context handle (a failed Open*, ApiCloseNotify's success; 40 zeros mean the same);
 * - string: a UTF-16 string of the IDL (names, registry paths);
 * - uint32: an integer 0..4294967295 (DWORD);
 * - int32: a state enumeration value, -1 (unknown) included; 0..4294967295 is accepted as its unsigned form;
 * - bool: a 32-bit BOOL as JSON true/false;
 * - uint64: an unsigned 64-bit value as a decimal string (JSON numbers lose precision past 2^53);
 * - notifications: the NOTIFICATION_RPC list of ApiGetNotifyV2;
 * - bytes: a byte buffer as lowercase hex ("" for none), or null for a NULL [unique] pointer (ApiSetValue's
 *   lpData, a security descriptor);
 * - enumList: the ENUM_LIST of ApiCreateEnum, as a list of { Type, Name } (null for a NULL pointer).
 */
export type ValueKind = 'handle' | 'string' | 'uint32' | 'int32' | 'bool' | 'uint64' | 'notifications' | 'bytes' | 'enumList';

export interface ParamSpec {
  readonly name: string;
  readonly kind: ValueKind;
  /**
   * Left out of the request when the harness passes no value: ApiGetNotify's Timeout, which only the
   * protocol version 2 IDL has (`versions`).
   */
  readonly optional?: true;
  /** The protocol versions whose IDL has this parameter, where not all of the method's. */
  readonly versions?: readonly ProtocolVersion[];
  /**
   * The IDL's own name where the contract's differs: the [in, out] handle of ApiCloseCluster and the
   * other object closes is `Cluster`, `Node`, ... in Appendix A; the contract keeps the h-prefixed name
   * the rest of the methods use, and the NDR stub names the echoed handle as the IDL does.
   */
  readonly idlName?: string;
}

export interface MethodSpec {
  /** The opnum: the method's position in the IDL, OpnumNNNotUsedOnWire placeholders counted. */
  readonly opnum: number;
  /** The protocol versions whose IDL has the method (A.1 clusapi2.idl: 2; A.2 clusapi3.idl: 3). */
  readonly versions: readonly ProtocolVersion[];
  /** In the IDL's order: the positional arguments of the ClusapiConnection method. */
  readonly params: readonly ParamSpec[];
  /** Out parameters beside `status`; required when status is ERROR_SUCCESS (0). */
  readonly outs: Readonly<Record<string, ValueKind>>;
  /** Version 2 notification ports: sent only to adapters that declare notifyV2. */
  readonly notifyV2?: true;
  /**
   * A management method ([MS-CMRP] 3.1.4.x, not a notification method): it changes the cluster, so the
   * suite calls it only to cause events in-band (harness/stimulus/), never as a test of its own. An
   * adapter that lacks it answers "method not found" and simply offers no in-band stimuli.
   */
  readonly management?: true;
}

// Literal-typed builders: idl-check.ts reads the kinds of each method's parameters from the type.
const h = <N extends string>(name: N) => ({ name, kind: 'handle' }) as const;
const u = <N extends string>(name: N) => ({ name, kind: 'uint32' }) as const;
const s = <N extends string>(name: N) => ({ name, kind: 'string' }) as const;
const b = <N extends string>(name: N) => ({ name, kind: 'bytes' }) as const;
/** The [in, out] handle of an object close: h-prefixed in the contract, bare in the IDL. */
const closed = <N extends string, I extends string>(name: N, idlName: I) => ({ name, kind: 'handle', idlName }) as const;

const BOTH = [2, 3] as const;
const V3 = [3] as const;

/** Opnums and versions from Appendix A (the two IDLs agree on every opnum used here). */
const TABLE = {
  ApiOpenCluster: { opnum: 0, versions: BOTH, params: [], outs: { hCluster: 'handle' } },
  ApiCloseCluster: { opnum: 1, versions: BOTH, params: [closed('hCluster', 'Cluster')], outs: {} },
  ApiOpenNode: { opnum: 66, versions: BOTH, params: [s('lpszNodeName')], outs: { hNode: 'handle' } },
  ApiCloseNode: { opnum: 67, versions: BOTH, params: [closed('hNode', 'Node')], outs: {} },
  ApiOpenGroup: { opnum: 41, versions: BOTH, params: [s('lpszGroupName')], outs: { hGroup: 'handle' } },
  ApiCloseGroup: { opnum: 44, versions: BOTH, params: [closed('hGroup', 'Group')], outs: {} },
  ApiOpenResource: { opnum: 8, versions: BOTH, params: [s('lpszResourceName')], outs: { hResource: 'handle' } },
  ApiCloseResource: { opnum: 11, versions: BOTH, params: [closed('hResource', 'Resource')], outs: {} },
  ApiOpenNetwork: { opnum: 81, versions: BOTH, params: [s('lpszNetworkName')], outs: { hNetwork: 'handle' } },
  ApiCloseNetwork: { opnum: 82, versions: BOTH, params: [closed('hNetwork', 'Network')], outs: {} },
  ApiOpenNetInterface: { opnum: 92, versions: BOTH, params: [s('lpszNetInterfaceName')], outs: { hNetInterface: 'handle' } },
  ApiCloseNetInterface: { opnum: 93, versions: BOTH, params: [closed('hNetInterface', 'NetInterface')], outs: {} },
  ApiGetRootKey: { opnum: 28, versions: BOTH, params: [u('samDesired')], outs: { hKey: 'handle' } },
  ApiOpenKey: { opnum: 30, versions: BOTH, params: [h('hKey'), s('lpSubKey'), u('samDesired')], outs: { phKey: 'handle' } },
  ApiCloseKey: { opnum: 37, versions: BOTH, params: [h('pKey')], outs: {} },

  ApiGetNodeState: { opnum: 68, versions: BOTH, params: [h('hNode')], outs: { State: 'int32' } },
  ApiGetGroupState: { opnum: 45, versions: BOTH, params: [h('hGroup')], outs: { State: 'int32', NodeName: 'string' } },
  ApiGetResourceState: { opnum: 12, versions: BOTH, params: [h('hResource')], outs: { State: 'int32', NodeName: 'string', GroupName: 'string' } },
  ApiGetNetworkState: { opnum: 83, versions: BOTH, params: [h('hNetwork')], outs: { State: 'int32' } },
  ApiGetNetInterfaceState: { opnum: 94, versions: BOTH, params: [h('hNetInterface')], outs: { State: 'int32' } },

  ApiCreateNotify: { opnum: 55, versions: BOTH, params: [], outs: { hNotify: 'handle' } },
  ApiCloseNotify: { opnum: 56, versions: BOTH, params: [h('hNotify')], outs: { hNotify: 'handle' } },
  ApiAddNotifyCluster: { opnum: 57, versions: BOTH, params: [h('hNotify'), h('hCluster'), u('dwFilter'), u('dwNotifyKey')], outs: {} },
  ApiAddNotifyNode: { opnum: 58, versions: BOTH, params: [h('hNotify'), h('hNode'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyGroup: { opnum: 59, versions: BOTH, params: [h('hNotify'), h('hGroup'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyResource: { opnum: 60, versions: BOTH, params: [h('hNotify'), h('hResource'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyKey: {
    opnum: 61,
    versions: BOTH,
    params: [h('hNotify'), h('hKey'), u('dwNotifyKey'), u('Filter'), { name: 'WatchSubTree', kind: 'bool' }],
    outs: {},
  },
  ApiAddNotifyNetwork: { opnum: 90, versions: BOTH, params: [h('hNotify'), h('hNetwork'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyNetInterface: {
    opnum: 99,
    versions: BOTH,
    params: [h('hNotify'), h('hNetInterface'), u('dwFilter'), u('dwNotifyKey')],
    outs: { dwStateSequence: 'uint32' },
  },
  ApiReAddNotifyNode: { opnum: 62, versions: BOTH, params: [h('hNotify'), h('hNode'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyGroup: { opnum: 63, versions: BOTH, params: [h('hNotify'), h('hGroup'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyResource: { opnum: 64, versions: BOTH, params: [h('hNotify'), h('hResource'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyNetwork: { opnum: 91, versions: BOTH, params: [h('hNotify'), h('hNetwork'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyNetInterface: {
    opnum: 100,
    versions: BOTH,
    params: [h('hNotify'), h('hNetInterface'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')],
    outs: {},
  },
  ApiGetNotify: {
    opnum: 65,
    versions: BOTH,
    params: [h('hNotify'), { name: 'Timeout', kind: 'uint32', optional: true, versions: [2] }],
    outs: { dwNotifyKey: 'uint32', dwFilter: 'uint32', dwStateSequence: 'uint32', Name: 'string' },
  },
  ApiUnblockGetNotifyCall: { opnum: 107, versions: BOTH, params: [h('hNotify')], outs: {} },

  ApiCreateNotifyV2: { opnum: 137, versions: V3, params: [], outs: { hNotify: 'handle' }, notifyV2: true },
  ApiAddNotifyV2: {
    opnum: 138,
    versions: V3,
    params: [
      h('hNotify'),
      h('hObject'),
      u('dwObjectType'),
      { name: 'FilterFlags', kind: 'uint64' },
      u('dwNotifyKey'),
      u('dwVersion'),
      { name: 'isTargetedAtObject', kind: 'bool' },
    ],
    outs: {},
    notifyV2: true,
  },
  ApiGetNotifyV2: { opnum: 139, versions: V3, params: [h('hNotify')], outs: { Notifications: 'notifications' }, notifyV2: true },

  // Management methods: what the in-band stimuli (harness/stimulus/) and role discovery call.
  ApiCreateEnum: { opnum: 7, versions: BOTH, params: [u('dwType')], outs: { ReturnEnum: 'enumList' }, management: true },
  ApiCreateResource: {
    opnum: 9,
    versions: BOTH,
    params: [h('hGroup'), s('lpszResourceName'), s('lpszResourceType'), u('dwFlags')],
    outs: { hResource: 'handle' },
    management: true,
  },
  ApiGetClusterName: { opnum: 3, versions: BOTH, params: [], outs: { ClusterName: 'string', NodeName: 'string' }, management: true },
  ApiGetNetInterface: {
    opnum: 95,
    versions: BOTH,
    params: [s('lpszNodeName'), s('lpszNetworkName')],
    outs: { lppszInterfaceName: 'string' },
    management: true,
  },
  ApiGetQuorumResource: {
    opnum: 5,
    versions: BOTH,
    params: [],
    outs: { lpszResourceName: 'string', lpszDeviceName: 'string', pdwMaxQuorumLogSize: 'uint32' },
    management: true,
  },
  ApiFailResource: { opnum: 16, versions: BOTH, params: [h('hResource')], outs: {}, management: true },
  ApiDeleteResource: { opnum: 10, versions: BOTH, params: [h('hResource')], outs: {}, management: true },
  ApiOnlineResource: { opnum: 17, versions: BOTH, params: [h('hResource')], outs: {}, management: true },
  ApiOfflineResource: { opnum: 18, versions: BOTH, params: [h('hResource')], outs: {}, management: true },
  ApiChangeResourceGroup: { opnum: 25, versions: BOTH, params: [h('hResource'), h('hGroup')], outs: {}, management: true },
  ApiCreateKey: {
    opnum: 29,
    versions: BOTH,
    params: [h('hKey'), s('lpSubKey'), u('dwOptions'), u('samDesired'), b('lpSecurityAttributes')],
    outs: { phKey: 'handle', lpdwDisposition: 'uint32' },
    management: true,
  },
  ApiSetValue: {
    opnum: 32,
    versions: BOTH,
    params: [h('hKey'), s('lpValueName'), u('dwType'), b('lpData'), u('cbData')],
    outs: {},
    management: true,
  },
  ApiDeleteValue: { opnum: 33, versions: BOTH, params: [h('hKey'), s('lpValueName')], outs: {}, management: true },
  ApiDeleteKey: { opnum: 35, versions: BOTH, params: [h('hKey'), s('lpSubKey')], outs: {}, management: true },
  ApiSetKeySecurity: {
    opnum: 39,
    versions: BOTH,
    params: [h('hKey'), u('SecurityInformation'), b('pRpcSecurityDescriptor')],
    outs: {},
    management: true,
  },
  ApiCreateGroup: { opnum: 42, versions: BOTH, params: [s('lpszGroupName')], outs: { hGroup: 'handle' }, management: true },
  ApiDeleteGroup: {
    opnum: 43,
    versions: BOTH,
    // The IDL names the handle Group; version 3 adds [in] BOOL force (delete the group's resources too).
    params: [{ name: 'hGroup', kind: 'handle', idlName: 'Group' }, { name: 'force', kind: 'bool', optional: true, versions: [3] }],
    outs: {},
    management: true,
  },
  ApiOnlineGroup: { opnum: 49, versions: BOTH, params: [h('hGroup')], outs: {}, management: true },
  ApiOfflineGroup: { opnum: 50, versions: BOTH, params: [h('hGroup')], outs: {}, management: true },
  ApiMoveGroupToNode: { opnum: 52, versions: BOTH, params: [h('hGroup'), h('hNode')], outs: {}, management: true },
  ApiPauseNode: { opnum: 69, versions: BOTH, params: [h('hNode')], outs: {}, management: true },
  ApiResumeNode: { opnum: 70, versions: BOTH, params: [h('hNode')], outs: {}, management: true },
  ApiGetKeySecurity: {
    opnum: 40,
    versions: BOTH,
    // [in, out] PRPC_SECURITY_DESCRIPTOR: in, only the buffer the client offers (its cbInSecurityDescriptor;
    // 0 sends a NULL lpSecurityDescriptor, as a client asking for the size does); out, the descriptor's bytes
    // and cbInSecurityDescriptor (the size it needs, with ERROR_INSUFFICIENT_BUFFER when the offer was short).
    params: [h('hKey'), u('SecurityInformation'), { name: 'cbInSecurityDescriptor', kind: 'uint32', idlName: 'pRpcSecurityDescriptor' }],
    outs: { pRpcSecurityDescriptor: 'bytes', cbInSecurityDescriptor: 'uint32' },
    management: true,
  },
  ApiSetQuorumResource: {
    opnum: 6,
    versions: BOTH,
    params: [h('hResource'), s('lpszDeviceName'), u('dwMaxQuorumLogSize')],
    outs: {},
    management: true,
  },
  // Api*Control (3.1.4.x.74/78/80/89/98/106): a control code with an input buffer; the output buffer is
  // nOutBufferSize bytes, of which lpBytesReturned are returned (lpcbRequired: what a larger one would need).
  // The in-band SetProperty uses the *_GET_COMMON_PROPERTIES and *_SET_COMMON_PROPERTIES codes.
  ApiResourceControl: {
    opnum: 73,
    versions: BOTH,
    params: [h('hResource'), u('dwControlCode'), b('lpInBuffer'), u('nInBufferSize'), u('nOutBufferSize')],
    outs: { lpOutBuffer: 'bytes', lpBytesReturned: 'uint32', lpcbRequired: 'uint32' },
    management: true,
  },
  ApiResourceTypeControl: {
    opnum: 75,
    versions: BOTH,
    params: [h('hCluster'), s('lpszResourceTypeName'), u('dwControlCode'), b('lpInBuffer'), u('nInBufferSize'), u('nOutBufferSize')],
    outs: { lpOutBuffer: 'bytes', lpBytesReturned: 'uint32', lpcbRequired: 'uint32' },
    management: true,
  },
  ApiGroupControl: {
    opnum: 77,
    versions: BOTH,
    params: [h('hGroup'), u('dwControlCode'), b('lpInBuffer'), u('nInBufferSize'), u('nOutBufferSize')],
    outs: { lpOutBuffer: 'bytes', lpBytesReturned: 'uint32', lpcbRequired: 'uint32' },
    management: true,
  },
  ApiNodeControl: {
    opnum: 79,
    versions: BOTH,
    params: [h('hNode'), u('dwControlCode'), b('lpInBuffer'), u('nInBufferSize'), u('nOutBufferSize')],
    outs: { lpOutBuffer: 'bytes', lpBytesReturned: 'uint32', lpcbRequired: 'uint32' },
    management: true,
  },
  ApiNetworkControl: {
    opnum: 89,
    versions: BOTH,
    params: [h('hNetwork'), u('dwControlCode'), b('lpInBuffer'), u('nInBufferSize'), u('nOutBufferSize')],
    outs: { lpOutBuffer: 'bytes', lpBytesReturned: 'uint32', lpcbRequired: 'uint32' },
    management: true,
  },
  ApiNetInterfaceControl: {
    opnum: 98,
    versions: BOTH,
    params: [h('hNetInterface'), u('dwControlCode'), b('lpInBuffer'), u('nInBufferSize'), u('nOutBufferSize')],
    outs: { lpOutBuffer: 'bytes', lpBytesReturned: 'uint32', lpcbRequired: 'uint32' },
    management: true,
  },
  ApiClusterControl: {
    opnum: 106,
    versions: BOTH,
    params: [h('hCluster'), u('dwControlCode'), b('lpInBuffer'), u('nInBufferSize'), u('nOutBufferSize')],
    outs: { lpOutBuffer: 'bytes', lpBytesReturned: 'uint32', lpcbRequired: 'uint32' },
    management: true,
  },
} as const satisfies Record<MethodName, MethodSpec>;

/** The table with its literal types, for the compile-time checks of idl-check.ts. */
export type IdlTable = typeof TABLE;

/** A Record over MethodName: the compiler rejects a contract method missing here, or one too many. */
export const METHODS: Readonly<Record<MethodName, MethodSpec>> = TABLE;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
