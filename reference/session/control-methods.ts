// Api*Control ([MS-CMRP] 3.1.4.x.74/78/80/89/98/106) for the codes that read and set an object's common
// properties: *_GET_COMMON_PROPERTIES returns a PROPERTY_LIST (2.2.3.10) of the properties set so far, and
// *_SET_COMMON_PROPERTIES takes one and sets each property through the SetProperty control verb's code, so
// it posts the same *_PROPERTY / CLUSTER_PROPERTY events. This is what the in-band SetProperty stimulus
// calls (harness/stimulus/inband.ts); CLUSCTL_RESOURCE_GET_RESOURCE_TYPE returns a resource's type (role
// discovery binds @resourceType with it). Other control codes answer ERROR_INVALID_FUNCTION: the reference
// models no characteristics, flags or private properties.
import type { ControlOut, Handle, MethodName, Reply } from '../../cmrp/contract';
import { CLUSCTL_FUNCTION, CLUSCTL_OBJECT, ERROR } from '../../cmrp/constants';
import { propertyListPayload, readPropertyList } from '../../wire/clusapi/payload';
import * as objects from '../control/object-verbs';
import { SERVER_ERROR } from '../rules/codes';
import { isRefusal, type ConnectionState } from './connection-state';

/** ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND: ApiResourceTypeControl names a type the cluster lacks. */
const ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND = 5078;

/** The object each control method acts on (its codes carry that type's object byte, 3.1.4.3) and what a vanished one answers. */
export const CONTROL_METHODS = {
  ApiResourceControl: { kind: 'resource', gone: SERVER_ERROR.RESOURCE_NOT_AVAILABLE },
  ApiGroupControl: { kind: 'group', gone: SERVER_ERROR.GROUP_NOT_AVAILABLE },
  ApiNodeControl: { kind: 'node', gone: SERVER_ERROR.CLUSTER_NODE_NOT_FOUND },
  ApiNetworkControl: { kind: 'network', gone: SERVER_ERROR.CLUSTER_NETWORK_NOT_FOUND },
  ApiNetInterfaceControl: { kind: 'netInterface', gone: SERVER_ERROR.CLUSTER_NETINTERFACE_NOT_FOUND },
  ApiClusterControl: { kind: 'cluster', gone: 0 },
  // On a cluster handle, the type named by lpszResourceTypeName.
  ApiResourceTypeControl: { kind: 'resourceType', gone: ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND },
} as const;
export type ControlMethod = keyof typeof CONTROL_METHODS;

/** 3.1.4.x: a control code with this bit set modifies the object, so it needs the All access level. */
const MODIFY_BIT = 0x00400000;

type ControlReply = Reply<ControlOut>;

export function control(
  s: ConnectionState,
  method: ControlMethod,
  handle: Handle,
  dwControlCode: number,
  lpInBuffer: string | null,
  nInBufferSize: number,
  nOutBufferSize: number,
  /** ApiResourceTypeControl's lpszResourceTypeName. */
  typeName?: string,
): ControlReply {
  const spec = CONTROL_METHODS[method];
  const none = (status: number, required = 0): ControlReply => ({ status, lpOutBuffer: '', lpBytesReturned: 0, lpcbRequired: required });
  const refusal = s.gate(method as MethodName);
  if (refusal) return none(refusal.refused);
  const code = dwControlCode >>> 0;
  // The object byte of the code must be this method's (a group code sent to ApiNodeControl is not a node's).
  if (code >>> 24 !== CLUSCTL_OBJECT[spec.kind]) return none(ERROR.INVALID_FUNCTION);
  const modifies = (code & MODIFY_BIT) !== 0;
  if (modifies) {
    const { behaviour } = s.core;
    if (!behaviour.acceptChangeAt(s.accessLevel)) return none(ERROR.ACCESS_DENIED);
    if (s.core.serverState === 'read-only' && !behaviour.acceptChangeInReadOnly) return none(SERVER_ERROR.SHARING_PAUSED);
  }
  const { model, publish, behaviour } = s.core;
  let properties: Map<string, string | number>;
  let name = '';
  if (spec.kind === 'cluster') {
    const target = s.check(handle, 'cluster');
    if (isRefusal(target)) return none(target.refused);
    properties = model.properties;
  } else if (spec.kind === 'resourceType') {
    const target = s.check(handle, 'cluster');
    if (isRefusal(target)) return none(target.refused);
    const type = model.find('resourceType', typeName ?? '');
    if (!type) return none(spec.gone);
    properties = type.properties;
    name = type.name;
  } else {
    const target = s.check(handle, spec.kind);
    if (isRefusal(target)) return none(target.refused);
    const object = model.find(spec.kind, target.name);
    if (!object) return none(spec.gone);
    properties = object.properties;
    name = object.name;
  }
  const fn = code & 0x00ffffff;
  if (fn === CLUSCTL_FUNCTION.GET_COMMON_PROPERTIES) {
    const list = Buffer.from(propertyListPayload([...properties].map(([n, value]) => ({ name: n, value }))), 'hex');
    if (list.length > nOutBufferSize >>> 0) return none(ERROR.MORE_DATA, list.length);
    return { status: ERROR.SUCCESS, lpOutBuffer: list.toString('hex'), lpBytesReturned: list.length, lpcbRequired: list.length };
  }
  if (fn === CLUSCTL_FUNCTION.SET_COMMON_PROPERTIES) {
    const bytes = Buffer.from(lpInBuffer ?? '', 'hex');
    if (bytes.length !== nInBufferSize >>> 0) return none(ERROR.INVALID_PARAMETER);
    let list;
    try {
      list = readPropertyList(bytes.toString('hex'));
    } catch {
      return none(ERROR.INVALID_DATA);
    }
    // The mutant that changes properties unannounced drops what the change posts.
    const posting: typeof publish = behaviour.managementPostsProperty ? publish : () => undefined;
    for (const { name: property, value } of list) {
      objects.setProperty(model, posting, { verb: 'SetProperty', objectType: spec.kind, name, property, value }, behaviour);
    }
    return none(ERROR.SUCCESS);
  }
  if (fn === CLUSCTL_FUNCTION.GET_RESOURCE_TYPE && spec.kind === 'resource') {
    // CLUSCTL_RESOURCE_GET_RESOURCE_TYPE (3.1.4.3.1.7): the type's name, a null-terminated Unicode string.
    const type = Buffer.from(`${model.find('resource', name)?.resourceType ?? ''}\0`, 'utf16le');
    if (type.length > nOutBufferSize >>> 0) return none(ERROR.MORE_DATA, type.length);
    return { status: ERROR.SUCCESS, lpOutBuffer: type.toString('hex'), lpBytesReturned: type.length, lpcbRequired: type.length };
  }
  return none(ERROR.INVALID_FUNCTION);
}
