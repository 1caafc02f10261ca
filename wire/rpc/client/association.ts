// A client association group ([MS-RPCE] 3.3.1.1.x): the first connection's bind creates it, more
// connections join it by binding with its assoc_group_id, and context handles are valid on all of
// them. A call takes an idle connection or opens one more, so calls run in parallel (a blocked
// ApiGetNotify on one connection, the ApiUnblockGetNotifyCall that frees it on another).
import { NDR20, RESULT, type SyntaxId } from '../constants';
import { RpcBindError, RpcTransportError } from '../errors';
import type { PresentationContext } from '../pdu';
import { RpcClientConnection, resultText, syntaxText, type CallOutcome, type ClientSecurity, type ConnectionLimits, type Endpoint } from './connection';

export interface AssociationOptions extends ConnectionLimits {
  /** Most connections open at once; a call beyond that waits for one to come free (within its deadline). */
  maxConnections?: number;
  /**
   * A fresh security context for each connection: every connection of the group authenticates on
   * its own (its own handshake, keys, sequence numbers and auth_context_id). Absent: unauthenticated.
   */
  security?: () => ClientSecurity;
  /**
   * When a call goes out on another connection than the call before it, it waits until that call's
   * request has left and then this long more (default 5 ms), so the server reads the two in order.
   */
  orderingGapMs?: number;
  /**
   * Proof, where the caller has one, that the server has read the requests still unanswered (most recent
   * last): true lets the next call go out on another connection at once; false (it cannot tell, or not
   * yet), a failure, or no answer before the ordering gap has passed leaves the gap to be waited out.
   */
  received?: (unanswered: readonly SentRequest[]) => Promise<boolean>;
}

/** A request of the association that went out and has no reply (or fault) yet. */
export interface SentRequest {
  opnum: number;
  stub: Buffer;
}

/** How long a request on one connection is given to reach the server before the next one on another. */
export const DEFAULT_ORDERING_GAP_MS = 5;

/** The presentation context every connection of the association binds: one interface, NDR20. */
const CONTEXT_ID = 0;

export class RpcAssociation {
  private readonly idle: RpcClientConnection[] = [];
  private readonly all = new Set<RpcClientConnection>();
  private readonly waiting: ((c: RpcClientConnection | Error) => void)[] = [];
  private nextCallId = 1;
  /** Calls made whose request has not gone out yet (each waits its send turn, then writes). */
  private sending = 0;
  private closing = false;
  /** Settles once the latest call has written its request (see call()). */
  private sendTurn: Promise<void> = Promise.resolve();
  /** The connection the latest request went out on, and when that request had left. */
  private lastUsed?: RpcClientConnection;
  private lastFlushAt?: number;
  /** The number of the latest request, and whether its reply (or fault) came back. */
  private lastRequest = 0;
  private lastAnswered = true;
  /** The requests sent and not answered yet, oldest first: what `received` is asked about. */
  private readonly unanswered = new Set<SentRequest>();

  private constructor(
    readonly endpoint: Endpoint,
    readonly syntax: SyntaxId,
    readonly assocGroupId: number,
    private readonly options: AssociationOptions,
    first: RpcClientConnection,
  ) {
    this.adopt(first);
    this.idle.push(first);
  }

