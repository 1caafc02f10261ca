// Every clusapi method the suite and the served reference put on the wire, transcribed from
// [MS-CMRP] Appendix A (A.1 clusapi2.idl, protocol version 2.0; A.2 clusapi3.idl, version 3.0), not
// from Samba's clusapi.idl, which differs on BOOL (boolean8 there, a 32-bit long here) and on
// NOTIFICATION_RPC.dwNotifyKey (a pointer there, a 32-bit DWORD_PTR here).
//
// Version 3.0 adds an [out] rpc_status to most methods, but not to ApiOpenCluster, the close
// methods, ApiGetClusterName, ApiUnblockGetNotifyCall or ApiGetNotifyV2. Opnums are the position in
// the IDL (counting the OpnumNNNotUsedOnWire placeholders); both IDLs agree on them up to 108.
import { makeCodec, type MethodDef } from './codec';
import { bool, dword, handle, RPC_STATUS, STATUS, uniqueWstring, word, wstring, type Field, type Shape } from './shape';
import type { MethodCodec, ProtocolVersion, WireMethodName } from './types';

const BOTH: readonly ProtocolVersion[] = [2, 3];
const V3_ONLY: readonly ProtocolVersion[] = [3];

/** The version 3 rpc_status [out] parameter, where the method has one. */
const rpc = (version: ProtocolVersion): Field[] => (version === 3 ? [RPC_STATUS] : []);

/** error_status_t Method(ins..., outs..., [out] rpc_status in v3). */
function call(name: WireMethodName, opnum: number, ins: Field[], outs: Field[] = [], opts: { rpcStatus?: boolean; versions?: readonly ProtocolVersion[] } = {}): MethodDef {
  const withRpc = opts.rpcStatus ?? true;
  return {
    name,
    opnum,
    versions: opts.versions ?? BOTH,
    shape: (v): Shape => ({ ins, outs: [...outs, ...(withRpc ? rpc(v) : [])], ret: STATUS }),
  };
}

/** H*_RPC Method(ins..., [out] error_status_t *Status, [out] rpc_status in v3): returns a handle. */
function open(name: WireMethodName, opnum: number, ins: Field[], returned: string, opts: { rpcStatus?: boolean } = {}): MethodDef {
  const withRpc = opts.rpcStatus ?? true;
  return {
    name,
    opnum,
    versions: BOTH,
    shape: (v): Shape => ({ ins, outs: [STATUS, ...(withRpc ? rpc(v) : [])], ret: handle(returned) }),
  };
}

/** error_status_t Method([in, out] H*_RPC *Handle): the server NULLs the handle on success. */
function close(name: WireMethodName, opnum: number, param: string): MethodDef {
  return { name, opnum, versions: BOTH, shape: (): Shape => ({ ins: [handle(param)], outs: [handle(param)], ret: STATUS }) };
}

const h = handle;
const d = dword;

/** ApiAddNotify{Node,Group,Resource,Network,NetInterface}: the object, filter, key; out StateSequence. */
const addNotify = (name: WireMethodName, opnum: number, object: string): MethodDef =>
  call(name, opnum, [h('hNotify'), h(object), d('dwFilter'), d('dwNotifyKey')], [d('dwStateSequence')]);

/** ApiReAddNotify*: as ApiAddNotify* with the client's StateSequence in, nothing out. */
const reAddNotify = (name: WireMethodName, opnum: number, object: string): MethodDef =>
  call(name, opnum, [h('hNotify'), h(object), d('dwFilter'), d('dwNotifyKey'), d('StateSequence')]);

/** Api*Control on an object of the handle's kind (the [out] buffer's size_is is the [in] nOutBufferSize). */
const control = (name: WireMethodName, opnum: number, object: string): MethodDef =>
  call(
    name,
    opnum,
    [h(object), d('dwControlCode'), { kind: 'uniqueByteArray', name: 'lpInBuffer' }, d('nInBufferSize'), d('nOutBufferSize')],
    [{ kind: 'outBuffer', name: 'lpOutBuffer' }, d('lpBytesReturned'), d('lpcbRequired')],
  );

