// Status codes the reference server returns beyond the ones the notification sections list
// (cmrp/constants.ts holds those). Each is the Win32 or RPC value a Windows server uses for
// the same condition, so a trace of the reference reads like a trace of the real thing.
export { ERROR } from '../../cmrp/constants';

export const SERVER_ERROR = {
  /** ApiOpenKey: the subkey does not exist. */
  FILE_NOT_FOUND: 0x2,
  /** 3.1.1: a method that needs the read/write protocol server state was called in read-only. */
  SHARING_PAUSED: 0x46,
  /** Get*State through a handle whose group/resource has since been deleted (3.1.4.x.13, .46). */
  RESOURCE_NOT_AVAILABLE: 5006,
  GROUP_NOT_AVAILABLE: 5012,
  /** Open* with a name the cluster does not know. */
  RESOURCE_NOT_FOUND: 5007,
  GROUP_NOT_FOUND: 5013,
  CLUSTER_NODE_NOT_FOUND: 5042,
  CLUSTER_NETWORK_NOT_FOUND: 5045,
  CLUSTER_NETINTERFACE_NOT_FOUND: 5047,
  /** 3.1.4.x: a node that is not (or no longer) an active node cannot process the request. */
  CLUSTER_NODE_NOT_READY: 5072,
  /** A registry operation through a handle whose key has since been deleted (ApiAddNotifyKey). */
  KEY_DELETED: 1018,
} as const;

/**
 * RPC_S_CALL_FAILED: what a client sees for a call whose connection is gone (failover, closed
 * binding). It is a fault, not a method status: the method never ran.
 */
export const RPC_S_CALL_FAILED = 0x6be;

/** The NULL context handle (20 zero bytes): what a failed Open* or ApiCreateNotify hands back. */
export const NULL_HANDLE = '0'.repeat(40);

/** nca_s_fault_context_mismatch: how an RPC runtime rejects a context handle it does not know. */
export const NCA_S_FAULT_CONTEXT_MISMATCH = 0x1c00001a;
/** RPC_S_PROCNUM_OUT_OF_RANGE: the server has no such method (a v2 server without ApiUnblockGetNotifyCall). */
export const RPC_S_PROCNUM_OUT_OF_RANGE = 0x6d1;

/** Thrown by a method that the RPC runtime would fail instead of running: the call ends in this fault. */
export class RpcFault extends Error {
  constructor(readonly fault: number) {
    super(`RPC fault 0x${fault.toString(16)}`);
  }
}
