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
  INVALID_DATA: 0xd,
  SHARING_PAUSED: 0x46,
  INVALID_PARAMETER: 0x57,
  /** A caller's buffer is too small; the reply says the size it needs (ApiGetKeySecurity). */
  INSUFFICIENT_BUFFER: 0x7a,
  /** The same for Api*Control's lpOutBuffer (lpcbRequired). */
  MORE_DATA: 0xea,
  WAIT_TIMEOUT: 0x102,
  NO_MORE_ITEMS: 0x103,
  /** 3.1.4.x: a node that is not (or no longer) an active node cannot process the request. */
  CLUSTER_NODE_NOT_READY: 0x13d0,
  CLUSTER_NODE_SHUTTING_DOWN: 0x13d1,
  /** 3.1.4.1: a version 2 node no longer active because its computer is shutting down. */
  SHUTDOWN_IN_PROGRESS: 0x45b,
  SERVER_SHUTDOWN_IN_PROGRESS: 0x4e7,
} as const;

/**
 * Api*Control codes (3.1.4.3): the object byte (bits 24-31) says which object type's method takes the code,
 * the rest is the function; a function with bit 22 set modifies the object.
 */
export const CLUSCTL_OBJECT = { resource: 0x01, resourceType: 0x02, group: 0x03, node: 0x04, network: 0x05, netInterface: 0x06, cluster: 0x07 } as const;
export const CLUSCTL_FUNCTION = {
  /** *_GET_COMMON_PROPERTIES: a PROPERTY_LIST (2.2.3.10) of the object's common properties. */
  GET_COMMON_PROPERTIES: 0x000059,
  /** *_SET_COMMON_PROPERTIES: sets each property of a PROPERTY_LIST. */
  SET_COMMON_PROPERTIES: 0x40005e,
  /** CLUSCTL_RESOURCE_GET_RESOURCE_TYPE (3.1.4.3.1.7): a resource's type name, a null-terminated Unicode string. */
  GET_RESOURCE_TYPE: 0x00002d,
} as const;
/** The code of `fn` for objects of `type`. */
export function clusctl(type: keyof typeof CLUSCTL_OBJECT, fn: number): number {
  return ((CLUSCTL_OBJECT[type] << 24) | fn) >>> 0;
}

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

/** CLUSTER_OBJECT_TYPE (2.2.2.11): the object type of a version 2 registration and event. */
export const CLUSTER_OBJECT_TYPE = {
  CLUSTER: 0x1,
  GROUP: 0x2,
  RESOURCE: 0x3,
  RESOURCE_TYPE: 0x4,
  NETWORK_INTERFACE: 0x5,
  NETWORK: 0x6,
  NODE: 0x7,
  REGISTRY: 0x8,
  QUORUM: 0x9,
  SHARED_VOLUME: 0xa,
  SPACEPORT: 0xb,
  UPGRADE: 0xc,
  GROUPSET: 0xd,
  SBL_DEVICE: 0xe,
  CERT: 0xf,
  AFFINITYRULE: 0x10,
} as const;

export type ClusterObjectTypeName = keyof typeof CLUSTER_OBJECT_TYPE;

/** CLUSTER_CHANGE_CLUSTER_V2 (2.2.2.12). */
export const CLUSTER_CHANGE_CLUSTER_V2 = {
  RECONNECT: 0x1,
  STATE: 0x2,
  GROUP_ADDED: 0x4,
  HANDLE_CLOSE: 0x8,
  NETWORK_ADDED: 0x10,
  NODE_ADDED: 0x20,
  RESOURCE_TYPE_ADDED: 0x40,
  COMMON_PROPERTY: 0x80,
  PRIVATE_PROPERTY: 0x100,
  LOST_NOTIFICATIONS: 0x200,
  RENAME: 0x400,
  MEMBERSHIP: 0x800,
  UPGRADED: 0x1000,
} as const;

