// What each internal event is on a version 2 port: its CLUSTER_OBJECT_TYPE, its one *_V2 flag, the
// object registrations match it against, and the NOTIFICATION_DATA_RPC fields as the per-type tables of
// [MS-CMRP] 3.1.4.2.138 set them. IDs come from ids.ts; "Empty" buffers are zero-length (not NULL).
import {
  CLUSTER_CHANGE,
  CLUSTER_CHANGE_CLUSTER_V2 as C,
  CLUSTER_CHANGE_GROUP_V2 as G,
  CLUSTER_CHANGE_NETINTERFACE_V2 as I,
  CLUSTER_CHANGE_NETWORK_V2 as W,
  CLUSTER_CHANGE_NODE_V2 as N,
  CLUSTER_CHANGE_QUORUM_V2 as Q,
  CLUSTER_CHANGE_REGISTRY_V2 as R,
  CLUSTER_CHANGE_RESOURCE_TYPE_V2 as T,
  CLUSTER_CHANGE_RESOURCE_V2 as S,
  CLUSTER_OBJECT_TYPE as OT,
} from '../../../cmrp/constants';
import { dwordPayload, propertyListPayload, stringPayload } from '../../../wire/clusapi/payload';
import type { ClusterModel } from '../../model/cluster';
import type { EventSubject, InternalEvent, ObjectSnapshot } from '../../rules/event';
import type { V2Event } from '../../rules/event-v2';
import { objectId } from './ids';

/** CLUSGROUP_TYPE of a group the control adapter adds: ClusGroupTypeUnknown (3.1.4.2.43). */
const GROUP_TYPE_UNKNOWN = 0x270f;

type Data = V2Event['data'];

const EMPTY = '';

