// Scripted call sequences as data (vectors/sequences/*.json): the format, as docs/sequences.md explains.
import type { Stimulus } from '../../cmrp/control';
import type { MethodName } from '../../cmrp/contract';
import type { ClauseName } from '../../cmrp/clause-name';
import type { ProtocolVersion } from '../../cmrp/constants';

/**
 * A clause label of a loaded sequence, mapped to the catalogue id it means in each protocol version:
 * what the loader makes of the file's clause names (harness/catalogue/names.ts).
 */
export type ClauseMap = Record<string, Partial<Record<'2' | '3', string>>>;

/** A literal, a "$variable" (or "$variable.field"), "$FABRICATED", or a CLUSTER_CHANGE / status name. */
export type Value = string | number | boolean | null;

/** Comparisons a step can demand of a value. */
/** `bitsClear`: none of these CLUSTER_CHANGE bits is set (alone or with others). */
export type ValueSpec = Value | { ne: Value } | { oneOf: Value[] } | { bitsClear: Value };

export interface Expectation {
  /** A status name or number; "!NAME" for anything but it; a list for any of them. */
  status?: ValueSpec | string[];
  /** Also accept an RPC fault (the spec's reading for handles the runtime rejects before the method runs). */
  faultAllowed?: boolean;
  /**
   * The server has ended the connection (3.1.3: a refused client's): the call fails at the transport,
   * which is then this step's observation, not a crash of the target; any reply breaks it.
   */
  ended?: true;
  /** Out parameters. */
  out?: Record<string, ValueSpec>;
  /** Readings the spec leaves open: the reply must meet one of these (the other keys are then unused). */
  anyOf?: Expectation[];
}

export interface EventPattern {
  dwNotifyKey?: ValueSpec;
  dwFilter?: ValueSpec;
  dwStateSequence?: ValueSpec;
  Name?: ValueSpec;
}

interface Checked {
  /** The clause labels this step's expectation checks. */
  check?: string | string[];
}

export interface CallStep extends Checked {
  call: MethodName;
  /** Positional, in the IDL's parameter order. */
  args?: Value[];
  expect?: Expectation;
  /** Out parameter name -> variable name. */
  save?: Record<string, string>;
  /** Start without waiting; a later `await` step collects it. */
  async?: string;
}

export interface AwaitStep extends Checked {
  await: string;
  expect?: Expectation;
  save?: Record<string, string>;
  /** Verdict when the call is still pending after the call timeout (default: fail). */
  ifPending?: 'fail' | 'inconclusive';
}

export interface ControlStep {
  control: Stimulus;
}

/** Reads exactly `expect.length` events from a port and compares them. */
export interface ReadStep extends Checked {
  read: string;
  expect: EventPattern[];
  /** "fifo": in this order; "any" (default): as a multiset. */
  order?: 'fifo' | 'any';
  /** Variable names for the events read, in order of `expect`. */
  saveAs?: string[];
}

/** Proves that a port holds no further event: a pending read released by Unblock (v3) or timing out (v2). */
export interface AbsentStep extends Checked {
  absent: string;
}

/** Checks a value an earlier step kept ("$event.dwNotifyKey"): one clause, judged apart from the read. */
export interface AssertStep extends Checked {
  assert: string;
  is: ValueSpec;
}

/**
 * Opens a fresh connection (after a failover); variables keep their values. A node role ("@node2") or
 * name opens it to that node of the cluster: the sequence then needs a target with several node
 * endpoints (capabilities.nodeEndpoints).
 */
export interface ReconnectStep {
  reconnect: true | string;
}

/** A NOTIFICATION_RPC field's expectation, or the payload's (`payload`) read in one of its forms. */
export interface NotificationPattern {
  dwNotifyKey?: ValueSpec;
  dwObjectType?: ValueSpec;
  FilterFlags?: ValueSpec;
  ObjectId?: ValueSpec;
  ParentId?: ValueSpec;
  Name?: ValueSpec;
  Type?: ValueSpec;
  /** "empty": no bytes (a NULL or zero-length buffer); a DWORD; a UTF-16 ID; a property list holding these values. */
  payload?: 'empty' | { dword: Value } | { string: Value } | { properties: Record<string, Value> };
}

/** Reads exactly `expect.length` entries of a version 2 port (harness/sequence/v2-steps.ts). */
export interface ReadV2Step {
  readV2: string;
  expect: NotificationPattern[];
  order?: 'fifo' | 'any';
  saveAs?: string[];
  check?: string | string[];
}

/** Proves that a version 2 port holds nothing more: a pending ApiGetNotifyV2 released by Unblock. */
export interface AbsentV2Step {
  absentV2: string;
  check?: string | string[];
}

/** Runs `steps` once per index from..to; "{as}" in their strings is the index ("$port{i}"; alone, the number). */
export interface RepeatStep {
  repeat: { from: number; to: number; as: string };
  steps: Step[];
}

export type Step = CallStep | AwaitStep | ControlStep | ReadStep | AbsentStep | AssertStep | ReconnectStep | RepeatStep | ReadV2Step | AbsentV2Step;

/** A sequence as its file writes it: each clause label names a clause ("x.64: <title>", cmrp/clause-name.ts). */
export interface SequenceSource extends Omit<Sequence, 'clauses'> {
  clauses: Record<string, ClauseName>;
}

/** A sequence as the interpreter runs it: labels resolved to ids per protocol version. */
export interface Sequence {
  id: string;
  title: string;
  versions?: ProtocolVersion[];
  accessLevel?: 'read';
  /** Only a binding that sees the RPC runtime (rpc_status, context-handle encoding) can run it. */
  rpcRuntime?: boolean;
  clauses: ClauseMap;
  steps: Step[];
}

export interface SequenceFile {
  /** The spec section pair this file covers, e.g. "3.1.4.x.60" (x = 1 for version 2, 2 for version 3). */
  suite: string;
  heading: string;
  /** Set on a file written by tools/sequence-families.ts: the template and case file it came from. */
  generated?: string;
  sequences: SequenceSource[];
}