/** CLUSTER_CHANGE_GROUP_V2 (2.2.2.13). */
export const CLUSTER_CHANGE_GROUP_V2 = {
  DELETED: 0x1,
  COMMON_PROPERTY: 0x2,
  PRIVATE_PROPERTY: 0x4,
  STATE: 0x8,
  OWNER_NODE: 0x10,
  PREFERRED_OWNERS: 0x20,
  RESOURCE_ADDED: 0x40,
  RESOURCE_GAINED: 0x80,
  RESOURCE_LOST: 0x100,
  HANDLE_CLOSE: 0x200,
} as const;

/** CLUSTER_CHANGE_RESOURCE_V2 (2.2.2.14). */
export const CLUSTER_CHANGE_RESOURCE_V2 = {
  COMMON_PROPERTY: 0x1,
  PRIVATE_PROPERTY: 0x2,
  STATE: 0x4,
  OWNER_GROUP: 0x8,
  DEPENDENCIES: 0x10,
  DEPENDENTS: 0x20,
  POSSIBLE_OWNERS: 0x40,
  DELETED: 0x80,
  DLL_UPGRADED: 0x100,
  HANDLE_CLOSE: 0x200,
} as const;

/** CLUSTER_CHANGE_RESOURCE_TYPE_V2 (2.2.2.15); SPECIFIC is CLUSTER_RESOURCE_TYPE_SPECIFIC_V2. */
export const CLUSTER_CHANGE_RESOURCE_TYPE_V2 = {
  DELETED: 0x1,
  COMMON_PROPERTY: 0x2,
  PRIVATE_PROPERTY: 0x4,
  POSSIBLE_OWNERS: 0x8,
  DLL_UPGRADED: 0x10,
  SPECIFIC: 0x20,
} as const;

/** CLUSTER_CHANGE_NETINTERFACE_V2 (2.2.2.16). */
export const CLUSTER_CHANGE_NETINTERFACE_V2 = { DELETED: 0x1, COMMON_PROPERTY: 0x2, PRIVATE_PROPERTY: 0x4, STATE: 0x8, HANDLE_CLOSE: 0x10 } as const;

/** CLUSTER_CHANGE_NETWORK_V2 (2.2.2.17). */
export const CLUSTER_CHANGE_NETWORK_V2 = { DELETED: 0x1, COMMON_PROPERTY: 0x2, PRIVATE_PROPERTY: 0x4, STATE: 0x8, HANDLE_CLOSE: 0x10 } as const;

/** CLUSTER_CHANGE_NODE_V2 (2.2.2.18). */
export const CLUSTER_CHANGE_NODE_V2 = {
  NETINTERFACE_ADDED: 0x1,
  DELETED: 0x2,
  COMMON_PROPERTY: 0x4,
  PRIVATE_PROPERTY: 0x8,
  STATE: 0x10,
  GROUP_GAINED: 0x20,
  GROUP_LOST: 0x40,
  HANDLE_CLOSE: 0x80,
} as const;

/** CLUSTER_CHANGE_REGISTRY_V2 (2.2.2.19). */
export const CLUSTER_CHANGE_REGISTRY_V2 = { ATTRIBUTES: 0x1, NAME: 0x2, SUBTREE: 0x4, VALUE: 0x8, HANDLE_CLOSE: 0x10 } as const;

/** CLUSTER_CHANGE_QUORUM_V2 (2.2.2.20). */
export const CLUSTER_CHANGE_QUORUM_V2 = { STATE: 0x1 } as const;

/** CLUSTER_CHANGE_SHARED_VOLUME_V2 (2.2.2.21). */
export const CLUSTER_CHANGE_SHARED_VOLUME_V2 = { STATE: 0x1 } as const;

/** CLUSTER_CHANGE_SPACEPORT_V2 (2.2.2.25). */
export const CLUSTER_CHANGE_SPACEPORT_V2 = { CUSTOM_PNP: 0x1 } as const;

/** CLUSTER_CHANGE_NODE_UPGRADE_PHASE_V2 (2.2.2.26); ALL is the three phases together. */
export const CLUSTER_CHANGE_NODE_UPGRADE_PHASE_V2 = { PREPARE: 0x1, COMMIT: 0x2, POSTCOMMIT: 0x4 } as const;

