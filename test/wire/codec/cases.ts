// The values behind the hex vectors in vectors/wire/: for every method and protocol version, the
// arguments of one request and one or two replies (a success and, where it changes the stub, an
// error). The vectors test checks the checked-in hex against these values in both directions;
// `UPDATE_VECTORS=1 npx jest test/wire/codec/vectors.test.ts` rewrites the files from them.
import type { ProtocolVersion, WireMethodName } from '../../../wire/clusapi';

/** A context handle as a Windows server hands it out: attributes 0, then a uuid. */
const handle = (tag: number): string => '00000000' + '3f2504e04f8941d39a0c0305e82c33' + tag.toString(16).padStart(2, '0');

export const HANDLES = {
  hCluster: handle(0x01),
  hNode: handle(0x02),
  hGroup: handle(0x03),
  hResource: handle(0x04),
  hKey: handle(0x05),
  hNotify: handle(0x06),
  hNetwork: handle(0x07),
  hNetInterface: handle(0x08),
  phKey: handle(0x09),
};

const ERROR_INVALID_HANDLE = 6;
const WAIT_TIMEOUT = 0x102;
// ERROR_CLUSTER_NODE_NOT_FOUND: any status works here, the stub only carries the number.
const NOT_FOUND = 5042;

export interface WireCase {
  /** Short label: what the case shows. */
  name: string;
  /** The [in] arguments by name (encodeRequest takes them in argNames order). */
  args: Record<string, unknown>;
  /** The reply record, every [out] parameter present. */
  reply: Record<string, unknown>;
}

type CaseTable = Partial<Record<WireMethodName, (v: ProtocolVersion) => WireCase[]>>;

/** rpc_status only in version 3. */
const rpc = (v: ProtocolVersion, value = 0): Record<string, number> => (v === 3 ? { rpc_status: value } : {});

const open = (arg: string, value: string, out: keyof typeof HANDLES) => (v: ProtocolVersion): WireCase[] => [
  { name: 'success', args: { [arg]: value }, reply: { status: 0, ...rpc(v), [out]: HANDLES[out] } },
  { name: 'not found: NULL handle', args: { [arg]: 'no-such' }, reply: { status: NOT_FOUND, ...rpc(v), [out]: null } },
];

const close = (param: string, value: string) => (): WireCase[] => [
  { name: 'success: the handle comes back NULL', args: { [param]: value }, reply: { [param]: null, status: 0 } },
  { name: 'invalid handle: the handle comes back unchanged', args: { [param]: value }, reply: { [param]: value, status: ERROR_INVALID_HANDLE } },
];

const addNotify = (object: keyof typeof HANDLES, filter: number) => (v: ProtocolVersion): WireCase[] => [
  {
    name: 'success with a state sequence',
    args: { hNotify: HANDLES.hNotify, [object]: HANDLES[object], dwFilter: filter, dwNotifyKey: 0x1234 },
    reply: { dwStateSequence: 7, ...rpc(v), status: 0 },
  },
  {
    name: 'invalid handle',
    args: { hNotify: HANDLES.hNotify, [object]: HANDLES.hCluster, dwFilter: filter, dwNotifyKey: 0xffffffff },
    reply: { dwStateSequence: 0, ...rpc(v), status: ERROR_INVALID_HANDLE },
  },
];

const reAddNotify = (object: keyof typeof HANDLES, filter: number) => (v: ProtocolVersion): WireCase[] => [
  {
    name: 'stale state sequence',
    args: { hNotify: HANDLES.hNotify, [object]: HANDLES[object], dwFilter: filter, dwNotifyKey: 0x1234, StateSequence: 3 },
    reply: { ...rpc(v), status: 0 },
  },
];

const getState = (object: keyof typeof HANDLES, state: number, names: Record<string, string | null> = {}) => (v: ProtocolVersion): WireCase[] => [
  { name: 'success', args: { [object]: HANDLES[object] }, reply: { State: state, ...names, ...rpc(v), status: 0 } },
  {
    name: 'invalid handle',
    args: { [object]: HANDLES[object] },
    reply: { State: 0xffffffff, ...Object.fromEntries(Object.keys(names).map((k) => [k, null])), ...rpc(v), status: ERROR_INVALID_HANDLE },
  },
];

