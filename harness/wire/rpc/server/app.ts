// What the connection-oriented server engine needs of the application it serves: which interfaces it
// accepts, and what to do with association groups and calls. The engine owns the wire (PDUs,
// fragments, negotiation, hostile input); the application owns the meaning of a stub.
import type { SyntaxId } from '../constants';

export type ServerCallOutcome = { stub: Buffer; fault?: undefined } | { fault: number; stub?: undefined };

export interface CallInfo {
  /** The abstract syntax the request's presentation context was bound to (interface and version). */
  syntax: SyntaxId;
  opnum: number;
  callId: number;
}

export interface ServerApp<Group> {
  /** Whether a bind may use this interface version (matched against the UUID and major.minor). */
  accepts(syntax: SyntaxId): boolean;
  /** A new association group: the application's per-client state (context handles live here). */
  openGroup(): Group;
  /** The last connection of a group closed: run down its context handles ([MS-RPCE] 3.3.3.2.1). */
  closeGroup(group: Group): void | Promise<void>;
  /** One complete call. A thrown error becomes a fault (rpc_s_call_failed) and is reported to `log`. */
  call(group: Group, info: CallInfo, stub: Buffer): Promise<ServerCallOutcome>;
}

export interface ServerLimits {
  /** The largest fragment this server sends or accepts (offered in bind_ack; at least 1432). */
  maxFrag: number;
  /** Ceiling of one reassembled request stub. */
  maxStub: number;
  /** Calls being reassembled or running on one connection at once. */
  maxCallsPerConnection: number;
  /** Connections at once; beyond that new ones are closed at once. */
  maxConnections: number;
  /** A connection that stops half-way through a PDU for this long is closed. */
  partialPduTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxFrag: 4280,
  maxStub: 1024 * 1024,
  maxCallsPerConnection: 32,
  maxConnections: 256,
  partialPduTimeoutMs: 10_000,
};
