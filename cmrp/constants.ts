// Values fixed by [MS-CMRP] 2.2.2.7 (CLUSTER_CHANGE) and the Win32 error codes the notification
// methods return. Names keep the spec's spelling so a test reads like the clause it checks.

export const CLUSTER_CHANGE = {
  NODE_STATE: 0x00000001,
  NODE_DELETED: 0x00000002,
  NODE_ADDED: 0x00000004,
  NODE_PROPERTY: 0x00000008,
  REGISTRY_NAME: 0x00000010,
  REGISTRY_ATTRIBUTES: 0x00000020,
  REGISTRY_VALUE: 0x00000040,
  REGISTRY_SUBTREE: 0x00000080,
  RESOURCE_STATE: 0x00000100,
  RESOURCE_DELETED: 0x00000200,
  RESOURCE_ADDED: 0x00000400,
  RESOURCE_PROPERTY: 0x00000800,
  GROUP_STATE: 0x00001000,
  GROUP_DELETED: 0x00002000,
  GROUP_ADDED: 0x00004000,
  GROUP_PROPERTY: 0x00008000,
  RESOURCE_TYPE_DELETED: 0x00010000,
  RESOURCE_TYPE_ADDED: 0x00020000,
  RESOURCE_TYPE_PROPERTY: 0x00040000,
  CLUSTER_RECONNECT: 0x00080000,
  NETWORK_STATE: 0x00100000,
  NETWORK_DELETED: 0x00200000,
  NETWORK_ADDED: 0x00400000,
  NETWORK_PROPERTY: 0x00800000,
  NETINTERFACE_STATE: 0x01000000,
  NETINTERFACE_DELETED: 0x02000000,
  NETINTERFACE_ADDED: 0x04000000,
  NETINTERFACE_PROPERTY: 0x08000000,
  QUORUM_STATE: 0x10000000,
  CLUSTER_STATE: 0x20000000,
  CLUSTER_PROPERTY: 0x40000000,
  HANDLE_CLOSE: 0x80000000,
} as const;

export type ClusterChangeName = keyof typeof CLUSTER_CHANGE;

const changeNames = new Map<number, ClusterChangeName>(
  (Object.entries(CLUSTER_CHANGE) as [ClusterChangeName, number][]).map(([name, value]) => [value, name]),
);

/** The CLUSTER_CHANGE name of a single-bit value, or its hex form when it is not one. */
export function clusterChangeName(value: number): string {
  return changeNames.get(value >>> 0) ?? hex(value);
}

/** Parses "GROUP_STATE|GROUP_DELETED", "CLUSTER_CHANGE_GROUP_STATE" or a number into a dwFilter value. */
export function parseFilter(spec: string | number): number {
  if (typeof spec === 'number') return spec >>> 0;
  let value = 0;
  for (const part of spec.split('|').map((p) => p.trim().replace(/^CLUSTER_CHANGE_/, ''))) {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(part)) value |= Number(part);
    else if (part in CLUSTER_CHANGE) value |= CLUSTER_CHANGE[part as ClusterChangeName];
    else throw new Error(`unknown CLUSTER_CHANGE value '${part}'`);
  }
  return value >>> 0;
}

export const ERROR = {
  SUCCESS: 0x0,
  INVALID_FUNCTION: 0x1,
  ACCESS_DENIED: 0x5,
  INVALID_HANDLE: 0x6,
  SHARING_PAUSED: 0x46,
  INVALID_PARAMETER: 0x57,
  WAIT_TIMEOUT: 0x102,
  NO_MORE_ITEMS: 0x103,
} as const;

const errorNames = new Map<number, string>(Object.entries(ERROR).map(([n, v]) => [v, `ERROR_${n}`]));
errorNames.set(ERROR.WAIT_TIMEOUT, 'WAIT_TIMEOUT');

/** "ERROR_INVALID_HANDLE (0x6)" for a known code, the hex form otherwise. */
export function statusName(status: number): string {
  const name = errorNames.get(status >>> 0);
  return name ? `${name} (${hex(status)})` : hex(status);
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

export type ProtocolVersion = 2 | 3;

/** The spec section of a method in each protocol version (3.1.4.1.x for version 2, 3.1.4.2.x for 3). */
export function methodSection(version: ProtocolVersion, minor: number): string {
  return `3.1.4.${version - 1}.${minor}`;
}
