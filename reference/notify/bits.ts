// Which CLUSTER_CHANGE bit (2.2.2.7) reports which change of which object type.
import { CLUSTER_CHANGE } from '../../cmrp/constants';
import type { ObjectType } from '../model/types';

export interface TypeBits {
  added: number;
  deleted: number;
  /** Resource types have no state. */
  state?: number;
  property: number;
}

export const TYPE_BITS: Readonly<Record<ObjectType, TypeBits>> = {
  node: { added: CLUSTER_CHANGE.NODE_ADDED, deleted: CLUSTER_CHANGE.NODE_DELETED, state: CLUSTER_CHANGE.NODE_STATE, property: CLUSTER_CHANGE.NODE_PROPERTY },
  group: { added: CLUSTER_CHANGE.GROUP_ADDED, deleted: CLUSTER_CHANGE.GROUP_DELETED, state: CLUSTER_CHANGE.GROUP_STATE, property: CLUSTER_CHANGE.GROUP_PROPERTY },
  resource: {
    added: CLUSTER_CHANGE.RESOURCE_ADDED,
    deleted: CLUSTER_CHANGE.RESOURCE_DELETED,
    state: CLUSTER_CHANGE.RESOURCE_STATE,
    property: CLUSTER_CHANGE.RESOURCE_PROPERTY,
  },
  resourceType: {
    added: CLUSTER_CHANGE.RESOURCE_TYPE_ADDED,
    deleted: CLUSTER_CHANGE.RESOURCE_TYPE_DELETED,
    property: CLUSTER_CHANGE.RESOURCE_TYPE_PROPERTY,
  },
  network: {
    added: CLUSTER_CHANGE.NETWORK_ADDED,
    deleted: CLUSTER_CHANGE.NETWORK_DELETED,
    state: CLUSTER_CHANGE.NETWORK_STATE,
    property: CLUSTER_CHANGE.NETWORK_PROPERTY,
  },
  netInterface: {
    added: CLUSTER_CHANGE.NETINTERFACE_ADDED,
    deleted: CLUSTER_CHANGE.NETINTERFACE_DELETED,
    state: CLUSTER_CHANGE.NETINTERFACE_STATE,
    property: CLUSTER_CHANGE.NETINTERFACE_PROPERTY,
  },
};