export const CASES: CaseTable = {
  ApiOpenCluster: () => [{ name: 'success (no rpc_status in either version)', args: {}, reply: { status: 0, hCluster: HANDLES.hCluster } }],
  ApiCloseCluster: close('Cluster', HANDLES.hCluster),
  ApiGetClusterName: () => [
    { name: 'success', args: {}, reply: { ClusterName: 'CLUSTER1', NodeName: 'NODE1', status: 0 } },
  ],
  ApiGetClusterVersion2: (v) => [
    {
      name: 'Windows Server 2022 values',
      args: {},
      reply: {
        lpwMajorVersion: 10,
        lpwMinorVersion: 0,
        lpwBuildNumber: 20348,
        lpszVendorId: 'Microsoft(R) Cluster Service',
        lpszCSDVersion: '',
        ppClusterOpVerInfo: { dwSize: 20, dwClusterHighestVersion: 0x000b0003, dwClusterLowestVersion: 0x000b0003, dwFlags: 0, dwReserved: 0 },
        ...rpc(v),
        status: 0,
      },
    },
  ],
  ApiOpenResource: open('lpszResourceName', 'Cluster IP Address', 'hResource'),
  ApiCloseResource: close('Resource', HANDLES.hResource),
  ApiGetResourceState: getState('hResource', 2, { NodeName: 'NODE1', GroupName: 'Cluster Group' }),
  ApiGetRootKey: (v) => [{ name: 'success', args: { samDesired: 0x02000000 }, reply: { status: 0, ...rpc(v), hKey: HANDLES.hKey } }],
  ApiOpenKey: (v) => [
    { name: 'success', args: { hKey: HANDLES.hKey, lpSubKey: 'Parameters', samDesired: 0x20019 }, reply: { status: 0, ...rpc(v), phKey: HANDLES.phKey } },
    { name: 'empty subkey, not found', args: { hKey: HANDLES.hKey, lpSubKey: '', samDesired: 0x20019 }, reply: { status: 2, ...rpc(v), phKey: null } },
  ],
  ApiCloseKey: close('pKey', HANDLES.phKey),
  ApiOpenGroup: open('lpszGroupName', 'Cluster Group', 'hGroup'),
  ApiCloseGroup: close('Group', HANDLES.hGroup),
  ApiGetGroupState: getState('hGroup', 0, { NodeName: 'NODE2' }),
  ApiCreateNotify: (v) => [{ name: 'success', args: {}, reply: { status: 0, ...rpc(v), hNotify: HANDLES.hNotify } }],
  ApiCloseNotify: close('hNotify', HANDLES.hNotify),
  ApiAddNotifyCluster: (v) => [
    { name: 'success', args: { hNotify: HANDLES.hNotify, hCluster: HANDLES.hCluster, dwFilter: 0x20000000, dwNotifyKey: 1 }, reply: { ...rpc(v), status: 0 } },
  ],
  ApiAddNotifyNode: addNotify('hNode', 0x00000001),
  ApiAddNotifyGroup: addNotify('hGroup', 0x00001000),
  ApiAddNotifyResource: addNotify('hResource', 0x00000100),
  ApiAddNotifyKey: (v) => [
    {
      name: 'key before filter, WatchSubTree TRUE as a 32-bit 1',
      args: { hNotify: HANDLES.hNotify, hKey: HANDLES.hKey, dwNotifyKey: 0x55, Filter: 0x00000040, WatchSubTree: true },
      reply: { ...rpc(v), status: 0 },
    },
    {
      name: 'WatchSubTree FALSE',
      args: { hNotify: HANDLES.hNotify, hKey: HANDLES.hKey, dwNotifyKey: 0x56, Filter: 0x000000f0, WatchSubTree: false },
      reply: { ...rpc(v), status: ERROR_INVALID_HANDLE },
    },
  ],
  ApiReAddNotifyNode: reAddNotify('hNode', 0x00000001),
  ApiReAddNotifyGroup: reAddNotify('hGroup', 0x00001000),
  ApiReAddNotifyResource: reAddNotify('hResource', 0x00000100),
  ApiGetNotify: (v) => [
    {
      name: 'an event',
      args: { hNotify: HANDLES.hNotify, ...(v === 2 ? { Timeout: 5000 } : {}) },
      reply: { dwNotifyKey: 0x1234, dwFilter: 0x00001000, dwStateSequence: 8, Name: 'Cluster Group', ...rpc(v), status: 0 },
    },
    {
      name: v === 2 ? 'Timeout expired: WAIT_TIMEOUT, NULL Name' : 'unblocked: NULL Name',
      args: { hNotify: HANDLES.hNotify, ...(v === 2 ? { Timeout: 0xffffffff } : {}) },
      reply: { dwNotifyKey: 0, dwFilter: 0, dwStateSequence: 0, Name: null, ...rpc(v), status: v === 2 ? WAIT_TIMEOUT : 0x103 },
    },
  ],
  ApiOpenNode: open('lpszNodeName', 'NODE1', 'hNode'),
  ApiCloseNode: close('Node', HANDLES.hNode),
  ApiGetNodeState: getState('hNode', 0),
  ApiOpenNetwork: open('lpszNetworkName', 'Cluster Network 1', 'hNetwork'),
  ApiCloseNetwork: close('Network', HANDLES.hNetwork),
  ApiGetNetworkState: getState('hNetwork', 3),
  ApiAddNotifyNetwork: addNotify('hNetwork', 0x00100000),
  ApiReAddNotifyNetwork: reAddNotify('hNetwork', 0x00100000),
  ApiOpenNetInterface: open('lpszNetInterfaceName', 'NODE1 - Ethernet', 'hNetInterface'),
  ApiCloseNetInterface: close('NetInterface', HANDLES.hNetInterface),
  ApiGetNetInterfaceState: getState('hNetInterface', 3),
  ApiAddNotifyNetInterface: addNotify('hNetInterface', 0x01000000),
  ApiReAddNotifyNetInterface: reAddNotify('hNetInterface', 0x01000000),
  ApiUnblockGetNotifyCall: () => [{ name: 'success', args: { hNotify: HANDLES.hNotify }, reply: { status: 0 } }],
  ApiCreateNotifyV2: () => [
    { name: 'success: rpc_error is the status', args: {}, reply: { status: 0, rpc_status: 0, hNotify: HANDLES.hNotify } },
    { name: 'refused: a NULL handle', args: {}, reply: { status: 5, rpc_status: 0, hNotify: null } },
  ],
  ApiAddNotifyV2: () => [
    {
      name: 'a group filter, targeted at the object',
      args: { hNotify: HANDLES.hNotify, hObject: HANDLES.hGroup, dwObjectType: 2, FilterFlags: 0x00000000000000f0n, dwNotifyKey: 0x77, dwVersion: 2, isTargetedAtObject: true },
      reply: { rpc_status: 0, status: 0 },
    },
    {
      name: 'a cluster-wide registry filter with REGISTRY_SUBTREE_V2, a FilterFlags above 32 bits refused',
      args: { hNotify: HANDLES.hNotify, hObject: HANDLES.hCluster, dwObjectType: 8, FilterFlags: 0x100000000000000cn, dwNotifyKey: 0xfffffffe, dwVersion: 2, isTargetedAtObject: false },
      reply: { rpc_status: 0, status: 0x57 },
    },
  ],
  ApiGetNotifyV2: () => [
    {
      name: 'two notifications, one without payload or parent',
      args: { hNotify: HANDLES.hNotify },
      reply: {
        Notifications: [
          { dwNotifyKey: 0x77, dwObjectType: 2, FilterFlags: 0x10n, buffer: '01000000', ObjectId: 'a1b2', ParentId: 'NODE1', Name: 'Cluster Group', Type: '' },
          { dwNotifyKey: 0x78, dwObjectType: 3, FilterFlags: 0x2n, buffer: null, ObjectId: 'c3', ParentId: null, Name: 'Disk', Type: 'Physical Disk' },
        ],
        dwNumNotifications: 2,
        status: 0,
      },
    },
    {
      name: 'registry, resource type and quorum: an empty buffer, a property list, NULL ParentId and Type',
      args: { hNotify: HANDLES.hNotify },
      reply: {
        Notifications: [
          { dwNotifyKey: 3, dwObjectType: 8, FilterFlags: 0x8n, buffer: '', ObjectId: 'Level', ParentId: '', Name: 'Parameters\\Advanced', Type: '' },
          {
            dwNotifyKey: 4,
            dwObjectType: 4,
            FilterFlags: 0x2n,
            // PROPERTY_LIST: 1 property, CLUSPROP_SYNTAX_NAME "D", CLUSPROP_SYNTAX_LIST_VALUE_DWORD 7, ENDMARK.
            buffer: '01000000030004000400000044000000020001000400000007000000' + '00000000',
            ObjectId: '',
            ParentId: '',
            Name: 'Generic Service',
            Type: '',
          },
          { dwNotifyKey: 5, dwObjectType: 9, FilterFlags: 0x1n, buffer: '02000000', ObjectId: 'e0162015', ParentId: null, Name: 'Cluster Disk 2', Type: null },
        ],
        dwNumNotifications: 3,
        status: 0,
      },
    },
    { name: 'no notifications: NULL array', args: { hNotify: HANDLES.hNotify }, reply: { Notifications: null, dwNumNotifications: 0, status: 0x103 } },
  ],

  // Management methods: what the in-band stimuli and role discovery send.
  ApiCreateEnum: (v) => [
    {
      name: 'nodes and groups',
      args: { dwType: 0x9 },
      reply: { ReturnEnum: [{ Type: 1, Name: 'NODE1' }, { Type: 8, Name: 'Cluster Group' }, { Type: 8, Name: 'App' }], ...rpc(v), status: 0 },
    },
    { name: 'an invalid type: NULL list', args: { dwType: 0x80000001 }, reply: { ReturnEnum: null, ...rpc(v), status: 0x57 } },
  ],
  ApiGetNetInterface: (v) => [
    { name: 'success', args: { lpszNodeName: 'NODE1', lpszNetworkName: 'Cluster Network 1' }, reply: { lppszInterfaceName: 'NODE1 - Ethernet', ...rpc(v), status: 0 } },
    { name: 'no such interface: NULL name', args: { lpszNodeName: 'NODE1', lpszNetworkName: 'x' }, reply: { lppszInterfaceName: null, ...rpc(v), status: 5047 } },
  ],
  ApiGetQuorumResource: (v) => [
    { name: 'success', args: {}, reply: { lpszResourceName: 'Cluster Disk 1', lpszDeviceName: 'Q:', pdwMaxQuorumLogSize: 0x400000, ...rpc(v), status: 0 } },
  ],
  ApiCreateResource: (v) => [
    {
      name: 'success',
      args: { hGroup: HANDLES.hGroup, lpszResourceName: 'cmrp-conformance share', lpszResourceType: 'Generic Service', dwFlags: 0 },
      reply: { status: 0, ...rpc(v), hResource: HANDLES.hResource },
    },
    {
      name: 'the name is taken: NULL handle',
      args: { hGroup: HANDLES.hGroup, lpszResourceName: 'Cluster Name', lpszResourceType: 'Network Name', dwFlags: 1 },
      reply: { status: 0x1392, ...rpc(v), hResource: null },
    },
  ],
  ApiDeleteResource: simple({ hResource: HANDLES.hResource }),
  ApiFailResource: simple({ hResource: HANDLES.hResource }),
  ApiOnlineResource: simple({ hResource: HANDLES.hResource }, 997),
  ApiOfflineResource: simple({ hResource: HANDLES.hResource }, 997),
  ApiChangeResourceGroup: simple({ hResource: HANDLES.hResource, hGroup: HANDLES.hGroup }),
  ApiCreateKey: (v) => [
    {
      name: 'a new key, no security attributes',
      args: { hKey: HANDLES.hKey, lpSubKey: 'cmrp-conformance-key', dwOptions: 0, samDesired: 0xf003f, lpSecurityAttributes: null },
      reply: { lpdwDisposition: 1, status: 0, ...rpc(v), phKey: HANDLES.phKey },
    },
    {
      name: 'an existing key, with a security descriptor',
      args: { hKey: HANDLES.hKey, lpSubKey: 'A\\B', dwOptions: 0, samDesired: 0x20019, lpSecurityAttributes: '0100048000000000000000000000000014000000' },
      reply: { lpdwDisposition: 2, status: 0, ...rpc(v), phKey: HANDLES.phKey },
    },
  ],
  ApiSetValue: (v) => [
    { name: 'a REG_DWORD', args: { hKey: HANDLES.phKey, lpValueName: 'Timeout', dwType: 4, lpData: '3c000000', cbData: 4 }, reply: { ...rpc(v), status: 0 } },
    { name: 'a REG_SZ of 6 bytes: cbData realigned', args: { hKey: HANDLES.phKey, lpValueName: 'Level', dwType: 1, lpData: '610062000000', cbData: 6 }, reply: { ...rpc(v), status: 6 } },
  ],
  ApiDeleteValue: simple({ hKey: HANDLES.phKey, lpValueName: 'Timeout' }),
  ApiDeleteKey: simple({ hKey: HANDLES.hKey, lpSubKey: 'cmrp-conformance-key' }),
  ApiSetKeySecurity: (v) => [
    {
      name: 'a DACL',
      args: { hKey: HANDLES.phKey, SecurityInformation: 4, pRpcSecurityDescriptor: '0100048000000000000000000000000014000000' },
      reply: { ...rpc(v), status: 0 },
    },
  ],
  ApiCreateGroup: (v) => [
    { name: 'success', args: { lpszGroupName: 'cmrp-conformance group' }, reply: { status: 0, ...rpc(v), hGroup: HANDLES.hGroup } },
    { name: 'the name is taken: NULL handle', args: { lpszGroupName: 'Cluster Group' }, reply: { status: 0x1392, ...rpc(v), hGroup: null } },
  ],
  ApiDeleteGroup: (v) => [
    { name: 'success', args: { Group: HANDLES.hGroup, ...(v === 3 ? { force: true } : {}) }, reply: { ...rpc(v), status: 0 } },
    { name: 'the group holds resources', args: { Group: HANDLES.hGroup, ...(v === 3 ? { force: false } : {}) }, reply: { ...rpc(v), status: 0x91 } },
  ],
  ApiOnlineGroup: simple({ hGroup: HANDLES.hGroup }, 997),
  ApiOfflineGroup: simple({ hGroup: HANDLES.hGroup }, 997),
  ApiMoveGroupToNode: simple({ hGroup: HANDLES.hGroup, hNode: HANDLES.hNode }),
  ApiPauseNode: simple({ hNode: HANDLES.hNode }),
  ApiResumeNode: simple({ hNode: HANDLES.hNode }, 0x13c2),
  ApiGetKeySecurity: (v) => [
    {
      name: 'asking the size: no buffer offered (NULL), ERROR_INSUFFICIENT_BUFFER with the size needed',
      args: { hKey: HANDLES.phKey, SecurityInformation: 4, pRpcSecurityDescriptor: 0 },
      reply: { pRpcSecurityDescriptor: null, cbInSecurityDescriptor: 28, ...rpc(v), status: 122 },
    },
    {
      name: 'a buffer of 64 bytes offered: the 28-byte descriptor in it',
      args: { hKey: HANDLES.phKey, SecurityInformation: 4, pRpcSecurityDescriptor: 64 },
      reply: { pRpcSecurityDescriptor: '01000480000000000000000000000000140000000200080000000000', cbInSecurityDescriptor: 64, ...rpc(v), status: 0 },
    },
  ],
  ApiSetQuorumResource: (v) => [
    { name: 'success', args: { hResource: HANDLES.hResource, lpszDeviceName: '', dwMaxQuorumLogSize: 0 }, reply: { ...rpc(v), status: 0 } },
    { name: 'a device path, refused', args: { hResource: HANDLES.hResource, lpszDeviceName: 'Q:\\MSCS', dwMaxQuorumLogSize: 0x400000 }, reply: { ...rpc(v), status: 5 } },
  ],
  ApiResourceTypeControl: (v) => [
    {
      name: 'SET_COMMON_PROPERTIES of a type named on the cluster handle',
      args: { hCluster: HANDLES.hCluster, lpszResourceTypeName: 'Generic Service', dwControlCode: 0x0240005e, lpInBuffer: DESCRIPTION_X, nInBufferSize: DESCRIPTION_X.length / 2, nOutBufferSize: 0 },
      reply: { lpOutBuffer: '', nOutBufferSize: 0, lpBytesReturned: 0, lpcbRequired: 0, ...rpc(v), status: 0 },
    },
    {
      name: 'GET_COMMON_PROPERTIES: the list out',
      args: { hCluster: HANDLES.hCluster, lpszResourceTypeName: 'Generic Service', dwControlCode: 0x02000059, lpInBuffer: null, nInBufferSize: 0, nOutBufferSize: 64 },
      reply: { lpOutBuffer: DESCRIPTION_X, nOutBufferSize: 64, lpBytesReturned: DESCRIPTION_X.length / 2, lpcbRequired: DESCRIPTION_X.length / 2, ...rpc(v), status: 0 },
    },
  ],
  ApiResourceControl: control('hResource', 0x01),
  ApiGroupControl: control('hGroup', 0x03),
  ApiNodeControl: control('hNode', 0x04),
  ApiNetworkControl: control('hNetwork', 0x05),
  ApiNetInterfaceControl: control('hNetInterface', 0x06),
  ApiClusterControl: control('hCluster', 0x07),
};