/** The v2 event of an internal event, or undefined when version 2 ports have no counterpart for it. */
export function toV2Event(event: InternalEvent, model: ClusterModel): V2Event | undefined {
  const { bit, detail, subject } = event;
  const o = detail?.object;
  const property = detail?.property ? propertyListPayload([detail.property]) : undefined;
  const ev = (dwObjectType: number, flag: number, data: Data, on: EventSubject = subject): V2Event => ({ dwObjectType, flag, subject: on, data });
  const nodeId = (name: string | undefined): string => (name ? objectId('node', name) : EMPTY);
  const groupNode = (group: string | undefined): string | undefined => (group ? model.find('group', group)?.node : undefined);

  if (subject.kind === 'registry') {
    const keyData = (ObjectId: string): Data => ({ buffer: EMPTY, ObjectId, ParentId: EMPTY, Name: event.name, Type: EMPTY });
    if (bit === CLUSTER_CHANGE.REGISTRY_NAME) return ev(OT.REGISTRY, R.NAME, keyData(EMPTY));
    if (bit === CLUSTER_CHANGE.REGISTRY_VALUE) return ev(OT.REGISTRY, R.VALUE, keyData(detail?.valueName ?? EMPTY));
    if (bit === CLUSTER_CHANGE.REGISTRY_ATTRIBUTES) return ev(OT.REGISTRY, R.ATTRIBUTES, keyData(EMPTY));
    return undefined;
  }
  if (subject.kind === 'cluster') {
    if (bit === CLUSTER_CHANGE.CLUSTER_PROPERTY && property) {
      return ev(OT.CLUSTER, C.COMMON_PROPERTY, { buffer: property, ObjectId: EMPTY, ParentId: EMPTY, Name: EMPTY, Type: EMPTY });
    }
    if (bit === CLUSTER_CHANGE.QUORUM_STATE && o) {
      // ParentId and Type are NULL for quorum events (3.1.4.2.138).
      return ev(OT.QUORUM, Q.STATE, { buffer: dwordPayload(o.state), ObjectId: objectId('resource', o.name), ParentId: null, Name: o.name, Type: null });
    }
    return undefined;
  }
  if (!o) return undefined;
  const id = objectId(o.type, o.name);
  const cluster: EventSubject = { kind: 'cluster' };
  switch (bit) {
    // Nodes: ParentId and Type empty.
    case CLUSTER_CHANGE.NODE_STATE:
      return ev(OT.NODE, N.STATE, nodeData(o, dwordPayload(o.state)));
    case CLUSTER_CHANGE.NODE_DELETED:
      return ev(OT.NODE, N.DELETED, nodeData(o, dwordPayload(o.state)));
    case CLUSTER_CHANGE.NODE_PROPERTY:
      return property ? ev(OT.NODE, N.COMMON_PROPERTY, nodeData(o, property)) : undefined;
    case CLUSTER_CHANGE.NODE_ADDED:
      return ev(OT.CLUSTER, C.NODE_ADDED, { buffer: dwordPayload(o.state), ObjectId: id, ParentId: EMPTY, Name: o.name, Type: EMPTY }, cluster);

    // Groups: ParentId is the hosting node, Type empty.
    case CLUSTER_CHANGE.GROUP_STATE:
      return ev(OT.GROUP, G.STATE, groupData(o, dwordPayload(o.state)));
    case CLUSTER_CHANGE.GROUP_DELETED:
      return ev(OT.GROUP, G.DELETED, groupData(o, EMPTY));
    case CLUSTER_CHANGE.GROUP_PROPERTY: {
      const move = detail?.move;
      if (move && move.from !== undefined && sameObject(move.from, o.name)) {
        return ev(OT.GROUP, G.RESOURCE_LOST, groupData(o, stringPayload(objectId('resource', move.resource))));
      }
      if (move && sameObject(move.to, o.name)) return ev(OT.GROUP, G.RESOURCE_GAINED, groupData(o, stringPayload(objectId('resource', move.resource))));
      return property ? ev(OT.GROUP, G.COMMON_PROPERTY, groupData(o, property)) : undefined;
    }
    case CLUSTER_CHANGE.GROUP_ADDED:
      return ev(OT.CLUSTER, C.GROUP_ADDED, { buffer: dwordPayload(GROUP_TYPE_UNKNOWN), ObjectId: id, ParentId: nodeId(o.node), Name: o.name, Type: EMPTY }, cluster);

    // Resources: ParentId is the containing group, Type the resource type's name.
    case CLUSTER_CHANGE.RESOURCE_STATE:
      return ev(OT.RESOURCE, S.STATE, resourceData(o, dwordPayload(o.state)));
    case CLUSTER_CHANGE.RESOURCE_DELETED:
      return ev(OT.RESOURCE, S.DELETED, resourceData(o, o.group ? stringPayload(objectId('group', o.group)) : EMPTY));
    case CLUSTER_CHANGE.RESOURCE_PROPERTY: {
      const move = detail?.move;
      if (move) return ev(OT.RESOURCE, S.OWNER_GROUP, resourceData(o, stringPayload(objectId('group', move.to))));
      return property ? ev(OT.RESOURCE, S.COMMON_PROPERTY, resourceData(o, property)) : undefined;
    }
    case CLUSTER_CHANGE.RESOURCE_ADDED: {
      // Reported on the group that now contains the resource: buffer the group's ID, ObjectId and Name the resource's.
      if (!o.group) return undefined;
      const group: EventSubject = { kind: 'object', type: 'group', name: o.group };
      const data = { buffer: stringPayload(objectId('group', o.group)), ObjectId: id, ParentId: nodeId(groupNode(o.group)), Name: o.name, Type: EMPTY };
      return ev(OT.GROUP, G.RESOURCE_ADDED, data, group);
    }

    // Resource types: ObjectId, ParentId and Type empty.
    case CLUSTER_CHANGE.RESOURCE_TYPE_DELETED:
      return ev(OT.RESOURCE_TYPE, T.DELETED, typeData(o, EMPTY));
    case CLUSTER_CHANGE.RESOURCE_TYPE_PROPERTY:
      return property ? ev(OT.RESOURCE_TYPE, T.COMMON_PROPERTY, typeData(o, property)) : undefined;
    case CLUSTER_CHANGE.RESOURCE_TYPE_ADDED:
      return ev(OT.CLUSTER, C.RESOURCE_TYPE_ADDED, { buffer: EMPTY, ObjectId: EMPTY, ParentId: EMPTY, Name: o.name, Type: EMPTY }, cluster);

    // Networks: ParentId and Type empty.
    case CLUSTER_CHANGE.NETWORK_STATE:
      return ev(OT.NETWORK, W.STATE, plainData(o, dwordPayload(o.state)));
    case CLUSTER_CHANGE.NETWORK_DELETED:
      return ev(OT.NETWORK, W.DELETED, plainData(o, EMPTY));
    case CLUSTER_CHANGE.NETWORK_PROPERTY:
      return property ? ev(OT.NETWORK, W.COMMON_PROPERTY, plainData(o, property)) : undefined;
    case CLUSTER_CHANGE.NETWORK_ADDED:
      return ev(OT.CLUSTER, C.NETWORK_ADDED, { buffer: EMPTY, ObjectId: id, ParentId: EMPTY, Name: o.name, Type: EMPTY }, cluster);

    // Net interfaces: ParentId is the interface's node.
    case CLUSTER_CHANGE.NETINTERFACE_STATE:
      return ev(OT.NETWORK_INTERFACE, I.STATE, interfaceData(o, dwordPayload(o.state)));
    case CLUSTER_CHANGE.NETINTERFACE_DELETED:
      return ev(OT.NETWORK_INTERFACE, I.DELETED, interfaceData(o, EMPTY));
    case CLUSTER_CHANGE.NETINTERFACE_PROPERTY:
      return property ? ev(OT.NETWORK_INTERFACE, I.COMMON_PROPERTY, interfaceData(o, property)) : undefined;
    case CLUSTER_CHANGE.NETINTERFACE_ADDED: {
      // Reported on the node: buffer the node's ID, ObjectId and Name the interface's.
      if (!o.node) return undefined;
      const node: EventSubject = { kind: 'object', type: 'node', name: o.node };
      return ev(OT.NODE, N.NETINTERFACE_ADDED, { buffer: stringPayload(nodeId(o.node)), ObjectId: id, ParentId: EMPTY, Name: o.name, Type: EMPTY }, node);
    }
  }
  return undefined;

  function nodeData(n: ObjectSnapshot, buffer: string): Data {
    return { buffer, ObjectId: id, ParentId: EMPTY, Name: n.name, Type: EMPTY };
  }
  function groupData(g: ObjectSnapshot, buffer: string): Data {
    return { buffer, ObjectId: id, ParentId: nodeId(g.node), Name: g.name, Type: EMPTY };
  }
  function resourceData(r: ObjectSnapshot, buffer: string): Data {
    return { buffer, ObjectId: id, ParentId: r.group ? objectId('group', r.group) : EMPTY, Name: r.name, Type: r.resourceType ?? EMPTY };
  }
  function typeData(t: ObjectSnapshot, buffer: string): Data {
    return { buffer, ObjectId: EMPTY, ParentId: EMPTY, Name: t.name, Type: EMPTY };
  }
  function plainData(x: ObjectSnapshot, buffer: string): Data {
    return { buffer, ObjectId: id, ParentId: EMPTY, Name: x.name, Type: EMPTY };
  }
  function interfaceData(x: ObjectSnapshot, buffer: string): Data {
    return { buffer, ObjectId: id, ParentId: nodeId(x.node), Name: x.name, Type: EMPTY };
  }
}

function sameObject(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
