// One client TCP connection of an association (ncacn_ip_tcp): bind or alter_context, then calls one at
// a time. Every wait has a deadline; a server that answers garbage, cuts a PDU short, sends a fragment
// past the negotiated size, an unexpected PDU type or closes mid-call fails the call in progress with
// an RpcProtocolError or RpcTransportError, and the connection is dropped (it is no longer in step).
import { connect, type Socket } from 'node:net';
import { BIND_NAK_REASON, DEFAULT_MAX_FRAG, MUST_RECV_FRAG_SIZE, PROVIDER_REASON, PTYPE, RESULT, faultName, type SyntaxId } from '../constants';
import { RpcBindError, RpcProtocolError, RpcTransportError } from '../errors';
import { fragmentRequest, Reassembly } from '../fragment';
import { PduFramer } from '../framing';
import { decodePdu, encodePdu, type BindAckPdu, type Pdu, type PresentationContext } from '../pdu';
import type { AuthVerifierSpec } from '../sec-trailer';

export interface Endpoint {
  host: string;
  port: number;
}

export interface ConnectionLimits {
  /** Deadline for the TCP connect and for each bind / alter_context exchange. */
  connectTimeoutMs: number;
  /** What this client sends and accepts per fragment (offered in the bind). */
  maxXmitFrag?: number;
  maxRecvFrag?: number;
  /** Ceiling of a reassembled response stub: a server cannot make the client allocate more. */
  maxStub?: number;
}

export type CallOutcome = { stub: Buffer; fault?: undefined } | { fault: number; stub: Buffer };

/**
 * What the client sends after the bind_ack of an authenticated bind: NTLM's third leg in an auth3
 * (no answer comes), or SPNEGO's next token in an alter_context of the same presentation contexts
 * (answered by an alter_context_resp carrying the server's last token).
 */
export interface ClientAuthLeg {
  pdu: 'auth3' | 'alter_context';
  auth: AuthVerifierSpec;
}

/**
 * One connection's security context, as the PDU layer drives it (client/security.ts builds one from
 * wire/auth's RpcSecurityContext). Without a security object, PDUs carry no verifier.
 */
export interface ClientSecurity {
  /** The bind's verifier: the first token of the handshake. */
  bindVerifier?(): AuthVerifierSpec | undefined;
  /** Takes the server's token from the bind_ack; says what goes out next, if anything. */
  acceptBindAck?(ack: BindAckPdu): ClientAuthLeg | undefined;
  /** Takes the server's token from the alter_context_resp of the handshake; throws when it fails. */
  acceptAlterContextResp?(resp: BindAckPdu): void;
  /** Bytes each request fragment leaves for the verifier protect() adds (pad, sec_trailer, signature). */
  verifierOverhead?: number;
  /** Signs or seals one encoded request fragment, in the order fragments are written. */
  protect?(fragment: Buffer): Buffer;
  /** Verifies or unseals one received response or fault fragment, in the order read; throws when it fails. */
  unprotect?(fragment: Buffer): Buffer;
}

export const DEFAULT_MAX_STUB = 4 * 1024 * 1024;

interface PendingExchange {
  expect: 'bind' | 'call';
  callId: number;
  resolve(pdu: Pdu | CallOutcome): void;
  reject(error: Error): void;
  /** When the exchange times out (Date.now() terms), and the figure its message gives. */
  deadline: number;
  timeoutMs: number;
  what: string;
  reassembly?: Reassembly;
}

