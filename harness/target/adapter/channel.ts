// The harness end of one adapter stream: JSON-RPC 2.0 requests with their own ids, replies matched in
// any order. Anything that breaks the stream (the adapter exits, writes a line that is not JSON or not
// a reply, answers an id nobody asked, sends a line past the limit, stops answering a request that must
// be answered) fails the whole channel: every pending call rejects with a TargetError naming it and the
// fault, and the adapter is stopped so the next connection starts a fresh one. A reply that is well
// framed but wrong (an error object, a result of the wrong shape) fails only its own call.
import { TargetError } from '../../../cmrp/contract';
import { SLOW_HINT } from '../../session/session';
import { preview, quoted } from '../../../wire/adapter/codec';
import { LineSplitter } from '../../../wire/adapter/framing';
import { stderrExcerpt, type Transport, type TransportEnd, type TransportFactory } from './transport';

type Fault = TargetError['fault'];

export interface ChannelFailure {
  fault: Fault;
  /** One sentence: what went wrong. */
  reason: string;
  /** The adapter's stderr when it failed (stdio), for the longer messages. */
  stderr: string;
}

export interface RequestOptions {
  /** No reply within this time fails the channel with 'timeout' (the adapter is hung). */
  timeoutMs?: number;
  /** Groups requests (by connection) so a caller can ask which of them are still unanswered. */
  tag?: string;
}

interface Pending {
  label: string;
  tag?: string;
  sentAt: number;
  resolve(result: unknown): void;
  reject(error: TargetError): void;
  timer?: NodeJS.Timeout;
}

/** A well-framed JSON-RPC error reply: fails its own call only; keeps the code and `data` for callers that read them (Control.Batch). */
export class ErrorReply extends TargetError {
  constructor(
    label: string,
    readonly code: number,
    readonly text: string,
    readonly data: unknown,
  ) {
    super(label, 'protocol', `the adapter answered with error ${code}: ${preview(text)}`);
  }
}

export class RpcChannel {
  private readonly pending = new Map<number, Pending>();
  /** Callers waiting for every request of a tag to be answered. */
  private waiters: { tag: string; done: () => void }[] = [];
  private nextId = 1;
  private failed: ChannelFailure | undefined;
  private transport: Transport | undefined;
  private readonly splitter: LineSplitter;
  /** The slowest reply so far (ms): what a message about slowness can quote. */
  private slowestMs = 0;

  private constructor(maxLineBytes: number) {
    this.splitter = new LineSplitter(
      {
        line: (text) => this.onLine(text),
        oversize: (limit) => this.fail('malformed', `the adapter wrote a line longer than ${limit} bytes`),
      },
      maxLineBytes,
    );
  }

  /** Opens the stream; rejects with the transport's one-sentence Error when it cannot. */
  static async open(factory: TransportFactory, maxLineBytes: number): Promise<RpcChannel> {
    const channel = new RpcChannel(maxLineBytes);
    const transport = await factory({
      data: (chunk) => channel.splitter.push(chunk),
      end: (end) => channel.onEnd(end),
    });
    channel.transport = transport;
    // The stream may have ended while the factory was still resolving.
    if (channel.failed) void transport.close();
    return channel;
  }

  get failure(): ChannelFailure | undefined {
    return this.failed;
  }

