// The fixed facts of the adapter protocol (docs/adapter-protocol.md) that both ends share: the
// version string, the framing limit, the JSON-RPC error codes and the handshake's shape.
import type { AccessLevel } from '../../cmrp/contract';
import type { ControlOffer, Stimulus } from '../../cmrp/control';
import type { ProtocolVersion } from '../../cmrp/constants';

/** Changes only when a message changes meaning or goes away; additions keep it. */
export const ADAPTER_PROTOCOL = 'cmrp-adapter/1';

/** Longest line either end accepts, newline excluded. A longer line is a fault, not a message. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** RPC_S_CALL_FAILED: the fault for a call on a connection that is closed or lost (the method never ran). */
export const RPC_S_CALL_FAILED = 0x6be;

/** JSON-RPC 2.0 error codes (the reserved ones, plus one of ours in the server-defined range). */
export const RPC_ERROR = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** A control verb the adapter offers could not be applied (it names an object the cluster lacks, ...). */
  STIMULUS_FAILED: -32000,
} as const;

export interface HelloParams {
  protocol: string;
  /** The harness's name and version, for the adapter's logs. */
  harness: string;
}

/** The adapter's answer to Hello: what it is and what it can do. */
export interface HelloResult {
  protocol: string;
  /** Human-readable, secret-free: shown in reports next to the target spec. */
  name?: string;
  protocolVersions: ProtocolVersion[];
  /** `nodeEndpoints`: how many nodes of the cluster a Connect may name (absent: 1). */
  capabilities: { notifyV2: boolean; accessLevels: AccessLevel[]; management?: boolean; nodeEndpoints?: number };
  /**
   * The control verbs ("Control.<Verb>" requests) the adapter offers, the queries (ListObjects, ReadsHeld) and Batch;
   * empty when it has no control adapter.
   */
  control: ControlOffer[];
}

export interface ConnectParams {
  protocolVersion: ProtocolVersion;
  accessLevel: AccessLevel;
  /** The node to connect to, by name (an adapter declaring nodeEndpoints of 2 or more); absent: the first. */
  node?: string;
}

export interface ConnectResult {
  connection: string;
}

/** "Control.SetState" -> "SetState". */
export const CONTROL_PREFIX = 'Control.';

/** Control.Batch: stimuli applied in order, each as its own "Control.<verb>" would take it, with its verb. */
export interface BatchParams {
  stimuli: Stimulus[];
}

/**
 * The `data` of the error a Batch is answered with when one of its stimuli fails: the item's index in
 * `stimuli`, from 0. The code and message are those the item alone would have been answered with; the
 * items before it were applied, those after it were not.
 */
export interface BatchErrorData {
  index: number;
}