const DEFS: MethodDef[] = [
  // Cluster (A.1/A.2: neither version gives ApiOpenCluster or ApiGetClusterName an rpc_status).
  open('ApiOpenCluster', 0, [], 'hCluster', { rpcStatus: false }),
  close('ApiCloseCluster', 1, 'Cluster'),
  call('ApiGetClusterName', 3, [], [uniqueWstring('ClusterName'), uniqueWstring('NodeName')], { rpcStatus: false }),
  call('ApiGetClusterVersion2', 102, [], [
    word('lpwMajorVersion'),
    word('lpwMinorVersion'),
    word('lpwBuildNumber'),
    uniqueWstring('lpszVendorId'),
    uniqueWstring('lpszCSDVersion'),
    { kind: 'opVerInfo', name: 'ppClusterOpVerInfo' },
  ]),

  // Resources.
  open('ApiOpenResource', 8, [wstring('lpszResourceName')], 'hResource'),
  close('ApiCloseResource', 11, 'Resource'),
  call('ApiGetResourceState', 12, [h('hResource')], [d('State'), uniqueWstring('NodeName'), uniqueWstring('GroupName')]),

  // Cluster registry.
  open('ApiGetRootKey', 28, [d('samDesired')], 'hKey'),
  open('ApiOpenKey', 30, [h('hKey'), wstring('lpSubKey'), d('samDesired')], 'phKey'),
  close('ApiCloseKey', 37, 'pKey'),

  // Groups.
  open('ApiOpenGroup', 41, [wstring('lpszGroupName')], 'hGroup'),
  close('ApiCloseGroup', 44, 'Group'),
  call('ApiGetGroupState', 45, [h('hGroup')], [d('State'), uniqueWstring('NodeName')]),

  // Version 1 notification ports.
  open('ApiCreateNotify', 55, [], 'hNotify'),
  // The IDL names the parameter hNotify (A.1) or Notify (A.2); the contract's hNotify is used for both.
  close('ApiCloseNotify', 56, 'hNotify'),
  call('ApiAddNotifyCluster', 57, [h('hNotify'), h('hCluster'), d('dwFilter'), d('dwNotifyKey')]),
  addNotify('ApiAddNotifyNode', 58, 'hNode'),
  addNotify('ApiAddNotifyGroup', 59, 'hGroup'),
  addNotify('ApiAddNotifyResource', 60, 'hResource'),
  // Key before filter, a 32-bit BOOL, and no state sequence (A.1 names the filter dwFilter, A.2 Filter).
  call('ApiAddNotifyKey', 61, [h('hNotify'), h('hKey'), d('dwNotifyKey'), d('Filter'), bool('WatchSubTree')]),
  reAddNotify('ApiReAddNotifyNode', 62, 'hNode'),
  reAddNotify('ApiReAddNotifyGroup', 63, 'hGroup'),
  reAddNotify('ApiReAddNotifyResource', 64, 'hResource'),
  {
    name: 'ApiGetNotify',
    opnum: 65,
    versions: BOTH,
    // Version 2 has [in] DWORD Timeout after the handle; version 3 has none and an rpc_status.
    shape: (v): Shape => ({
      ins: v === 2 ? [h('hNotify'), { kind: 'dword', name: 'Timeout', default: 0xffffffff }] : [h('hNotify')],
      outs: [d('dwNotifyKey'), d('dwFilter'), d('dwStateSequence'), uniqueWstring('Name'), ...rpc(v)],
      ret: STATUS,
    }),
  },

  // Nodes.
  open('ApiOpenNode', 66, [wstring('lpszNodeName')], 'hNode'),
  close('ApiCloseNode', 67, 'Node'),
  call('ApiGetNodeState', 68, [h('hNode')], [d('State')]),

  // Networks.
  open('ApiOpenNetwork', 81, [wstring('lpszNetworkName')], 'hNetwork'),
  close('ApiCloseNetwork', 82, 'Network'),
  call('ApiGetNetworkState', 83, [h('hNetwork')], [d('State')]),
  addNotify('ApiAddNotifyNetwork', 90, 'hNetwork'),
  reAddNotify('ApiReAddNotifyNetwork', 91, 'hNetwork'),

  // Network interfaces.
  open('ApiOpenNetInterface', 92, [wstring('lpszNetInterfaceName')], 'hNetInterface'),
  close('ApiCloseNetInterface', 93, 'NetInterface'),
  call('ApiGetNetInterfaceState', 94, [h('hNetInterface')], [d('State')]),
  addNotify('ApiAddNotifyNetInterface', 99, 'hNetInterface'),
  reAddNotify('ApiReAddNotifyNetInterface', 100, 'hNetInterface'),

  call('ApiUnblockGetNotifyCall', 107, [h('hNotify')], [], { rpcStatus: false }),

  // Version 2 notification ports (A.2 only).
  {
    name: 'ApiCreateNotifyV2',
    opnum: 137,
    versions: V3_ONLY,
    // [out] rpc_error is the method's status (the contract's `status`), then [out] rpc_status.
    shape: (): Shape => ({ ins: [], outs: [STATUS, RPC_STATUS], ret: h('hNotify') }),
  },
  call(
    'ApiAddNotifyV2',
    138,
    [h('hNotify'), h('hObject'), { kind: 'filterAndType', name: 'filter' }, d('dwNotifyKey'), d('dwVersion'), bool('isTargetedAtObject')],
    [],
    { versions: V3_ONLY },
  ),
  // Management methods (the in-band stimuli and role discovery call them).
  call('ApiCreateEnum', 7, [d('dwType')], [{ kind: 'enumList', name: 'ReturnEnum' }]),
  open('ApiCreateResource', 9, [h('hGroup'), wstring('lpszResourceName'), wstring('lpszResourceType'), d('dwFlags')], 'hResource'),
  call('ApiGetNetInterface', 95, [wstring('lpszNodeName'), wstring('lpszNetworkName')], [uniqueWstring('lppszInterfaceName')]),
  call('ApiGetQuorumResource', 5, [], [uniqueWstring('lpszResourceName'), uniqueWstring('lpszDeviceName'), d('pdwMaxQuorumLogSize')]),
  call('ApiDeleteResource', 10, [h('hResource')]),
  call('ApiFailResource', 16, [h('hResource')]),
  call('ApiOnlineResource', 17, [h('hResource')]),
  call('ApiOfflineResource', 18, [h('hResource')]),
  call('ApiChangeResourceGroup', 25, [h('hResource'), h('hGroup')]),
  {
    name: 'ApiCreateKey',
    opnum: 29,
    versions: BOTH,
    // HKEY_RPC ApiCreateKey(hKey, lpSubKey, dwOptions, samDesired, [unique] lpSecurityAttributes,
    // [out] lpdwDisposition, [out] Status, [out] rpc_status in v3).
    shape: (v): Shape => ({
      ins: [h('hKey'), wstring('lpSubKey'), d('dwOptions'), d('samDesired'), { kind: 'securityAttributes', name: 'lpSecurityAttributes' }],
      outs: [d('lpdwDisposition'), STATUS, ...rpc(v)],
      ret: h('phKey'),
    }),
  },
  call('ApiSetValue', 32, [h('hKey'), wstring('lpValueName'), d('dwType'), { kind: 'byteArray', name: 'lpData' }, d('cbData')]),
  call('ApiDeleteValue', 33, [h('hKey'), wstring('lpValueName')]),
  call('ApiDeleteKey', 35, [h('hKey'), wstring('lpSubKey')]),
  // [in, out] PRPC_SECURITY_DESCRIPTOR: one field in both directions (the offer in, the descriptor out).
  {
    name: 'ApiGetKeySecurity',
    opnum: 40,
    versions: BOTH,
    shape: (v): Shape => {
      const sd: Field = { kind: 'securityDescriptorBuffer', name: 'pRpcSecurityDescriptor' };
      return { ins: [h('hKey'), d('SecurityInformation'), sd], outs: [sd, ...rpc(v)], ret: STATUS };
    },
  },
  call('ApiSetQuorumResource', 6, [h('hResource'), wstring('lpszDeviceName'), d('dwMaxQuorumLogSize')]),
  call('ApiSetKeySecurity', 39, [h('hKey'), d('SecurityInformation'), { kind: 'securityDescriptor', name: 'pRpcSecurityDescriptor' }]),
  open('ApiCreateGroup', 42, [wstring('lpszGroupName')], 'hGroup'),
  {
    name: 'ApiDeleteGroup',
    opnum: 43,
    versions: BOTH,
    // Version 3 adds [in] BOOL force; a missing one goes as FALSE.
    shape: (v): Shape => ({ ins: v === 3 ? [h('Group'), { kind: 'bool', name: 'force', default: 0 }] : [h('Group')], outs: rpc(v), ret: STATUS }),
  },
  call('ApiOnlineGroup', 49, [h('hGroup')]),
  call('ApiOfflineGroup', 50, [h('hGroup')]),
  call('ApiMoveGroupToNode', 52, [h('hGroup'), h('hNode')]),
  call('ApiPauseNode', 69, [h('hNode')]),
  call('ApiResumeNode', 70, [h('hNode')]),
  // Api*Control: [in] handle, dwControlCode, [in, unique, size_is(nInBufferSize)] lpInBuffer, nInBufferSize,
  // [out, size_is(nOutBufferSize), length_is(*lpBytesReturned)] lpOutBuffer, [in] nOutBufferSize,
  // [out] lpBytesReturned, [out] lpcbRequired, [out] rpc_status in v3.
  control('ApiResourceControl', 73, 'hResource'),
  call(
    'ApiResourceTypeControl',
    75,
    [h('hCluster'), wstring('lpszResourceTypeName'), d('dwControlCode'), { kind: 'uniqueByteArray', name: 'lpInBuffer' }, d('nInBufferSize'), d('nOutBufferSize')],
    [{ kind: 'outBuffer', name: 'lpOutBuffer' }, d('lpBytesReturned'), d('lpcbRequired')],
  ),
  control('ApiGroupControl', 77, 'hGroup'),
  control('ApiNodeControl', 79, 'hNode'),
  control('ApiNetworkControl', 89, 'hNetwork'),
  control('ApiNetInterfaceControl', 98, 'hNetInterface'),
  control('ApiClusterControl', 106, 'hCluster'),

  call('ApiGetNotifyV2', 139, [h('hNotify')], [{ kind: 'notifications', name: 'Notifications' }], { rpcStatus: false, versions: V3_ONLY }),
];

/** Every definition by name (test/wire/codec checks that each WireMethodName has one). */
export const CODECS = Object.fromEntries(DEFS.map((def) => [def.name, makeCodec(def)])) as Record<WireMethodName, MethodCodec>;
