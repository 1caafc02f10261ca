// The state enumerations of [MS-CMRP] 2.2.3.x (CLUSTER_NODE_STATE, CLUSTER_GROUP_STATE,
// CLUSTER_RESOURCE_STATE, CLUSTER_NETWORK_STATE, CLUSTER_NETINTERFACE_STATE): the values Get*State
// returns and the control verb SetState takes.

export const CLUSTER_NODE_STATE = { Up: 0, Down: 1, Paused: 2, Joining: 3 } as const;

export const CLUSTER_GROUP_STATE = { Online: 0, Offline: 1, Failed: 2, PartialOnline: 3, Pending: 4 } as const;

export const CLUSTER_RESOURCE_STATE = {
  Inherited: 0,
  Initializing: 1,
  Online: 2,
  Offline: 3,
  Failed: 4,
  Pending: 128,
  OnlinePending: 129,
  OfflinePending: 130,
} as const;

export const CLUSTER_NETWORK_STATE = { Unavailable: 0, Down: 1, PartitionedUp: 2, Up: 3 } as const;

export const CLUSTER_NETINTERFACE_STATE = { Unavailable: 0, Failed: 1, Unreachable: 2, Up: 3 } as const;

/**
 * The spec's own table in 3.1.4.x.94 numbers the interface states Failed 0, Unreachable 1, Unavailable 2,
 * Up 3, unlike the Windows enumeration above; a server may use either (the catalogue's reading).
 */
const TO_SPEC_TABLE: Readonly<Record<number, number>> = { 0: 2, 1: 0, 2: 1, 3: 3 };

export function netInterfaceStateToSpecTable(state: number): number {
  return TO_SPEC_TABLE[state] ?? state;
}

export function netInterfaceStateFromSpecTable(state: number): number {
  const found = Object.entries(TO_SPEC_TABLE).find(([, spec]) => spec === state);
  return found ? Number(found[0]) : state;
}
