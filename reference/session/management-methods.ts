// The management methods of the contract ([MS-CMRP] 3.1.4.x: create/delete/online/offline/move groups and
// resources, pause/resume nodes, the cluster registry, ApiCreateEnum): what the suite calls to cause events
// in-band (harness/stimulus/) and to discover a server's objects. Each change goes through the same code
// as the matching control verb (reference/control/), so it posts the same events with the same state
// sequences; only the checks a method makes of its caller and its handles are added here.
import type { EnumEntry, Handle, MethodName, Reply } from '../../cmrp/contract';
import { ERROR } from '../../cmrp/constants';
import * as objects from '../control/object-verbs';
import * as registry from '../control/registry-verbs';
import type { ClusterObject, StatefulType } from '../model/types';
import { NULL_HANDLE, SERVER_ERROR } from '../rules/codes';
import { joinPath, splitPath } from '../rules/names';
import { CLUSTER_GROUP_STATE, CLUSTER_NODE_STATE, CLUSTER_RESOURCE_STATE } from '../rules/states';
import { isRefusal, type ConnectionState, type Refusal } from './connection-state';

/** Win32 codes of the management methods' return tables (3.1.4.2.x), beyond SERVER_ERROR's. */
export const MANAGEMENT_ERROR = {
  /** ApiCreateGroup / ApiCreateResource: the name is taken. */
  OBJECT_ALREADY_EXISTS: 0x1392,
  /** ApiDeleteGroup (without force): the group still holds resources. */
  DIR_NOT_EMPTY: 0x91,
  /** ApiResumeNode: the node is not paused. */
  CLUSTER_NODE_NOT_PAUSED: 0x13c2,
} as const;

/** CLUSTER_ENUM_* (2.2.2.x): the bits ApiCreateEnum's dwType may combine, and the type each lists. */
export const CLUSTER_ENUM = { NODE: 0x1, RESTYPE: 0x2, RESOURCE: 0x4, GROUP: 0x8, NETWORK: 0x10, NETINTERFACE: 0x20, INTERNAL_NETWORK: 0x80000000 } as const;
const ENUM_TYPES: readonly [number, 'node' | 'resourceType' | 'resource' | 'group' | 'network' | 'netInterface'][] = [
  [CLUSTER_ENUM.NODE, 'node'],
  [CLUSTER_ENUM.RESTYPE, 'resourceType'],
  [CLUSTER_ENUM.RESOURCE, 'resource'],
  [CLUSTER_ENUM.GROUP, 'group'],
  [CLUSTER_ENUM.NETWORK, 'network'],
  [CLUSTER_ENUM.NETINTERFACE, 'netInterface'],
];

/** REG_SZ and REG_DWORD (MS-RRP): the value types ApiSetValue turns into the model's string and number. */
const REG_SZ = 1;
const REG_DWORD = 4;
/** REG_CREATED_NEW_KEY / REG_OPENED_EXISTING_KEY: ApiCreateKey's lpdwDisposition. */
const REG_CREATED_NEW_KEY = 1;
const REG_OPENED_EXISTING_KEY = 2;

/**
 * The checks before a method that changes the cluster: the All access level (3.1.4: Read is not enough to
 * change anything), then the read/write protocol server state (3.1.1: ERROR_SHARING_PAUSED otherwise).
 */
function gateChange(s: ConnectionState, method: MethodName): Refusal | undefined {
  const { behaviour } = s.core;
  if (!behaviour.acceptChangeAt(s.accessLevel)) return { refused: ERROR.ACCESS_DENIED };
  const refusal = s.gate(method);
  if (refusal) return refusal;
  // 3.1.4.x: a node no longer active cannot process a change (it serves reads only).
  if (!s.nodeActive() && behaviour.inactiveNode.changeRefusal !== undefined) {
    return { refused: s.nodeShuttingDown() ? behaviour.shutdownRefusal(s.version) : behaviour.inactiveNode.changeRefusal };
  }
  if (s.serverState === 'read-only' && !behaviour.acceptChangeInReadOnly) return { refused: SERVER_ERROR.SHARING_PAUSED };
  return undefined;
}

/** The object a handle of `type` designates, or why the call fails (a bad handle, an object since deleted). */
function objectOf(s: ConnectionState, handle: Handle, type: StatefulType, gone: number): ClusterObject | Refusal {
  const target = s.check(handle, type);
  if (isRefusal(target)) return target;
  return s.core.model.find(type, target.name) ?? { refused: gone };
}