/** CLUSTER_CHANGE_GROUPSET_V2 (2.2.2.24). */
export const CLUSTER_CHANGE_GROUPSET_V2 = {
  DELETED: 0x1,
  COMMON_PROPERTY: 0x2,
  PRIVATE_PROPERTY: 0x4,
  STATE: 0x8,
  GROUP_ADDED: 0x10,
  GROUP_REMOVED: 0x20,
  DEPENDENCIES: 0x40,
  DEPENDENTS: 0x80,
  HANDLE_CLOSE: 0x100,
} as const;

/**
 * Each object type's *_V2 enumeration (3.1.4.2.137's filter table). SBL_DEVICE, CERT and AFFINITYRULE
 * are in CLUSTER_OBJECT_TYPE but the table gives them no enumeration: no flag is valid for them.
 */
export const V2_FILTER_FLAGS: Readonly<Partial<Record<ClusterObjectTypeName, Readonly<Record<string, number>>>>> = {
  CLUSTER: CLUSTER_CHANGE_CLUSTER_V2,
  GROUP: CLUSTER_CHANGE_GROUP_V2,
  RESOURCE: CLUSTER_CHANGE_RESOURCE_V2,
  RESOURCE_TYPE: CLUSTER_CHANGE_RESOURCE_TYPE_V2,
  NETWORK_INTERFACE: CLUSTER_CHANGE_NETINTERFACE_V2,
  NETWORK: CLUSTER_CHANGE_NETWORK_V2,
  NODE: CLUSTER_CHANGE_NODE_V2,
  REGISTRY: CLUSTER_CHANGE_REGISTRY_V2,
  QUORUM: CLUSTER_CHANGE_QUORUM_V2,
  SHARED_VOLUME: CLUSTER_CHANGE_SHARED_VOLUME_V2,
  SPACEPORT: CLUSTER_CHANGE_SPACEPORT_V2,
  UPGRADE: CLUSTER_CHANGE_NODE_UPGRADE_PHASE_V2,
  GROUPSET: CLUSTER_CHANGE_GROUPSET_V2,
};

/**
 * The flags ApiGetNotifyV2 never returns (3.1.4.2.138; 3.2.4.8.2: the client generates them), per
 * object type: the cluster's RECONNECT, STATE and HANDLE_CLOSE, each type's HANDLE_CLOSE, and
 * REGISTRY_SUBTREE_V2 (a scope modifier of the registration, never an event).
 */
export const V2_CLIENT_ONLY_FLAGS: Readonly<Partial<Record<ClusterObjectTypeName, number>>> = {
  CLUSTER: CLUSTER_CHANGE_CLUSTER_V2.RECONNECT | CLUSTER_CHANGE_CLUSTER_V2.STATE | CLUSTER_CHANGE_CLUSTER_V2.HANDLE_CLOSE,
  GROUP: CLUSTER_CHANGE_GROUP_V2.HANDLE_CLOSE,
  RESOURCE: CLUSTER_CHANGE_RESOURCE_V2.HANDLE_CLOSE,
  NETWORK: CLUSTER_CHANGE_NETWORK_V2.HANDLE_CLOSE,
  NETWORK_INTERFACE: CLUSTER_CHANGE_NETINTERFACE_V2.HANDLE_CLOSE,
  NODE: CLUSTER_CHANGE_NODE_V2.HANDLE_CLOSE,
  REGISTRY: CLUSTER_CHANGE_REGISTRY_V2.HANDLE_CLOSE | CLUSTER_CHANGE_REGISTRY_V2.SUBTREE,
  GROUPSET: CLUSTER_CHANGE_GROUPSET_V2.HANDLE_CLOSE,
};

/** The CLUSTER_OBJECT_TYPE name of a value, or undefined for a value the enumeration lacks. */
export function clusterObjectTypeName(dwObjectType: number): ClusterObjectTypeName | undefined {
  return (Object.keys(CLUSTER_OBJECT_TYPE) as ClusterObjectTypeName[]).find((n) => CLUSTER_OBJECT_TYPE[n] === dwObjectType >>> 0);
}