  /** Sends a request; resolves with its `result`, rejects with a TargetError labelled `label`. */
  request(method: string, params: object, label: string, options: RequestOptions = {}): Promise<unknown> {
    if (this.failed) return Promise.reject(this.errorFor(label, this.failed, true));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { label, tag: options.tag, resolve, reject, sentAt: Date.now() };
      if (options.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        entry.timer = setTimeout(() => this.fail('timeout', `the adapter did not answer ${label} within ${ms} ms (${SLOW_HINT})`), ms);
      }
      this.pending.set(id, entry);
      this.transport!.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Labels of the requests with this tag that have no reply yet. */
  outstanding(tag: string): string[] {
    return [...this.pending.values()].filter((p) => p.tag === tag).map((p) => p.label);
  }

  /** Waits up to `ms` for every request of `tag` to be answered; resolves with those still unanswered. */
  async answered(tag: string, ms: number): Promise<string[]> {
    if (this.outstanding(tag).length && !this.failed) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        const waiter = { tag, done: resolve };
        this.waiters.push(waiter);
        timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        }, ms);
      });
      clearTimeout(timer);
    }
    return this.failed ? [] : this.outstanding(tag);
  }

  /** Fails the channel from outside (the adapter broke a rule the caller checks). */
  abandon(fault: Fault, reason: string): void {
    this.fail(fault, reason);
  }

  /**
   * Ends the channel on the harness's initiative (dispose): pending calls reject, the adapter is stopped.
   * A call still pending when the target is disposed belongs to a test that ran out of its time: that is
   * said as slowness (with the slowest reply seen), not as a crash of the target.
   */
  async close(reason?: string): Promise<void> {
    if (reason === undefined && this.pending.size > 0) {
      const slowest = this.slowestMs > 0 ? `; the slowest reply took ${this.slowestMs} ms` : '';
      this.fail('timeout', `the test ran out of time and the target was closed with this call in flight${slowest} (${SLOW_HINT})`);
    } else {
      this.fail('crash', reason ?? 'the target was disposed');
    }
    await this.transport?.close();
  }

  private onLine(text: string): void {
    if (this.failed) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.fail('malformed', `the adapter wrote a line that is not JSON: ${preview(text)}`);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.fail('malformed', `the adapter wrote a line that is not a JSON-RPC message: ${preview(text)}`);
    }
    const m = message as Record<string, unknown>;
    if ('method' in m) {
      return this.fail('malformed', `the adapter sent a request (${quoted(m.method)}); only the harness sends requests: ${preview(text)}`);
    }
    const entry = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
    if (!entry) {
      return this.fail('malformed', `the adapter answered id ${quoted(m.id)}, which no pending request has: ${preview(text)}`);
    }
    this.pending.delete(m.id as number);
    clearTimeout(entry.timer);
    this.slowestMs = Math.max(this.slowestMs, Date.now() - entry.sentAt);
    if (entry.tag !== undefined) this.wake(entry.tag);
    const problem = replyProblem(m);
    if (problem) return entry.reject(new TargetError(entry.label, 'malformed', `${problem}: ${preview(text)}`));
    if ('error' in m) {
      const e = m.error as { code: number; message: string; data?: unknown };
      return entry.reject(new ErrorReply(entry.label, e.code, e.message, e.data));
    }
    entry.resolve(m.result);
  }

  private wake(tag: string): void {
    if (this.outstanding(tag).length) return;
    const ready = this.waiters.filter((w) => w.tag === tag);
    this.waiters = this.waiters.filter((w) => w.tag !== tag);
    for (const w of ready) w.done();
  }

  private onEnd(end: TransportEnd): void {
    const cut = this.splitter.partial;
    this.fail(end.fault, cut ? `${end.reason} (a line of ${cut} bytes was cut short)` : end.reason);
  }

  /** Fails the channel once: later causes (the kill that follows a fault) are not the story. */
  private fail(fault: Fault, reason: string): void {
    if (this.failed) return;
    this.splitter.stop();
    this.failed = { fault, reason, stderr: this.transport?.stderrTail() ?? '' };
    const failure = this.failed;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const entry of waiting) {
      clearTimeout(entry.timer);
      entry.reject(this.errorFor(entry.label, failure, false));
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.done();
    // A channel in an unknown state is not reused: stop the adapter (a fresh one serves the next connection).
    void this.transport?.close();
  }

  /** The error a call labelled `label` gets from the channel's failure (`earlier`: it failed before the call). */
  errorFor(label: string, failure: ChannelFailure, earlier: boolean): TargetError {
    const when = earlier ? 'the adapter had already failed: ' : '';
    return new TargetError(label, failure.fault, `${when}${failure.reason}${stderrExcerpt(failure.stderr)}`);
  }
}

/** What is wrong with the envelope of a reply to a known id, or undefined. */
function replyProblem(m: Record<string, unknown>): string | undefined {
  if (m.jsonrpc !== '2.0') return 'the reply lacks "jsonrpc": "2.0"';
  const hasResult = 'result' in m;
  const hasError = 'error' in m;
  if (hasResult === hasError) return 'a reply must have exactly one of "result" and "error"';
  if (hasError) {
    const e = m.error as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || !Number.isInteger(e.code) || typeof e.message !== 'string') {
      return 'the error object needs an integer "code" and a string "message"';
    }
  }
  return undefined;
}