const GONE: Readonly<Record<'node' | 'group' | 'resource', number>> = {
  node: SERVER_ERROR.CLUSTER_NODE_NOT_FOUND,
  group: SERVER_ERROR.GROUP_NOT_AVAILABLE,
  resource: SERVER_ERROR.RESOURCE_NOT_AVAILABLE,
};

/** Runs a change on one object: the gate, the handle, then `change` (its status). */
function onObject(s: ConnectionState, method: MethodName, handle: Handle, type: 'node' | 'group' | 'resource', change: (object: ClusterObject) => number): Reply {
  const refusal = gateChange(s, method);
  if (refusal) return { status: refusal.refused };
  const object = objectOf(s, handle, type, GONE[type]);
  if (isRefusal(object)) return { status: object.refused };
  return { status: change(object) };
}

/** SetState through the control verbs' code: the same events, derived states and sequences. */
function setState(s: ConnectionState, object: ClusterObject, state: number): number {
  const { model, publish, behaviour } = s.core;
  // The mutant that changes the state unannounced (managementPostsState false) drops what the change posts.
  const posting: typeof publish = behaviour.managementPostsState ? publish : () => undefined;
  objects.setState(model, posting, { verb: 'SetState', objectType: object.type as StatefulType, name: object.name, state }, behaviour);
  return ERROR.SUCCESS;
}

export function createEnum(s: ConnectionState, dwType: number): Reply<{ ReturnEnum: EnumEntry[] }> {
  const type = dwType >>> 0;
  const refusal = s.gate('ApiCreateEnum');
  if (refusal) return { status: refusal.refused, ReturnEnum: [] };
  // 3.1.4.x.8: only CLUSTER_ENUM_NODE is accepted in the read-only protocol server state.
  if (s.serverState === 'read-only' && type !== CLUSTER_ENUM.NODE) return { status: SERVER_ERROR.SHARING_PAUSED, ReturnEnum: [] };
  const known = ENUM_TYPES.reduce((bits, [bit]) => bits | bit, 0);
  const internal = type === CLUSTER_ENUM.INTERNAL_NETWORK;
  if (type === 0 || (!internal && (type & ~known) !== 0)) return { status: ERROR.INVALID_PARAMETER, ReturnEnum: [] };
  const entries: EnumEntry[] = [];
  // Every network of the simulated cluster may carry internal traffic.
  if (internal) for (const o of s.core.model.all('network')) entries.push({ Type: CLUSTER_ENUM.INTERNAL_NETWORK, Name: o.name });
  for (const [bit, objectType] of ENUM_TYPES) {
    if (!internal && type & bit) for (const o of s.core.model.all(objectType)) entries.push({ Type: bit, Name: o.name });
  }
  return { status: ERROR.SUCCESS, ReturnEnum: entries };
}

export function createGroup(s: ConnectionState, lpszGroupName: string): Reply<{ hGroup: Handle }> {
  const refusal = gateChange(s, 'ApiCreateGroup');
  if (refusal) return { status: refusal.refused, hGroup: NULL_HANDLE };
  const { model, publish } = s.core;
  if (model.find('group', lpszGroupName)) return { status: MANAGEMENT_ERROR.OBJECT_ALREADY_EXISTS, hGroup: NULL_HANDLE };
  objects.addObject(model, publish, { verb: 'AddObject', objectType: 'group', name: lpszGroupName });
  return { status: ERROR.SUCCESS, hGroup: s.handles.issue({ kind: 'group', name: lpszGroupName }) };
}

/**
 * ApiDeleteGroup: a group that still holds resources is refused unless `force` (version 3) says to delete
 * them too, each with its own RESOURCE_DELETED first (the DeleteObject verb's order).
 */
export function deleteGroup(s: ConnectionState, hGroup: Handle, force: boolean | undefined): Reply {
  return onObject(s, 'ApiDeleteGroup', hGroup, 'group', (group) => {
    const { model, publish } = s.core;
    const held = model.all('resource').some((r) => r.group === group.name);
    if (held && !(s.version === 3 && force === true)) return MANAGEMENT_ERROR.DIR_NOT_EMPTY;
    objects.deleteObject(model, publish, { verb: 'DeleteObject', objectType: 'group', name: group.name });
    return ERROR.SUCCESS;
  });
}

export function onlineGroup(s: ConnectionState, hGroup: Handle): Reply {
  return onObject(s, 'ApiOnlineGroup', hGroup, 'group', (group) => setState(s, group, CLUSTER_GROUP_STATE.Online));
}

export function offlineGroup(s: ConnectionState, hGroup: Handle): Reply {
  return onObject(s, 'ApiOfflineGroup', hGroup, 'group', (group) => setState(s, group, CLUSTER_GROUP_STATE.Offline));
}

