// What the connection-oriented server engine needs of the application it serves: which interfaces it
// accepts, and what to do with association groups and calls. The engine owns the wire (PDUs,
// fragments, negotiation, hostile input); the application owns the meaning of a stub.
import type { SyntaxId } from '../constants';
import type { AuthVerifier } from '../sec-trailer';

/** `end`: the fault refuses the caller for good; the connection is closed once it is written (a security callback's refusal). */
export type ServerCallOutcome = { stub: Buffer; fault?: undefined } | { fault: number; stub?: undefined; end?: boolean };

export interface CallInfo {
  /** The abstract syntax the request's presentation context was bound to (interface and version). */
  syntax: SyntaxId;
  opnum: number;
  callId: number;
  /** The connection's established security context; absent on an unauthenticated connection. */
  security?: CallSecurity;
}

/** Who is calling and how the connection is protected: what an application's authorization looks at. */
export interface CallSecurity {
  /** sec_trailer.auth_type: 9 SPNEGO, 10 NTLMSSP. */
  authType: number;
  /** sec_trailer.auth_level: 2 connect, 5 packet integrity, 6 packet privacy. */
  authLevel: number;
  /** The account the client proved. */
  peer: { domain: string; user: string };
}

/**
 * One connection's security context on the serving side: the structural subset of wire/auth's
 * RpcSecurityContext the engine drives (handshake tokens in and out, then every request fragment
 * unprotected in read order and every response fragment protected in write order).
 */
export interface ServerSecurityContext {
  readonly authType: number;
  readonly authLevel: number;
  readonly contextId: number;
  readonly established: boolean;
  readonly peer: { domain: string; user: string } | undefined;
  next(token?: Buffer): { token?: Buffer; done: boolean };
  protect(pdu: Buffer): Buffer;
  unprotect(pdu: Buffer): Buffer;
}

/** How a refused handshake or PDU is answered, and what the log says (never a secret). */
export interface SecurityRefusal {
  /** bind_nak provider_reject_reason, for a refused bind. */
  rejectReason: number;
  /** Fault status, for a refused alter_context or request. */
  fault: number;
  log: string;
}

/** Authentication on a listener: how contexts are opened, and how failures are answered. */
export interface ServerSecurity {
  /** A context for the verifier of a bind (or of an alter_context on an unauthenticated connection); throws to refuse it. */
  open(verifier: AuthVerifier): ServerSecurityContext;
  /** The answer to a failure thrown by open(), next(), or unprotect(). */
  refusal(error: unknown): SecurityRefusal;
  /** Bytes each response fragment leaves for the verifier protect() adds. */
  verifierOverhead: number;
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
  /**
   * Connections at once. A newcomer past it takes the place of the longest-idle connection of the
   * client address holding the most, when that address holds more than the newcomer's own (so no
   * address can lock the others out); otherwise it is closed at once.
   */
  maxConnections: number;
  /** Connections at once from one client address; beyond that new ones from it are closed at once. */
  maxConnectionsPerClient: number;
  /** A connection that stops half-way through a PDU for this long is closed. */
  partialPduTimeoutMs: number;
  /** A connection that has not bound (no bind_ack sent) this long after it opened is closed. */
  bindTimeoutMs: number;
  /**
   * A bound connection on which no call runs and nothing has been received for this long is closed
   * (a blocked ApiGetNotify is a running call: its connection is not idle). 0: never.
   */
  idleTimeoutMs: number;
  /**
   * Bytes one connection may hold for calls whose last fragment has not come (stub bytes plus
   * FRAGMENT_BOOKKEEPING per fragment); past it the connection is closed.
   */
  maxHeldBytesPerConnection: number;
  /**
   * The same for all connections together; past it the connection holding the most is closed
   * (the one that grew it, or another), until the total is back under.
   */
  maxHeldBytes: number;
  /** Response bytes queued for a client that does not read them; past it the connection is closed. */
  maxUnsentBytesPerConnection: number;
}

/**
 * What a fragment held for reassembly costs beyond its stub: its Buffer and list slot. Charged so
 * that endless empty fragments are bounded like endless full ones.
 */
export const FRAGMENT_BOOKKEEPING = 128;

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxFrag: 4280,
  maxStub: 1024 * 1024,
  maxCallsPerConnection: 32,
  maxConnections: 256,
  maxConnectionsPerClient: 64,
  partialPduTimeoutMs: 10_000,
  bindTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
  maxHeldBytesPerConnection: 2 * 1024 * 1024,
  maxHeldBytes: 32 * 1024 * 1024,
  maxUnsentBytesPerConnection: 4 * 1024 * 1024,
};
