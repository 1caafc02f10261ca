// One server TCP connection: bind / alter_context negotiation, request reassembly, calls handed to the
// application (several may run at once: a blocked ApiGetNotify does not hold up the connection), and
// responses fragmented to the client's max_recv_frag. Hostile input never throws out of here: a
// malformed PDU, an oversized fragment or an unexpected PTYPE closes the connection; a bad request on a
// good connection gets a fault. With a ServerSecurity, a bind may carry an auth verifier: the handshake
// runs over bind / bind_ack, then auth3 (NTLMSSP) or alter_context / alter_context_resp (SPNEGO), and
// every request fragment is verified or unsealed, every response fragment signed or sealed. A failed
// logon or a PDU that fails verification is answered with a fault and ends the connection.
import type { Socket } from 'node:net';
import { BIND_NAK_REASON, FAULT, MUST_RECV_FRAG_SIZE, PFC, PTYPE, type SyntaxId } from '../constants';
import { RpcProtocolError } from '../errors';
import { fragmentResponse, Reassembly } from '../fragment';
import { PduFramer } from '../framing';
import { decodeHeader, decodePdu, encodePdu, type BarePdu, type BindPdu, type Pdu, type RequestPdu } from '../pdu';
import type { AuthVerifier, AuthVerifierSpec } from '../sec-trailer';
import { FRAGMENT_BOOKKEEPING, type CallSecurity, type ServerApp, type ServerLimits, type ServerSecurity, type ServerSecurityContext } from './app';
import type { GroupRegistry } from './groups';
import { negotiateContexts } from './negotiate';
import type { ServerResources, Tracked } from './resources';

export type ServerLog = (line: string) => void;
/**
 * A log for what hostile load makes happen by the thousand (idle connections closed, held bytes
 * over a limit): lines of one `kind` are summarised rather than each written.
 */
export type PressureLog = (kind: string, line: string) => void;

/** The connection's security context, and the refusal that ended it if its handshake failed. */
interface Authentication {
  context: ServerSecurityContext;
  /** Set when the last leg (auth3) failed: it has no answer, so the next request gets this fault. */
  failed?: { fault: number };
}

/** How long a connection we are ending waits for the client to close it after our last PDU. */
const LINGER_MS = 2000;

interface Binding<G> {
  groupId: number;
  group: G;
  contexts: Map<number, SyntaxId>;
  /** Largest fragment we send (the client's max_recv_frag, bounded by ours). */
  sendFrag: number;
}

export class RpcServerConnection<G> implements Tracked {
  private readonly framer: PduFramer;
  private binding?: Binding<G>;
  private readonly calls = new Map<number, Reassembly>();
  /** Bytes held per unfinished call (stub bytes and FRAGMENT_BOOKKEEPING per fragment). */
  private readonly callHeld = new Map<number, number>();
  private heldBytes = 0;
  private running = 0;
  /** When bytes last came in or a call last finished: what the idle timeout counts from. */
  private lastActivity = Date.now();
  private bindTimer?: NodeJS.Timeout;
  private idleTimer?: NodeJS.Timeout;
  readonly address: string;
  private closed = false;
  /** A last PDU is on its way and the connection ends after it: nothing more is read or written. */
  private ending = false;
  private partialTimer?: NodeJS.Timeout;
  private auth?: Authentication;

  constructor(
    private readonly socket: Socket,
    private readonly app: ServerApp<G>,
    private readonly groups: GroupRegistry<G>,
    private readonly limits: ServerLimits,
    private readonly log: ServerLog,
    private readonly resources: ServerResources,
    private readonly pressureLog: PressureLog,
    private readonly security?: ServerSecurity,
  ) {
    this.address = socket.remoteAddress ?? '?';
    resources.add(this);
    this.framer = new PduFramer({ pdu: (bytes) => this.onPdu(bytes), error: (e) => this.shed('protocol error', e.message) }, limits.maxFrag);
    socket.on('data', (chunk: Buffer) => {
      this.lastActivity = Date.now();
      this.framer.push(chunk);
      this.watchPartial();
    });
    socket.on('error', () => this.drop());
    socket.on('close', () => this.drop());
    if (limits.bindTimeoutMs > 0) {
      this.bindTimer = setTimeout(() => this.shed('bind timeout', `no bind within ${limits.bindTimeoutMs} ms`), limits.bindTimeoutMs);
    }
  }

