// One server TCP connection: bind / alter_context negotiation, request reassembly, calls handed to the
// application (several may run at once: a blocked ApiGetNotify does not hold up the connection), and
// responses fragmented to the client's max_recv_frag. Hostile input never throws out of here: a
// malformed PDU, an oversized fragment or an unexpected PTYPE closes the connection; a bad request on a
// good connection gets a fault.
import type { Socket } from 'node:net';
import { BIND_NAK_REASON, FAULT, MUST_RECV_FRAG_SIZE, PFC, type SyntaxId } from '../constants';
import { RpcProtocolError } from '../errors';
import { fragmentResponse, Reassembly } from '../fragment';
import { PduFramer } from '../framing';
import { decodePdu, encodePdu, type BindPdu, type Pdu, type RequestPdu } from '../pdu';
import type { ServerApp, ServerLimits } from './app';
import type { GroupRegistry } from './groups';
import { negotiateContexts } from './negotiate';

export type ServerLog = (line: string) => void;

interface Binding<G> {
  groupId: number;
  group: G;
  contexts: Map<number, SyntaxId>;
  /** Largest fragment we send (the client's max_recv_frag, bounded by ours). */
  sendFrag: number;
}

export class RpcServerConnection<G> {
  private readonly framer: PduFramer;
  private binding?: Binding<G>;
  private readonly calls = new Map<number, Reassembly>();
  private running = 0;
  private closed = false;
  private partialTimer?: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    private readonly app: ServerApp<G>,
    private readonly groups: GroupRegistry<G>,
    private readonly limits: ServerLimits,
    private readonly log: ServerLog,
  ) {
    this.framer = new PduFramer({ pdu: (bytes) => this.onPdu(bytes), error: (e) => this.drop(e.message) }, limits.maxFrag);
    socket.on('data', (chunk: Buffer) => {
      this.framer.push(chunk);
      this.watchPartial();
    });
    socket.on('error', () => this.drop());
    socket.on('close', () => this.drop());
  }

  /** A client that stops in the middle of a PDU is not waited for forever. */
  private watchPartial(): void {
    clearTimeout(this.partialTimer);
    if (this.closed || this.framer.buffered === 0) return;
    this.partialTimer = setTimeout(() => this.drop(`no rest of a PDU for ${this.limits.partialPduTimeoutMs} ms`), this.limits.partialPduTimeoutMs);
  }

  private onPdu(bytes: Buffer): void {
    if (this.closed) return;
    let pdu: Pdu;
    try {
      pdu = decodePdu(bytes);
    } catch (error) {
      return this.drop((error as Error).message);
    }
    try {
      this.handle(pdu);
    } catch (error) {
      this.drop(error instanceof RpcProtocolError ? error.message : `internal error: ${(error as Error).message}`);
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
        // No security context is ever established here (--auth none): an auth3 has nothing to finish.
        throw new RpcProtocolError('auth3 without an authenticated bind');
      case 'co_cancel':
        // Calls run to completion; the cancel is noted by ignoring it, as C706 allows.
        return;
      case 'orphaned':
        // The client abandoned the call: forget its fragments; a running call's answer is still sent.
        this.calls.delete(pdu.callId);
        return;
      default:
        throw new RpcProtocolError(`a client sent a ${pdu.type} PDU`);
    }
  }

  private onBind(pdu: BindPdu): void {
    if (this.binding) throw new RpcProtocolError('a second bind on a bound connection');
    const nak = (reason: number) => this.write(encodePdu({ type: 'bind_nak', callId: pdu.callId, rejectReason: reason, versions: [{ major: 5, minor: 0 }] }));
    if (pdu.auth) return nak(BIND_NAK_REASON.authentication_type_not_recognized);
    const { results, accepted } = negotiateContexts(pdu.contexts, (s) => this.app.accepts(s));
    if (!accepted.size) return nak(BIND_NAK_REASON.reason_not_specified);
    let groupId = pdu.assocGroupId;
    let group: G | undefined;
    if (groupId === 0) {
      group = this.app.openGroup();
      groupId = this.groups.create(group);
    } else {
      group = this.groups.join(groupId);
      if (group === undefined) return nak(BIND_NAK_REASON.reason_not_specified);
    }
    const maxRecv = Math.min(this.limits.maxFrag, Math.max(MUST_RECV_FRAG_SIZE, pdu.maxXmitFrag));
    const sendFrag = Math.min(this.limits.maxFrag, Math.max(MUST_RECV_FRAG_SIZE, pdu.maxRecvFrag));
    this.binding = { groupId, group, contexts: accepted, sendFrag };
    this.framer.maxFrag = maxRecv;
    this.write(
      encodePdu({
        type: 'bind_ack',
        callId: pdu.callId,
        maxXmitFrag: sendFrag,
        maxRecvFrag: maxRecv,
        assocGroupId: groupId,
        secondaryAddress: String(this.socket.localPort ?? ''),
        results,
      }),
    );
  }

  private onAlterContext(pdu: BindPdu): void {
    if (!this.binding) throw new RpcProtocolError('alter_context before bind');
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
    if (!stub) return;
    this.calls.delete(pdu.callId);
    const syntax = this.binding.contexts.get(pdu.contextId);
    if (!syntax) return this.fault(pdu.callId, pdu.contextId, FAULT.nca_s_unk_if, true);
    this.running++;
    const { group } = this.binding;
    const info = { syntax, opnum: pdu.opnum, callId: pdu.callId };
    Promise.resolve()
      .then(() => this.app.call(group, info, stub))
      .then(
        (outcome) => {
          if (outcome.fault !== undefined) return this.fault(pdu.callId, pdu.contextId, outcome.fault, false);
          for (const fragment of fragmentResponse({ callId: pdu.callId, contextId: pdu.contextId, stub: outcome.stub }, this.binding!.sendFrag)) this.write(fragment);
        },
        (error: unknown) => {
          this.log(`opnum ${pdu.opnum} failed: ${error instanceof Error ? error.message : String(error)}`);
          this.fault(pdu.callId, pdu.contextId, FAULT.rpc_s_call_failed, false);
        },
      )
      .finally(() => this.running--);
  }

  private fault(callId: number, contextId: number, status: number, didNotExecute: boolean): void {
    const flags = PFC.FIRST_FRAG | PFC.LAST_FRAG | (didNotExecute ? PFC.DID_NOT_EXECUTE : 0);
    this.write(encodePdu({ type: 'fault', callId, flags, allocHint: 0, contextId, cancelCount: 0, faultFlags: 0, status, stub: Buffer.alloc(0) }));
  }

  private write(bytes: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(bytes);
  }

  /** Ends the connection (once); the association group is run down when this was its last one. */
  drop(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.partialTimer);
    if (reason) this.log(`closing a connection from ${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}: ${reason}`);
    this.socket.destroy();
    this.calls.clear();
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