/**
 * ApiMoveGroupToNode: the group's owner becomes the node. The group passes through offline and back to
 * its state on the new owner, which the reference reports as one *_STATE transition (a new sequence).
 */
export function moveGroupToNode(s: ConnectionState, hGroup: Handle, hNode: Handle): Reply {
  return onObject(s, 'ApiMoveGroupToNode', hGroup, 'group', (group) => {
    const node = objectOf(s, hNode, 'node', GONE.node);
    if (isRefusal(node)) return node.refused;
    group.node = node.name;
    return setState(s, group, group.state);
  });
}

export function createResource(s: ConnectionState, hGroup: Handle, lpszResourceName: string, lpszResourceType: string): Reply<{ hResource: Handle }> {
  const refusal = gateChange(s, 'ApiCreateResource');
  if (refusal) return { status: refusal.refused, hResource: NULL_HANDLE };
  const group = objectOf(s, hGroup, 'group', GONE.group);
  if (isRefusal(group)) return { status: group.refused, hResource: NULL_HANDLE };
  const { model, publish } = s.core;
  if (model.find('resource', lpszResourceName)) return { status: MANAGEMENT_ERROR.OBJECT_ALREADY_EXISTS, hResource: NULL_HANDLE };
  objects.addObject(model, publish, { verb: 'AddObject', objectType: 'resource', name: lpszResourceName, group: group.name });
  const resource = model.find('resource', lpszResourceName);
  if (resource && lpszResourceType) resource.resourceType = lpszResourceType;
  return { status: ERROR.SUCCESS, hResource: s.handles.issue({ kind: 'resource', name: lpszResourceName }) };
}

/**
 * ApiDeleteResource. A Windows server refuses to delete an online resource (ERROR_RESOURCE_ONLINE); the
 * reference deletes it, as the DeleteObject verb does, so that an in-band stimulus posts exactly the
 * events the control verb posts (taking it offline first would add events a sequence does not expect).
 */
export function deleteResource(s: ConnectionState, hResource: Handle): Reply {
  return onObject(s, 'ApiDeleteResource', hResource, 'resource', (resource) => {
    objects.deleteObject(s.core.model, s.core.publish, { verb: 'DeleteObject', objectType: 'resource', name: resource.name });
    return ERROR.SUCCESS;
  });
}

export function onlineResource(s: ConnectionState, hResource: Handle): Reply {
  return onObject(s, 'ApiOnlineResource', hResource, 'resource', (resource) => setState(s, resource, CLUSTER_RESOURCE_STATE.Online));
}

export function failResource(s: ConnectionState, hResource: Handle): Reply {
  return onObject(s, 'ApiFailResource', hResource, 'resource', (resource) => setState(s, resource, CLUSTER_RESOURCE_STATE.Failed));
}

/** ApiGetClusterName: the cluster's name and the node the client is connected to (the cluster's first node). */
export function getClusterName(s: ConnectionState): Reply<{ ClusterName: string; NodeName: string }> {
  const refusal = s.gate('ApiGetClusterName');
  if (refusal) return { status: refusal.refused, ClusterName: '', NodeName: '' };
  return { status: ERROR.SUCCESS, ClusterName: s.core.model.name, NodeName: s.core.model.all('node')[0]?.name ?? '' };
}

/** ApiGetNetInterface: the interface of the node on the network. */
export function getNetInterface(s: ConnectionState, lpszNodeName: string, lpszNetworkName: string): Reply<{ lppszInterfaceName: string }> {
  const refusal = s.gate('ApiGetNetInterface');
  if (refusal) return { status: refusal.refused, lppszInterfaceName: '' };
  const { model } = s.core;
  const node = model.find('node', lpszNodeName);
  if (!node) return { status: SERVER_ERROR.CLUSTER_NODE_NOT_FOUND, lppszInterfaceName: '' };
  const network = model.find('network', lpszNetworkName);
  if (!network) return { status: SERVER_ERROR.CLUSTER_NETWORK_NOT_FOUND, lppszInterfaceName: '' };
  const nic = model.all('netInterface').find((n) => n.node === node.name && n.network === network.name);
  return nic ? { status: ERROR.SUCCESS, lppszInterfaceName: nic.name } : { status: SERVER_ERROR.CLUSTER_NETINTERFACE_NOT_FOUND, lppszInterfaceName: '' };
}

