// Which CLUSTER_CHANGE value (2.2.2.7) reports which change, and which values a server never returns.
import { CLUSTER_CHANGE as C, type ProtocolVersion } from '../../cmrp/constants';
import type { ObjectKind } from './types';

export interface KindBits {
  state?: number;
  property?: number;
  added: number;
  deleted: number;
}

export const KIND_BITS: Readonly<Record<ObjectKind | 'resourceType', KindBits>> = {
  node: { state: C.NODE_STATE, property: C.NODE_PROPERTY, added: C.NODE_ADDED, deleted: C.NODE_DELETED },
  group: { state: C.GROUP_STATE, property: C.GROUP_PROPERTY, added: C.GROUP_ADDED, deleted: C.GROUP_DELETED },
  resource: { state: C.RESOURCE_STATE, property: C.RESOURCE_PROPERTY, added: C.RESOURCE_ADDED, deleted: C.RESOURCE_DELETED },
  network: { state: C.NETWORK_STATE, property: C.NETWORK_PROPERTY, added: C.NETWORK_ADDED, deleted: C.NETWORK_DELETED },
  netInterface: { state: C.NETINTERFACE_STATE, property: C.NETINTERFACE_PROPERTY, added: C.NETINTERFACE_ADDED, deleted: C.NETINTERFACE_DELETED },
  resourceType: { property: C.RESOURCE_TYPE_PROPERTY, added: C.RESOURCE_TYPE_ADDED, deleted: C.RESOURCE_TYPE_DELETED },
};

export function stateBit(kind: ObjectKind): number {
  return KIND_BITS[kind].state!;
}

export const REGISTRY_BITS = C.REGISTRY_NAME | C.REGISTRY_ATTRIBUTES | C.REGISTRY_VALUE;

/** The values a client may put in an object registration's filter (the client MUST of 3.1.4.x.59+). */
export function objectFilterBits(kind: ObjectKind): number[] {
  const b = KIND_BITS[kind];
  return [b.state!, b.property!, b.deleted];
}

/** Values a cluster-wide registration may ask for, in the order generators pick from. */
export const CLUSTER_FILTER_BITS: readonly number[] = [
  C.NODE_STATE, C.NODE_PROPERTY,
  C.GROUP_STATE, C.GROUP_PROPERTY, C.GROUP_ADDED, C.GROUP_DELETED,
  C.RESOURCE_STATE, C.RESOURCE_PROPERTY,
  C.NETWORK_STATE, C.NETWORK_PROPERTY, C.NETWORK_ADDED, C.NETWORK_DELETED,
  C.NETINTERFACE_STATE, C.NETINTERFACE_PROPERTY,
  C.RESOURCE_TYPE_ADDED, C.RESOURCE_TYPE_DELETED,
  C.CLUSTER_PROPERTY,
  C.REGISTRY_NAME, C.REGISTRY_VALUE, C.REGISTRY_ATTRIBUTES, C.REGISTRY_SUBTREE,
];

export const KEY_FILTER_BITS: readonly number[] = [C.REGISTRY_NAME, C.REGISTRY_VALUE, C.REGISTRY_ATTRIBUTES];

/**
 * Values an indication never carries: the client-only ones (2.2.2.7), and in protocol version 2
 * CLUSTER_RECONNECT as well (3.1.4.1.66).
 */
export function forbiddenBits(version: ProtocolVersion): number {
  const clientOnly = (C.REGISTRY_SUBTREE | C.CLUSTER_STATE | C.HANDLE_CLOSE) >>> 0;
  return (version === 2 ? clientOnly | C.CLUSTER_RECONNECT : clientOnly) >>> 0;
}

export function isSingleBit(value: number): boolean {
  const v = value >>> 0;
  return v !== 0 && (v & (v - 1)) === 0;
}