/** Every flag its type's *_V2 enumeration defines, OR-ed (0 for a type without one). */
export function validV2Flags(dwObjectType: number): bigint {
  const name = clusterObjectTypeName(dwObjectType);
  const flags = name ? V2_FILTER_FLAGS[name] : undefined;
  return BigInt(Object.values(flags ?? {}).reduce((all, f) => all | f, 0) >>> 0);
}

/** "GROUP_STATE_V2" for one flag of a type, the hex form otherwise. */
export function v2FlagName(dwObjectType: number, flag: bigint): string {
  const name = clusterObjectTypeName(dwObjectType);
  const entry = Object.entries((name && V2_FILTER_FLAGS[name]) ?? {}).find(([, v]) => BigInt(v) === flag);
  return entry && name ? `${name}_${entry[0]}_V2` : `0x${flag.toString(16)}`;
}

/** The enumeration prefix of each object type's flags, as the spec spells the full names. */
const V2_PREFIX: Readonly<Partial<Record<ClusterObjectTypeName, string>>> = {
  CLUSTER: 'CLUSTER_CHANGE_CLUSTER_',
  GROUP: 'CLUSTER_CHANGE_GROUP_',
  RESOURCE: 'CLUSTER_CHANGE_RESOURCE_',
  RESOURCE_TYPE: 'CLUSTER_CHANGE_RESOURCE_TYPE_',
  NETWORK_INTERFACE: 'CLUSTER_CHANGE_NETINTERFACE_',
  NETWORK: 'CLUSTER_CHANGE_NETWORK_',
  NODE: 'CLUSTER_CHANGE_NODE_',
  REGISTRY: 'CLUSTER_CHANGE_REGISTRY_',
  QUORUM: 'CLUSTER_CHANGE_QUORUM_',
  SHARED_VOLUME: 'CLUSTER_CHANGE_SHARED_VOLUME_',
  SPACEPORT: 'CLUSTER_CHANGE_SPACEPORT_',
  UPGRADE: 'CLUSTER_CHANGE_UPGRADE_NODE_',
  GROUPSET: 'CLUSTER_CHANGE_GROUPSET_',
};

/** Every *_V2 flag by its full name ("CLUSTER_CHANGE_GROUP_STATE_V2"): names are unique across types. */
export const V2_FLAG_BY_NAME: ReadonlyMap<string, number> = new Map(
  (Object.entries(V2_FILTER_FLAGS) as [ClusterObjectTypeName, Record<string, number>][]).flatMap(([type, flags]) =>
    Object.entries(flags).map(([flag, value]): [string, number] => [`${V2_PREFIX[type]}${flag}${type === 'UPGRADE' ? '' : '_V2'}`, value]),
  ),
);

/** Parses "CLUSTER_CHANGE_GROUP_STATE_V2|CLUSTER_CHANGE_GROUP_DELETED_V2" or a number into FilterFlags. */
export function parseV2Flags(spec: string | number | bigint): bigint {
  if (typeof spec !== 'string') return BigInt.asUintN(64, BigInt(spec));
  let value = 0n;
  for (const part of spec.split('|').map((p) => p.trim())) {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(part)) value |= BigInt(part);
    else if (V2_FLAG_BY_NAME.has(part)) value |= BigInt(V2_FLAG_BY_NAME.get(part)!);
    else throw new Error(`unknown version 2 flag '${part}'`);
  }
  return value;
}

/** Parses "CLUSTER_OBJECT_TYPE_GROUP" (or "GROUP", or a number) into a dwObjectType. */
export function parseObjectType(spec: string | number): number {
  if (typeof spec === 'number') return spec >>> 0;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(spec)) return Number(spec) >>> 0;
  const name = spec.replace(/^CLUSTER_OBJECT_TYPE_/, '');
  if (name in CLUSTER_OBJECT_TYPE) return CLUSTER_OBJECT_TYPE[name as ClusterObjectTypeName];
  throw new Error(`unknown CLUSTER_OBJECT_TYPE '${spec}'`);
}