/** ApiGetQuorumResource: the quorum resource's name; the device is not modelled (its name is returned empty). */
export function getQuorumResource(s: ConnectionState): Reply<{ lpszResourceName: string; lpszDeviceName: string; pdwMaxQuorumLogSize: number }> {
  const refusal = s.gate('ApiGetQuorumResource');
  if (refusal) return { status: refusal.refused, lpszResourceName: '', lpszDeviceName: '', pdwMaxQuorumLogSize: 0 };
  return { status: ERROR.SUCCESS, lpszResourceName: s.core.model.quorumResource, lpszDeviceName: '', pdwMaxQuorumLogSize: 0 };
}

export function offlineResource(s: ConnectionState, hResource: Handle): Reply {
  return onObject(s, 'ApiOfflineResource', hResource, 'resource', (resource) => setState(s, resource, CLUSTER_RESOURCE_STATE.Offline));
}

export function changeResourceGroup(s: ConnectionState, hResource: Handle, hGroup: Handle): Reply {
  return onObject(s, 'ApiChangeResourceGroup', hResource, 'resource', (resource) => {
    const group = objectOf(s, hGroup, 'group', GONE.group);
    if (isRefusal(group)) return group.refused;
    const { model, publish, behaviour } = s.core;
    objects.moveResource(model, publish, { verb: 'MoveResource', name: resource.name, group: group.name }, behaviour);
    return ERROR.SUCCESS;
  });
}

export function pauseNode(s: ConnectionState, hNode: Handle): Reply {
  return onObject(s, 'ApiPauseNode', hNode, 'node', (node) => setState(s, node, CLUSTER_NODE_STATE.Paused));
}

export function resumeNode(s: ConnectionState, hNode: Handle): Reply {
  return onObject(s, 'ApiResumeNode', hNode, 'node', (node) =>
    node.state === CLUSTER_NODE_STATE.Paused ? setState(s, node, CLUSTER_NODE_STATE.Up) : MANAGEMENT_ERROR.CLUSTER_NODE_NOT_PAUSED,
  );
}

/** The key a key handle designates, or why the call fails. */
function keyOf(s: ConnectionState, method: MethodName, hKey: Handle): readonly string[] | Refusal {
  const refusal = gateChange(s, method);
  if (refusal) return refusal;
  const target = s.check(hKey, 'key');
  if (isRefusal(target)) return target;
  return s.core.model.registry.find(target.path) ? target.path : { refused: SERVER_ERROR.FILE_NOT_FOUND };
}

export function createKey(s: ConnectionState, hKey: Handle, lpSubKey: string): Reply<{ phKey: Handle; lpdwDisposition: number }> {
  const parent = keyOf(s, 'ApiCreateKey', hKey);
  if (isRefusal(parent)) return { status: parent.refused, phKey: NULL_HANDLE, lpdwDisposition: 0 };
  const path = [...parent, ...splitPath(lpSubKey)];
  const { model, publish, behaviour } = s.core;
  const existed = model.registry.find(path) !== undefined;
  registry.createKey(model, publish, { verb: 'RegistryCreateKey', path: joinPath(path) }, behaviour);
  return { status: ERROR.SUCCESS, phKey: s.handles.issue({ kind: 'key', path }), lpdwDisposition: existed ? REG_OPENED_EXISTING_KEY : REG_CREATED_NEW_KEY };
}

export function deleteKey(s: ConnectionState, hKey: Handle, lpSubKey: string): Reply {
  const parent = keyOf(s, 'ApiDeleteKey', hKey);
  if (isRefusal(parent)) return { status: parent.refused };
  const path = [...parent, ...splitPath(lpSubKey)];
  const { model, publish, behaviour } = s.core;
  if (path.length === parent.length || !model.registry.find(path)) return { status: SERVER_ERROR.FILE_NOT_FOUND };
  registry.deleteKey(model, publish, { verb: 'RegistryDeleteKey', path: joinPath(path) }, behaviour);
  return { status: ERROR.SUCCESS };
}

/** ApiSetValue: REG_DWORD and REG_SZ become the model's number and string; other types keep their bytes as hex. */
export function setValue(s: ConnectionState, hKey: Handle, lpValueName: string, dwType: number, lpData: string | null, cbData: number): Reply {
  const path = keyOf(s, 'ApiSetValue', hKey);
  if (isRefusal(path)) return { status: path.refused };
  const bytes = Buffer.from(lpData ?? '', 'hex');
  if (bytes.length !== cbData >>> 0) return { status: ERROR.INVALID_PARAMETER };
  let data: string | number;
  if (dwType === REG_DWORD) {
    if (bytes.length !== 4) return { status: ERROR.INVALID_PARAMETER };
    data = bytes.readUInt32LE(0);
  } else if (dwType === REG_SZ) {
    data = bytes.toString('utf16le').replace(/\0+$/, '');
  } else {
    data = bytes.toString('hex');
  }
  const { model, publish, behaviour } = s.core;
  registry.setValue(model, publish, { verb: 'RegistrySetValue', path: joinPath(path), valueName: lpValueName, data }, behaviour);
  return { status: ERROR.SUCCESS };
}