  get held(): number {
    return this.heldBytes;
  }

  get idleSince(): number | undefined {
    return this.running > 0 ? undefined : this.lastActivity;
  }

  /** Closes an idle bound connection; a running call (a blocked ApiGetNotify) keeps it open. */
  private armIdle(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      if (this.closed) return;
      const idleFor = Date.now() - this.lastActivity;
      if (this.running > 0) return this.armIdle(this.limits.idleTimeoutMs);
      if (idleFor >= this.limits.idleTimeoutMs) return this.shed('idle', `idle for ${idleFor} ms (the idle timeout is ${this.limits.idleTimeoutMs} ms)`);
      this.armIdle(this.limits.idleTimeoutMs - idleFor);
    }, delayMs);
  }

  /** Ends the connection for a reason hostile load produces in bulk: logged as a summary, not line by line. */
  shed(kind: string, reason: string): void {
    if (this.closed) return;
    this.pressureLog(kind, `closing a connection from ${this.peerText()}: ${reason}`);
    this.drop();
  }

  /** A client that stops in the middle of a PDU is not waited for forever. */
  private watchPartial(): void {
    clearTimeout(this.partialTimer);
    if (this.closed || this.framer.buffered === 0) return;
    this.partialTimer = setTimeout(() => this.shed('partial PDU', `no rest of a PDU for ${this.limits.partialPduTimeoutMs} ms`), this.limits.partialPduTimeoutMs);
  }

  private onPdu(bytes: Buffer): void {
    if (this.closed || this.ending) return;
    let pdu: Pdu;
    try {
      const clear = this.auth && bytes[2] === PTYPE.request ? this.unprotectRequest(bytes) : bytes;
      if (!clear) return;
      pdu = decodePdu(clear);
    } catch (error) {
      return this.shed('protocol error', (error as Error).message);
    }
    try {
      this.handle(pdu);
    } catch (error) {
      if (error instanceof RpcProtocolError) this.shed('protocol error', error.message);
      else this.drop(`internal error: ${(error as Error).message}`);
    }
  }

  private handle(pdu: Pdu): void {
    switch (pdu.type) {
      case 'bind':
        return this.onBind(pdu);
      case 'alter_context':
        return this.onAlterContext(pdu);
      case 'request':
        return this.onRequest(pdu);
      case 'auth3':
        return this.onAuth3(pdu);
      case 'co_cancel':
        // Calls run to completion; the cancel is noted by ignoring it, as C706 allows.
        return;
      case 'orphaned':
        // The client abandoned the call: forget its fragments; a running call's answer is still sent.
        this.forgetCall(pdu.callId);
        return;
      default:
        throw new RpcProtocolError(`a client sent a ${pdu.type} PDU`);
    }
  }

  private onBind(pdu: BindPdu): void {
    if (this.binding) throw new RpcProtocolError('a second bind on a bound connection');
    const nak = (reason: number) => this.write(encodePdu({ type: 'bind_nak', callId: pdu.callId, rejectReason: reason, versions: [{ major: 5, minor: 0 }] }));
    let token: Buffer | undefined;
    if (pdu.auth) {
      if (!this.security) return nak(BIND_NAK_REASON.authentication_type_not_recognized);
      try {
        token = this.openContext(pdu.auth as AuthVerifier);
      } catch (error) {
        this.auth = undefined;
        const refusal = this.security.refusal(error);
        this.log(`refusing a bind from ${this.peerText()}: ${refusal.log}`);
        return nak(refusal.rejectReason);
      }
    }
    const refuse = (reason: number) => {
      // A refused bind leaves the connection unbound, without a security context.
      this.auth = undefined;
      nak(reason);
    };
    const { results, accepted } = negotiateContexts(pdu.contexts, (s) => this.app.accepts(s));
    if (!accepted.size) return refuse(BIND_NAK_REASON.reason_not_specified);
    let groupId = pdu.assocGroupId;
    let group: G | undefined;
    if (groupId === 0) {
      group = this.app.openGroup();
      groupId = this.groups.create(group);
    } else {
      group = this.groups.join(groupId);
      if (group === undefined) return refuse(BIND_NAK_REASON.reason_not_specified);
    }
    const maxRecv = Math.min(this.limits.maxFrag, Math.max(MUST_RECV_FRAG_SIZE, pdu.maxXmitFrag));
    const sendFrag = Math.min(this.limits.maxFrag, Math.max(MUST_RECV_FRAG_SIZE, pdu.maxRecvFrag));
    this.binding = { groupId, group, contexts: accepted, sendFrag };
    this.framer.maxFrag = maxRecv;
    clearTimeout(this.bindTimer);
    if (this.limits.idleTimeoutMs > 0) this.armIdle(this.limits.idleTimeoutMs);
    this.write(
      encodePdu({
        type: 'bind_ack',
        callId: pdu.callId,
        maxXmitFrag: sendFrag,
        maxRecvFrag: maxRecv,
        assocGroupId: groupId,
        secondaryAddress: String(this.socket.localPort ?? ''),
        results,
        ...this.verifier(token),
      }),
    );
  }

  /** Opens the connection's security context from a verifier and takes its first token; throws to refuse. */
  private openContext(verifier: AuthVerifier): Buffer | undefined {
    const context = this.security!.open(verifier);
    this.auth = { context };
    return context.next(verifier.authValue).token;
  }

  /** The auth verifier carrying a handshake token back to the client (bind_ack, alter_context_resp). */
  private verifier(token: Buffer | undefined): { auth?: AuthVerifierSpec } {
    if (!this.auth) return {};
    const c = this.auth.context;
    return { auth: { authType: c.authType, authLevel: c.authLevel, authContextId: c.contextId, authValue: token ?? Buffer.alloc(0) } };
  }

  /** NTLMSSP's third leg: no answer is sent, so a failure is remembered for the first request. */
  private onAuth3(pdu: BarePdu): void {
    const auth = this.auth;
    if (!auth || auth.context.established || auth.failed) throw new RpcProtocolError('auth3 without a security context waiting for it');
    try {
      if (!pdu.auth) throw new RpcProtocolError('auth3 without an auth verifier');
      const step = auth.context.next((pdu.auth as AuthVerifier).authValue);
      if (!step.done) throw new RpcProtocolError('auth3 did not finish the handshake');
    } catch (error) {
      const refusal = this.security!.refusal(error);
      this.log(`authentication failed on a connection from ${this.peerText()}: ${refusal.log}`);
      auth.failed = { fault: refusal.fault };
    }
  }

  /**
   * A request fragment on an authenticated connection, verified or unsealed (in the order read, as
   * the NTLM sequence numbers require). A connection whose handshake failed or is unfinished, and a
   * fragment that fails verification, get a fault and the connection ends: undefined is returned.
   */
  private unprotectRequest(bytes: Buffer): Buffer | undefined {
    const auth = this.auth!;
    const header = decodeHeader(bytes);
    const contextId = bytes.length >= 22 ? bytes.readUInt16LE(20) : 0;
    if (auth.failed) {
      this.refuseAndEnd(header.callId, contextId, auth.failed.fault, 'a request after a failed logon');
      return undefined;
    }
    if (!auth.context.established) {
      this.refuseAndEnd(header.callId, contextId, FAULT.rpc_s_access_denied, 'a request before the authentication finished');
      return undefined;
    }
    try {
      return auth.context.unprotect(bytes);
    } catch (error) {
      const refusal = this.security!.refusal(error);
      this.refuseAndEnd(header.callId, contextId, refusal.fault, refusal.log);
      return undefined;
    }
  }

  private onAlterContext(pdu: BindPdu): void {
    if (!this.binding) throw new RpcProtocolError('alter_context before bind');
    let token: Buffer | undefined;
    if (pdu.auth) {
      // SPNEGO's further legs ride on alter_context ([MS-RPCE] 3.3.1.5.6); a refused one is faulted.
      const contextId = pdu.contexts[0]?.contextId ?? 0;
      if (!this.security) return this.refuseAndEnd(pdu.callId, contextId, FAULT.rpc_s_access_denied, 'an authenticated alter_context on a server without authentication');
      const auth = this.auth;
      if (auth && (auth.context.established || auth.failed)) {
        // One security context per connection: a second one (context multiplexing) is not offered.
        return this.refuseAndEnd(pdu.callId, contextId, FAULT.nca_s_proto_error, 'a second security context on one connection');
      }
      try {
        token = auth ? auth.context.next((pdu.auth as AuthVerifier).authValue).token : this.openContext(pdu.auth as AuthVerifier);
      } catch (error) {
        const refusal = this.security.refusal(error);
        return this.refuseAndEnd(pdu.callId, contextId, refusal.fault, `authentication failed: ${refusal.log}`);
      }
    }
    const { results, accepted } = negotiateContexts(pdu.contexts, (s) => this.app.accepts(s));
    for (const [id, syntax] of accepted) this.binding.contexts.set(id, syntax);
    this.write(
      encodePdu({
        type: 'alter_context_resp',
        callId: pdu.callId,
        maxXmitFrag: this.binding.sendFrag,
        maxRecvFrag: this.framer.maxFrag,
        assocGroupId: this.binding.groupId,
        secondaryAddress: '',
        results,
        ...(pdu.auth ? this.verifier(token) : {}),
      }),
    );
  }

  private onRequest(pdu: RequestPdu): void {
    if (!this.binding) throw new RpcProtocolError('a request before bind');
    let reassembly = this.calls.get(pdu.callId);
    if (!reassembly) {
      if (this.calls.size + this.running >= this.limits.maxCallsPerConnection) {
        return this.fault(pdu.callId, pdu.contextId, FAULT.nca_s_fault_remote_no_memory, true);
      }
      reassembly = new Reassembly(this.limits.maxStub);
      this.calls.set(pdu.callId, reassembly);
    }
    const stub = reassembly.add(pdu);
    if (!stub) return this.hold(pdu.callId, pdu.stub.length + FRAGMENT_BOOKKEEPING);
    this.forgetCall(pdu.callId);
    const syntax = this.binding.contexts.get(pdu.contextId);
    if (!syntax) return this.fault(pdu.callId, pdu.contextId, FAULT.nca_s_unk_if, true);
    this.running++;
    const { group } = this.binding;
    const info = { syntax, opnum: pdu.opnum, callId: pdu.callId, ...this.callSecurity() };
    this.lastActivity = Date.now();
    Promise.resolve()
      .then(() => this.app.call(group, info, stub))
      .then(
        (outcome) => {
          if (outcome.fault !== undefined && outcome.end) return this.refuseAndEnd(pdu.callId, pdu.contextId, outcome.fault, `opnum ${pdu.opnum}: the caller is not permitted`);
          if (outcome.fault !== undefined) return this.fault(pdu.callId, pdu.contextId, outcome.fault, false);
          const context = this.auth?.context;
          const reserve = context ? this.security!.verifierOverhead : 0;
          try {
            // Protected one by one in write order: the NTLM sequence number and RC4 stream follow the wire.
            // The fragments of one response leave in one system call (cork): each write wakes the client.
            const fragments = fragmentResponse({ callId: pdu.callId, contextId: pdu.contextId, stub: outcome.stub }, this.binding!.sendFrag, reserve);
            if (fragments.length > 1) this.socket.cork();
            try {
              for (const fragment of fragments) this.write(context ? context.protect(fragment) : fragment);
            } finally {
              if (fragments.length > 1) this.socket.uncork();
            }
          } catch (error) {
            // Half a response may have gone out: the connection is no longer in step.
            this.refuseAndEnd(pdu.callId, pdu.contextId, FAULT.rpc_s_call_failed, `the response of opnum ${pdu.opnum} could not be sent: ${(error as Error).message}`);
          }
        },
        (error: unknown) => {
          this.log(`opnum ${pdu.opnum} failed: ${error instanceof Error ? error.message : String(error)}`);
          this.fault(pdu.callId, pdu.contextId, FAULT.rpc_s_call_failed, false);
        },
      )
      .finally(() => {
        this.running--;
        this.lastActivity = Date.now();
      });
  }

  /** Counts a fragment held for an unfinished call against this connection's and the server's limits. */
  private hold(callId: number, bytes: number): void {
    if (this.heldBytes + bytes > this.limits.maxHeldBytesPerConnection) {
      return this.shed('held bytes', `unfinished calls would hold ${this.heldBytes + bytes} bytes (the limit per connection is ${this.limits.maxHeldBytesPerConnection})`);
    }
    this.heldBytes += bytes;
    this.callHeld.set(callId, (this.callHeld.get(callId) ?? 0) + bytes);
    this.resources.charge(this, bytes);
  }

  /** A call is complete or abandoned: its fragments are no longer held. */
  private forgetCall(callId: number): void {
    this.calls.delete(callId);
    const bytes = this.callHeld.get(callId);
    if (bytes === undefined) return;
    this.callHeld.delete(callId);
    this.heldBytes -= bytes;
    this.resources.release(bytes);
  }

  private forgetAllCalls(): void {
    for (const callId of [...this.calls.keys()]) this.forgetCall(callId);
  }

  private callSecurity(): { security?: CallSecurity } {
    const c = this.auth?.context;
    if (!c?.established || !c.peer) return {};
    return { security: { authType: c.authType, authLevel: c.authLevel, peer: { ...c.peer } } };
  }

  /**
   * Answers with a fault and ends the connection once it is written: what is left of it cannot be
   * trusted (a failed logon, a PDU that failed verification, a handshake out of order).
   */
  private refuseAndEnd(callId: number, contextId: number, status: number, reason: string): void {
    this.log(`refusing call_id ${callId} from ${this.peerText()} and closing the connection: ${reason}`);
    this.fault(callId, contextId, status, true);
    this.ending = true;
    this.forgetAllCalls();
    if (this.socket.writable) this.socket.end();
    setTimeout(() => this.drop(), LINGER_MS).unref();
  }

  private peerText(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  private fault(callId: number, contextId: number, status: number, didNotExecute: boolean): void {
    const flags = PFC.FIRST_FRAG | PFC.LAST_FRAG | (didNotExecute ? PFC.DID_NOT_EXECUTE : 0);
    this.write(encodePdu({ type: 'fault', callId, flags, allocHint: 0, contextId, cancelCount: 0, faultFlags: 0, status, stub: Buffer.alloc(0) }));
  }

  private write(bytes: Buffer): void {
    if (this.closed || this.ending || !this.socket.writable) return;
    this.socket.write(bytes);
    if (this.socket.writableLength > this.limits.maxUnsentBytesPerConnection) {
      this.shed('unread responses', `${this.socket.writableLength} bytes of responses unread (the limit is ${this.limits.maxUnsentBytesPerConnection})`);
    }
  }

  /** Ends the connection (once); the association group is run down when this was its last one. */
  drop(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.partialTimer);
    clearTimeout(this.bindTimer);
    clearTimeout(this.idleTimer);
    if (reason) this.log(`closing a connection from ${this.peerText()}: ${reason}`);
    this.socket.destroy();
    // The slot and the held bytes go back at once, not when the socket's close event comes.
    this.resources.remove(this);
    this.calls.clear();
    this.callHeld.clear();
    this.heldBytes = 0;
    const binding = this.binding;
    if (!binding) return;
    const last = this.groups.leave(binding.groupId);
    if (last !== undefined) {
      Promise.resolve()
        .then(() => this.app.closeGroup(last))
        .catch((error: unknown) => this.log(`running down an association group failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}