  /** Opens the first connection and binds `syntax`; a refusal is an RpcBindError saying why. */
  static async open(endpoint: Endpoint, syntax: SyntaxId, options: AssociationOptions): Promise<RpcAssociation> {
    const connection = await RpcClientConnection.open(endpoint, options);
    try {
      const ack = await connection.bind(1, [context(syntax)], 0, options.security?.());
      const [result] = ack.results;
      if (result.result !== RESULT.acceptance) {
        throw new RpcBindError(`the server rejected interface ${syntaxText(syntax)}: ${resultText(result.result, result.reason)}`);
      }
      return new RpcAssociation(endpoint, syntax, ack.assocGroupId, options, connection);
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  /**
   * Runs one call on a free connection. Resolves with the response stub or the fault status; rejects
   * with RpcProtocolError / RpcTransportError / RpcBindError when the server misbehaves.
   */
  async call(opnum: number, stub: Buffer, timeoutMs: number): Promise<CallOutcome> {
    const deadline = Date.now() + timeoutMs;
    // Requests go out in the order the calls were made: a call that must first open (and
    // authenticate) a connection holds back the calls made after it, so the server sees them in the
    // caller's order (an ApiGetNotify before the ApiUnblockGetNotifyCall meant to release it).
    const previous = this.sendTurn;
    let resolveSent!: () => void;
    this.sendTurn = new Promise<void>((resolve) => (resolveSent = resolve));
    this.sending++;
    let gone = false;
    const sent = () => {
      if (gone) return;
      gone = true;
      this.sending--;
      resolveSent();
    };
    let connection: RpcClientConnection;
    try {
      await previous;
      connection = await this.acquire(Math.max(1, deadline - Date.now()));
      // Requests on two connections can reach a server's event loop in either order when they leave
      // together; the one before must be there first.
      if (this.lastUsed !== connection) await this.afterLastRequest(Math.max(1, deadline - Date.now()));
    } catch (error) {
      sent();
      throw error;
    }
    this.lastUsed = connection;
    try {
      // connection.call writes the request before it returns its promise: the next call may go.
      const outcome = connection.call(this.nextCallId++, CONTEXT_ID, opnum, stub, Math.max(1, deadline - Date.now()));
      void connection.flushed.then(() => (this.lastFlushAt = Date.now()));
      const request = ++this.lastRequest;
      this.lastAnswered = false;
      const pendingRequest: SentRequest = { opnum, stub };
      this.unanswered.add(pendingRequest);
      const answered = () => {
        this.unanswered.delete(pendingRequest);
        if (request === this.lastRequest) this.lastAnswered = true;
      };
      outcome.then(answered, answered);
      sent();
      return await outcome;
    } finally {
      sent();
      this.release(connection);
    }
  }

  /**
   * Settles once every call made so far has its request on its way to the server and the ordering gap
   * has passed (at most `capMs` later): what a caller about to act on the server by another channel
   * (a control adapter) waits for, so the server sees the calls first.
   */
  async quiesce(capMs: number): Promise<void> {
    // Most of the time no call is on its way out, and the send turn has nothing to wait for.
    if (this.sending > 0) await within(this.sendTurn, capMs);
    await this.afterLastRequest(capMs);
  }

  /**
   * Waits until the latest request has left and the ordering gap since has passed (nothing when it has
   * already). A request the server has answered needs no gap: the reply proves the server read it (and,
   * as it was sent only after the gap behind the one before, every earlier request too). Most calls are
   * answered before the next is made, so only a call made while another is still out (a blocked read)
   * waits, and not even that where the caller can prove the server has read it (`received`).
   */
  private async afterLastRequest(capMs: number): Promise<void> {
    const last = this.lastUsed;
    if (!last?.alive || this.lastAnswered) return;
    await within(Promise.race([last.flushed, last.closed]), capMs);
    const wait = (this.lastFlushAt ?? 0) + (this.options.orderingGapMs ?? DEFAULT_ORDERING_GAP_MS) - Date.now();
    if (wait <= 0) return;
    const { received } = this.options;
    if (!received) return delay(wait);
    // The proof or the end of the gap, whichever comes first: never later than without a proof.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      received([...this.unanswered]).then(
        (proven) => {
          if (!proven) return;
          clearTimeout(timer);
          resolve();
        },
        () => undefined,
      );
    });
  }

  /** Closes every connection: the server runs down the group's context handles. */
  close(): void {
    this.closing = true;
    for (const c of this.all) c.close();
    this.all.clear();
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake(new RpcTransportError('closed', 'the association was closed'));
  }

  get connectionCount(): number {
    return this.all.size;
  }

  private adopt(connection: RpcClientConnection): void {
    this.all.add(connection);
    void connection.closed.then(() => {
      this.all.delete(connection);
      const at = this.idle.indexOf(connection);
      if (at >= 0) this.idle.splice(at, 1);
      this.refill();
    });
  }

  /** A connection died while calls wait for one: open a replacement for the first of them. */
  private refill(): void {
    if (this.closing || !this.waiting.length || this.all.size >= this.maxConnections) return;
    const wake = this.waiting.shift()!;
    this.join().then(wake, wake);
  }

  private get maxConnections(): number {
    return this.options.maxConnections ?? 16;
  }

  private async acquire(timeoutMs: number): Promise<RpcClientConnection> {
    if (this.closing) throw new RpcTransportError('closed', 'the association was closed');
    while (this.idle.length) {
      const connection = this.idle.pop()!;
      if (connection.alive) return connection;
    }
    if (this.all.size < this.maxConnections) return this.join();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(wake);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new RpcTransportError('timeout', `every one of ${this.all.size} connections stayed busy for ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = (c: RpcClientConnection | Error) => {
        clearTimeout(timer);
        if (c instanceof Error) reject(c);
        else resolve(c);
      };
      this.waiting.push(wake);
    });
  }

  /** A new connection joining the group: bound with the group's assoc_group_id. */
  private async join(): Promise<RpcClientConnection> {
    const connection = await RpcClientConnection.open(this.endpoint, this.options);
    try {
      const ack = await connection.bind(this.nextCallId++, [context(this.syntax)], this.assocGroupId, this.options.security?.());
      const [result] = ack.results;
      if (result.result !== RESULT.acceptance) {
        throw new RpcBindError(`the server rejected interface ${syntaxText(this.syntax)} on a further connection: ${resultText(result.result, result.reason)}`);
      }
      if (ack.assocGroupId !== this.assocGroupId) {
        throw new RpcBindError(`the server put a further connection in association group ${ack.assocGroupId}, not ${this.assocGroupId}: context handles would not carry over`);
      }
    } catch (error) {
      connection.close();
      throw error;
    }
    if (this.closing) {
      connection.close();
      throw new RpcTransportError('closed', 'the association was closed');
    }
    this.adopt(connection);
    return connection;
  }

  private release(connection: RpcClientConnection): void {
    if (!connection.alive || this.closing) return;
    const wake = this.waiting.shift();
    if (wake) wake(connection);
    else this.idle.push(connection);
  }
}

export function context(syntax: SyntaxId, contextId = CONTEXT_ID): PresentationContext {
  return { contextId, abstractSyntax: syntax, transferSyntaxes: [NDR20] };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise`, or `ms` at most; the timer never outlives the wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
