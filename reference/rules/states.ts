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