/** The one buffer every client socket of the process reads into (see open()). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export class RpcClientConnection {
  private readonly framer: PduFramer;
  private pending?: PendingExchange;
  private closedError?: Error | (() => Error);
  /** The server's max_recv_frag from the bind_ack: requests are cut to fit it. */
  private sendFrag = MUST_RECV_FRAG_SIZE;
  private readonly maxXmitFrag: number;
  private readonly maxRecvFrag: number;
  private readonly maxStub: number;
  /** The security context bound on this connection (issue 8), if any. */
  private security?: ClientSecurity;
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  private lastWrite: Promise<void> = Promise.resolve();
  /**
   * The timer that ends an exchange at its deadline. It is not cleared when an answer comes: the next
   * exchange's deadline is almost always later, and when it fires before it, it sets itself again for
   * what is left. So a call costs no timer of its own (creating and clearing one a call, each with a
   * duration of its own, made Node rebuild its timer lists every time). Unreferenced while no exchange
   * is pending, so an idle connection never keeps the process alive.
   */
  private watchdog?: NodeJS.Timeout;
  private watchdogAt = 0;

  private constructor(
    private readonly socket: Socket,
    readonly endpoint: Endpoint,
    private readonly limits: ConnectionLimits,
  ) {
    this.maxXmitFrag = limits.maxXmitFrag ?? DEFAULT_MAX_FRAG;
    this.maxRecvFrag = limits.maxRecvFrag ?? DEFAULT_MAX_FRAG;
    this.maxStub = limits.maxStub ?? DEFAULT_MAX_STUB;
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    this.framer = new PduFramer({ pdu: (bytes) => this.onPdu(bytes), error: (e) => this.fail(e) }, this.maxRecvFrag);
    socket.on('error', (e) => this.fail(() => new RpcTransportError('closed', `the connection to ${describe(endpoint)} failed: ${e.message}`)));
    socket.on('close', () => {
      const cut = this.framer.buffered ? ` in the middle of a PDU (${this.framer.buffered} byte(s) of it received)` : '';
      this.fail(() => new RpcTransportError('closed', `the server closed the connection${cut}`));
    });
  }

  /** Opens the TCP connection; refused or silent past the deadline is an RpcTransportError('unreachable'). */
  static open(endpoint: Endpoint, limits: ConnectionLimits): Promise<RpcClientConnection> {
    return new Promise((resolve, reject) => {
      // Reads land in one buffer the process shares and are copied out at once (the framer keeps them):
      // no 64 KiB allocation and no stream machinery per read, on a path every call takes.
      let connection: RpcClientConnection | undefined;
      const received = (n: number): boolean => {
        const chunk = Buffer.allocUnsafe(n);
        READ_BUFFER.copy(chunk, 0, 0, n);
        connection?.framer.push(chunk);
        return true;
      };
      const socket = connect({ host: endpoint.host, port: endpoint.port, onread: { buffer: READ_BUFFER, callback: received } });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RpcTransportError('unreachable', `no TCP connection to ${describe(endpoint)} within ${limits.connectTimeoutMs} ms`));
      }, limits.connectTimeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new RpcTransportError('unreachable', `cannot connect to ${describe(endpoint)}: ${e.message}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve((connection = new RpcClientConnection(socket, endpoint, limits)));
      });
    });
  }

  get alive(): boolean {
    return this.closedError === undefined;
  }

  /**
   * Binds the presentation contexts (assocGroupId 0 starts a new association group). Resolves with the
   * bind_ack; a bind_nak is an RpcBindError. The per-context results are the caller's to judge.
   */
  async bind(callId: number, contexts: PresentationContext[], assocGroupId: number, security?: ClientSecurity): Promise<BindAckPdu> {
    return this.negotiate('bind', callId, contexts, assocGroupId, security);
  }

  /** alter_context on a bound connection: adds presentation contexts to it. */
  async alterContext(callId: number, contexts: PresentationContext[], assocGroupId: number): Promise<BindAckPdu> {
    return this.negotiate('alter_context', callId, contexts, assocGroupId);
  }

  private async negotiate(type: 'bind' | 'alter_context', callId: number, contexts: PresentationContext[], assocGroupId: number, security?: ClientSecurity): Promise<BindAckPdu> {
    const auth = security?.bindVerifier?.();
    const reply = await this.negotiateOnce(type, callId, contexts, assocGroupId, auth);
    if (type === 'bind') {
      // The server's max_recv_frag bounds what we send; below the C706 minimum nothing useful fits.
      if (reply.maxRecvFrag < MUST_RECV_FRAG_SIZE) {
        const error = new RpcProtocolError(`bind_ack: max_recv_frag ${reply.maxRecvFrag} is below the minimum of ${MUST_RECV_FRAG_SIZE}`);
        this.fail(error);
        throw error;
      }
      this.sendFrag = Math.min(this.maxXmitFrag, reply.maxRecvFrag);
      if (security) await this.authenticate(security, reply, callId, contexts, assocGroupId);
    }
    return reply;
  }

  /** One bind or alter_context and its answer; a bind_nak or (for an alter_context) a fault is an RpcBindError. */
  private async negotiateOnce(type: 'bind' | 'alter_context', callId: number, contexts: PresentationContext[], assocGroupId: number, auth?: AuthVerifierSpec): Promise<BindAckPdu> {
    const pdu = encodePdu({ type, callId, maxXmitFrag: this.maxXmitFrag, maxRecvFrag: this.maxRecvFrag, assocGroupId, contexts, ...(auth ? { auth } : {}) });
    const reply = (await this.exchange('bind', callId, [pdu], this.limits.connectTimeoutMs, type)) as Pdu;
    const expected = type === 'bind' ? 'bind_ack' : 'alter_context_resp';
    if (reply.type === 'bind_nak') {
      this.close();
      throw new RpcBindError(`the server refused the ${type} (bind_nak: ${nameOf(BIND_NAK_REASON, reply.rejectReason, 'reason')})`, { rejectReason: reply.rejectReason });
    }
    if (reply.type === 'fault' && type === 'alter_context') {
      // [MS-RPCE] 3.3.1.5.6: a server that refuses the security context of an alter_context faults it.
      this.close();
      throw new RpcBindError(`the server refused the alter_context (fault ${faultName(reply.status)})`, { fault: reply.status });
    }
    if (reply.type !== expected) {
      const error = new RpcProtocolError(`${type}: the server answered with a ${reply.type} PDU instead of ${expected}`);
      this.fail(error);
      throw error;
    }
    if (reply.results.length !== contexts.length) {
      const error = new RpcProtocolError(`${expected}: ${reply.results.length} result(s) for ${contexts.length} presentation context(s)`);
      this.fail(error);
      throw error;
    }
    return reply;
  }

  /**
   * The legs after the bind_ack ([MS-RPCE] 3.3.1.5.x): raw NTLMSSP sends its AUTHENTICATE_MESSAGE in an
   * auth3, which gets no answer; SPNEGO sends its next token in an alter_context and finishes with the
   * alter_context_resp's. A security context that rejects the server's token fails the connection.
   */
  private async authenticate(security: ClientSecurity, ack: BindAckPdu, callId: number, contexts: PresentationContext[], assocGroupId: number): Promise<void> {
    try {
      const leg = security.acceptBindAck?.(ack);
      if (leg?.pdu === 'auth3') {
        this.write(encodePdu({ type: 'auth3', callId, auth: leg.auth }));
      } else if (leg?.pdu === 'alter_context') {
        const resp = await this.negotiateOnce('alter_context', callId, contexts, assocGroupId, leg.auth);
        security.acceptAlterContextResp?.(resp);
      }
    } catch (error) {
      this.fail(error as Error);
      throw error;
    }
    this.security = security;
  }

  /** One request (fragmented to fit) and its response or fault (reassembled). */
  call(callId: number, contextId: number, opnum: number, stub: Buffer, timeoutMs: number): Promise<CallOutcome> {
    const security = this.security;
    const fragments = fragmentRequest({ callId, contextId, opnum, stub }, this.sendFrag, security?.verifierOverhead ?? 0).map((f) => security?.protect?.(f) ?? f);
    return this.exchange('call', callId, fragments, timeoutMs, `request opnum ${opnum}`) as Promise<CallOutcome>;
  }

  private exchange(expect: 'bind' | 'call', callId: number, pdus: Buffer[], timeoutMs: number, what: string): Promise<Pdu | CallOutcome> {
    if (this.closedError) return Promise.reject(this.closedReason());
    if (this.pending) return Promise.reject(new Error('RpcClientConnection: one exchange at a time'));
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      this.pending = { expect, callId, resolve, reject, deadline, timeoutMs, what, ...(expect === 'call' ? { reassembly: new Reassembly(this.maxStub) } : {}) };
      this.watch(deadline);
      // The fragments of one request leave in one system call: on loopback each write wakes the server.
      if (pdus.length > 1) this.socket.cork();
      for (const pdu of pdus) this.write(pdu);
      if (pdus.length > 1) this.socket.uncork();
    });
  }

  private write(bytes: Buffer): void {
    if (this.closedError) return;
    this.lastWrite = new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** Settles once everything written so far has been handed to the operating system (or failed). */
  get flushed(): Promise<void> {
    return this.lastWrite;
  }

  private onPdu(bytes: Buffer): void {
    let pdu: Pdu;
    try {
      const unprotect = this.security?.unprotect;
      pdu = decodePdu(unprotect && (bytes[2] === PTYPE.response || bytes[2] === PTYPE.fault) ? unprotect(bytes) : bytes);
    } catch (error) {
      return this.fail(error as Error);
    }
    const pending = this.pending;
    if (pdu.type === 'shutdown') {
      // The server asks us to stop using the connection ([MS-RPCE] 3.3.2.4.1.1): a call still in
      // flight on it will get no answer.
      return this.fail(new RpcTransportError('closed', 'the server sent shutdown'));
    }
    if (!pending) return this.fail(new RpcProtocolError(`an unsolicited ${pdu.type} PDU (call_id ${pdu.callId}) with no call in flight`));
    if (pdu.callId !== pending.callId) {
      return this.fail(new RpcProtocolError(`a ${pdu.type} PDU for call_id ${pdu.callId} while call_id ${pending.callId} is in flight`));
    }
    if (pending.expect === 'bind') {
      if (pdu.type === 'bind_ack' || pdu.type === 'alter_context_resp' || pdu.type === 'bind_nak' || pdu.type === 'fault') return this.settle(pdu);
      return this.fail(new RpcProtocolError(`a ${pdu.type} PDU in answer to a bind`));
    }
    if (pdu.type === 'fault') {
      // A fault ends the call whatever fragments came before it.
      return this.settle({ fault: pdu.status, stub: pdu.stub });
    }
    if (pdu.type !== 'response') return this.fail(new RpcProtocolError(`a ${pdu.type} PDU in answer to a request`));
    let stub: Buffer | undefined;
    try {
      stub = pending.reassembly!.add(pdu);
    } catch (error) {
      return this.fail(error as Error);
    }
    if (stub) this.settle({ stub });
  }

  private settle(value: Pdu | CallOutcome): void {
    const pending = this.pending!;
    this.pending = undefined;
    this.watchdog?.unref();
    pending.resolve(value);
  }

  /** Makes sure the watchdog fires by `deadline`, and keeps the process alive while an exchange waits. */
  private watch(deadline: number): void {
    if (this.watchdog && this.watchdogAt <= deadline) {
      this.watchdog.ref();
      return;
    }
    clearTimeout(this.watchdog);
    this.watchdogAt = deadline;
    this.watchdog = setTimeout(() => this.onWatchdog(), Math.max(1, deadline - Date.now()));
  }

  private onWatchdog(): void {
    this.watchdog = undefined;
    const pending = this.pending;
    if (!pending) return;
    if (Date.now() < pending.deadline) return this.watch(pending.deadline);
    this.fail(new RpcTransportError('timeout', `no answer to the ${pending.what} (call_id ${pending.callId}) within ${pending.timeoutMs} ms`));
  }

  /**
   * Ends the connection for good: the exchange in flight (if any) fails with `error`. A routine end
   * (our close, the server's) passes a function: the Error, and its stack, is made only if a call
   * is there to fail with it.
   */
  private fail(error: Error | (() => Error)): void {
    if (this.closedError) return;
    this.closedError = error;
    this.socket.destroy();
    this.markClosed();
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      pending.reject(this.closedReason());
    }
  }

  /** Why the connection ended, as the Error calls fail with. */
  private closedReason(): Error {
    if (typeof this.closedError === 'function') this.closedError = this.closedError();
    return this.closedError!;
  }

  close(): void {
    this.fail(() => new RpcTransportError('closed', 'the client closed the connection'));
  }
}

export function describe(endpoint: Endpoint): string {
  return `${endpoint.host}:${endpoint.port}`;
}

function nameOf(table: Record<string, number>, value: number, what: string): string {
  return Object.entries(table).find(([, v]) => v === value)?.[0] ?? `${what} ${value}`;
}

/** The bind result of each context, as text for messages ("provider_rejection (abstract_syntax_not_supported)"). */
export function resultText(result: number, reason: number): string {
  const r = nameOf(RESULT, result, 'result');
  return result === RESULT.acceptance ? r : `${r} (${nameOf(PROVIDER_REASON, reason, 'reason')})`;
}

export function syntaxText(s: SyntaxId): string {
  return `${s.uuid} v${s.major}.${s.minor}`;
}