/** A PROPERTY_LIST (2.2.3.10) of Description = "x": count, CLUSPROP_SYNTAX_NAME, LIST_VALUE_SZ, ENDMARK. */
const DESCRIPTION_X =
  '01000000' + '03000400' + '18000000' + '4400650073006300720069007000740069006f006e000000' + '03000100' + '04000000' + '78000000' + '00000000';

/**
 * Api*Control (the codes the in-band SetProperty sends): *_SET_COMMON_PROPERTIES with a property list in
 * and nothing out; *_GET_COMMON_PROPERTIES with no input (a NULL [unique] pointer) and the list out, its
 * max_count the request's nOutBufferSize; and a buffer too small (ERROR_MORE_DATA, lpcbRequired).
 */
function control(object: keyof typeof HANDLES, objectByte: number) {
  const code = (fn: number) => (objectByte * 0x1000000 + fn) >>> 0;
  return (v: ProtocolVersion): WireCase[] => {
    const listBytes = DESCRIPTION_X.length / 2;
    return [
    {
      name: 'SET_COMMON_PROPERTIES: a property list in, nothing out',
      args: { [object]: HANDLES[object], dwControlCode: code(0x40005e), lpInBuffer: DESCRIPTION_X, nInBufferSize: listBytes, nOutBufferSize: 0 },
      reply: { lpOutBuffer: '', nOutBufferSize: 0, lpBytesReturned: 0, lpcbRequired: 0, ...rpc(v), status: 0 },
    },
    {
      name: 'GET_COMMON_PROPERTIES: no input, the list out in a larger buffer',
      args: { [object]: HANDLES[object], dwControlCode: code(0x59), lpInBuffer: null, nInBufferSize: 0, nOutBufferSize: 64 },
      reply: { lpOutBuffer: DESCRIPTION_X, nOutBufferSize: 64, lpBytesReturned: listBytes, lpcbRequired: listBytes, ...rpc(v), status: 0 },
    },
    {
      name: 'GET_COMMON_PROPERTIES: the buffer is too small (ERROR_MORE_DATA)',
      args: { [object]: HANDLES[object], dwControlCode: code(0x59), lpInBuffer: null, nInBufferSize: 0, nOutBufferSize: 8 },
      reply: { lpOutBuffer: '', nOutBufferSize: 8, lpBytesReturned: 0, lpcbRequired: listBytes, ...rpc(v), status: 234 },
    },
    ];
  };
}

/** A management call with only a status (and rpc_status): success, and one failing status. */
function simple(args: Record<string, unknown>, failing = ERROR_INVALID_HANDLE) {
  return (v: ProtocolVersion): WireCase[] => [
    { name: 'success', args, reply: { ...rpc(v), status: 0 } },
    { name: `status ${failing}`, args, reply: { ...rpc(v), status: failing } },
  ];
}

/** JSON cannot hold a bigint: vectors write one as { "bigint": "decimal" }. */
export function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

export function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.bigint === 'string') return BigInt(o.bigint);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromJson(v)]));
  }
  return value;
}