export function deleteValue(s: ConnectionState, hKey: Handle, lpValueName: string): Reply {
  const path = keyOf(s, 'ApiDeleteValue', hKey);
  if (isRefusal(path)) return { status: path.refused };
  const { model, publish, behaviour } = s.core;
  const key = model.registry.find(path);
  if (![...(key?.values.keys() ?? [])].some((n) => n.toLowerCase() === lpValueName.toLowerCase())) return { status: SERVER_ERROR.FILE_NOT_FOUND };
  registry.deleteValue(model, publish, path, lpValueName, behaviour);
  return { status: ERROR.SUCCESS };
}

/**
 * The descriptor each key was given by ApiSetKeySecurity (self-relative, hex), kept beside the model (which
 * only counts the changes): what ApiGetKeySecurity returns. A key never set has DEFAULT_KEY_SECURITY.
 */
const keySecurity = new WeakMap<object, string>();
/** Self-relative, SE_DACL_PRESENT, an empty DACL (revision 2, no ACE): what a key of the reference has until one is set. */
export const DEFAULT_KEY_SECURITY = '0100048000000000000000000000000014000000' + '0200080000000000';

/** ApiSetKeySecurity: the descriptor is kept for ApiGetKeySecurity (the model counts the change); an empty one is no descriptor. */
export function setKeySecurity(s: ConnectionState, hKey: Handle, pRpcSecurityDescriptor: string | null): Reply {
  const path = keyOf(s, 'ApiSetKeySecurity', hKey);
  if (isRefusal(path)) return { status: path.refused };
  if (!pRpcSecurityDescriptor) return { status: ERROR.INVALID_PARAMETER };
  const { model, publish, behaviour } = s.core;
  registry.setSecurity(model, publish, { verb: 'RegistrySetSecurity', path: joinPath(path) }, behaviour);
  const key = model.registry.find(path);
  if (key) keySecurity.set(key, pRpcSecurityDescriptor.toLowerCase());
  return { status: ERROR.SUCCESS };
}

/**
 * ApiGetKeySecurity (3.1.4.x.41): a read (Read access, read-only state accepted). The whole descriptor is
 * returned whatever SecurityInformation asks (the reference keeps no separate parts); a buffer offered too
 * small gets ERROR_INSUFFICIENT_BUFFER and the size it needs in cbInSecurityDescriptor.
 */
export function getKeySecurity(s: ConnectionState, hKey: Handle, cbInSecurityDescriptor: number): Reply<{ pRpcSecurityDescriptor: string | null; cbInSecurityDescriptor: number }> {
  const refusal = s.gate('ApiGetKeySecurity');
  if (refusal) return { status: refusal.refused, pRpcSecurityDescriptor: null, cbInSecurityDescriptor: 0 };
  const target = s.check(hKey, 'key');
  if (isRefusal(target)) return { status: target.refused, pRpcSecurityDescriptor: null, cbInSecurityDescriptor: 0 };
  const key = s.core.model.registry.find(target.path);
  if (!key) return { status: SERVER_ERROR.FILE_NOT_FOUND, pRpcSecurityDescriptor: null, cbInSecurityDescriptor: 0 };
  const descriptor = keySecurity.get(key) ?? DEFAULT_KEY_SECURITY;
  const size = descriptor.length / 2;
  if (cbInSecurityDescriptor >>> 0 < size) return { status: ERROR.INSUFFICIENT_BUFFER, pRpcSecurityDescriptor: null, cbInSecurityDescriptor: size };
  return { status: ERROR.SUCCESS, pRpcSecurityDescriptor: descriptor, cbInSecurityDescriptor: cbInSecurityDescriptor >>> 0 };
}

/**
 * ApiSetQuorumResource: the resource becomes the quorum resource, through the SetQuorum verb's code (its
 * QUORUM_STATE). The device name and log size are not modelled.
 */
export function setQuorumResource(s: ConnectionState, hResource: Handle): Reply {
  return onObject(s, 'ApiSetQuorumResource', hResource, 'resource', (resource) => {
    objects.setQuorum(s.core.model, s.core.publish, { verb: 'SetQuorum', resource: resource.name });
    return ERROR.SUCCESS;
  });
}
