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

/** The server refused the bind (bind_nak, or every presentation context rejected). */
export class RpcBindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RpcBindError';
  }
}
