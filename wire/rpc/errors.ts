// What goes wrong on the wire, as values a caller can tell apart: a PDU that breaks the protocol
// (RpcProtocolError) and a peer that does not answer in time or goes away (RpcTransportError). The
// bindings turn both into TargetError naming the call, so a misbehaving server is an ERROR verdict.

/** A PDU (or a sequence of PDUs) that breaks C706 / [MS-RPCE]: truncated, mis-sized, unexpected. */
export class RpcProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RpcProtocolError';
  }
}

/** The connection failed: refused, closed mid-call, or silent past a deadline. */
export class RpcTransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'closed' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'RpcTransportError';
  }
}

/**
 * The server refused the bind: a bind_nak, every presentation context rejected, or (authenticated
 * binds) a fault in answer to the alter_context that carries the security context's next token.
 */
export class RpcBindError extends Error {
  /** The bind_nak's provider_reject_reason, when a bind_nak said no. */
  readonly rejectReason?: number;
  /** The fault status, when an alter_context was faulted. */
  readonly fault?: number;
  constructor(message: string, detail: { rejectReason?: number; fault?: number } = {}) {
    super(message);
    this.name = 'RpcBindError';
    if (detail.rejectReason !== undefined) this.rejectReason = detail.rejectReason;
    if (detail.fault !== undefined) this.fault = detail.fault;
  }
}
