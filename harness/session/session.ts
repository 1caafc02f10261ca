// A connection as tests use it: every call is bounded by a timeout, logged to the trace, and a
// misbehaving target surfaces as a TargetError naming the call (an ERROR verdict), never a hang.
import { TargetError, type ClusapiConnection, type Handle, type MethodName, type Reply } from '../../cmrp/contract';
import type { ProtocolVersion } from '../../cmrp/constants';
import type { HangRegistry } from './hangs';
import { PARAMETERS } from './parameters';
import { Trace, statusText } from './trace';

export interface Timeouts {
  /** Any call that should complete at once. */
  callMs: number;
  /** How long a read may wait for an event the settled stimulus has already queued. */
  readMs: number;
  /**
   * The run's record of calls that hung: once the suite gave up on a call of a method that was due (see
   * ownDelayMs), later due calls of it get a short grace instead of the caller's full wait (still an
   * ERROR or FAIL when they do not answer, never a PASS). Absent: every wait is waited out.
   */
  hangs?: HangRegistry;
}

export function defaultTimeouts(multiplier = 1): Timeouts {
  // Whole milliseconds: they are quoted in messages.
  return { callMs: Math.max(1, Math.round(5000 * multiplier)), readMs: Math.max(1, Math.round(2000 * multiplier)) };
}

/** INFINITE: a version 2 Timeout that sets no timer. */
const INFINITE = 0xffffffff;

/**
 * When a call must have answered, counted from when it is started (or released), or undefined for a
 * read that may rightly stay blocked: a version 2 ApiGetNotify within its own Timeout, any other call at
 * once. A version 3 ApiGetNotify (or an untimed version 2 one) is due only once ApiUnblockGetNotifyCall
 * or ApiCloseNotify of its port has returned.
 */
export function ownDelayMs(method: MethodName, args: unknown[], protocolVersion: ProtocolVersion): number | undefined {
  if (method !== 'ApiGetNotify' && method !== 'ApiGetNotifyV2') return 0;
  const timeout = args[1];
  if (protocolVersion === 2 && method === 'ApiGetNotify' && typeof timeout === 'number' && timeout >>> 0 !== INFINITE) return timeout;
  return undefined;
}

/** The grace a call gets once its method already hung on the target: a fortieth of the call timeout. */
export function graceMs(timeouts: Pick<Timeouts, 'callMs'>): number {
  return Math.max(20, Math.round(timeouts.callMs / 40));
}

/** Said with every timeout: a hung target and a slow one look the same from here, and only one has a fix. */
export const SLOW_HINT = 'if the target is only slow, give it more time with --timeout-multiplier';

/** How late a wait's own deadline may fire before the wait counts as starved rather than served (see PendingCall.wait). */
const STARVED_MS = 50;

/** A pending call that outlived its deadline; the caller decides whether that is an error or an observation. */
export const STILL_PENDING = Symbol('still pending');

export class Session {
  /** Reads started on this session and not yet settled, by port: an unblock or close of the port acts on them. */
  private reads: { hNotify: unknown; call: PendingCall }[] = [];

  constructor(
    readonly connection: ClusapiConnection,
    readonly trace: Trace,
    readonly timeouts: Timeouts,
  ) {}

  get protocolVersion(): ProtocolVersion {
    return this.connection.protocolVersion;
  }

  /** Calls a method and waits for it, failing with TargetError('timeout') past the call timeout. */
  async call(method: MethodName, args: unknown[]): Promise<Reply<Record<string, unknown>>> {
    const pending = this.start(method, args);
    const reply = await pending.settle(this.timeouts.callMs);
    if (reply === STILL_PENDING) throw new TargetError(pending.label, 'timeout', pending.lateText ?? `no reply within ${this.timeouts.callMs} ms (${SLOW_HINT})`);
    return reply;
  }

  /** Starts a call without waiting: a blocked ApiGetNotify stays in flight while other calls run. */
  start(method: MethodName, args: unknown[]): PendingCall {
    const label = this.describeCall(method, args);
    const fn = this.connection[method] as ((...a: unknown[]) => Promise<Reply<Record<string, unknown>>>) | undefined;
    if (typeof fn !== 'function') throw new TargetError(label, 'protocol', 'the target does not implement this method');
    let promise: Promise<Reply<Record<string, unknown>>>;
    try {
      promise = Promise.resolve(fn.apply(this.connection, args));
    } catch (error) {
      promise = Promise.reject(error);
    }
    const checked = promise.then(
      (reply) => this.record(method, label, checkReply(label, reply)),
      (error: unknown) => {
        this.trace.add(`${label} -> ${error instanceof Error ? error.message : String(error)}`);
        throw error instanceof TargetError ? error : new TargetError(label, 'crash', error instanceof Error ? error.message : String(error));
      },
    );
    // A pending call that is abandoned must not become an unhandled rejection.
    checked.catch(() => undefined);
    const { hangs } = this.timeouts;
    const guard = hangs ? { hangs, method, callMs: this.timeouts.callMs, graceMs: graceMs(this.timeouts) } : undefined;
    const call = new PendingCall(label, checked, guard, ownDelayMs(method, args, this.protocolVersion));
    if (!hangs) return call;
    if (method === 'ApiGetNotify') {
      this.reads = this.reads.filter((r) => !r.call.settled);
      this.reads.push({ hNotify: args[0], call });
    }
    if (method === 'ApiUnblockGetNotifyCall' || method === 'ApiCloseNotify') {
      const acted = this.reads.filter((r) => r.hNotify === args[0] && !r.call.settled).map((r) => r.call);
      // What the port's reads answer from now on may be this call's doing, not a late answer of their own.
      for (const read of acted) read.actedOn();
      // Once the port is unblocked or closed, its pending reads must complete: they become due.
      void checked.then(
        (reply) => {
          if (reply.fault === undefined && reply.status === 0) for (const read of acted) read.release();
        },
        () => undefined,
      );
    }
    return call;
  }

  private describeCall(method: MethodName, args: unknown[]): string {
    const names = PARAMETERS[method] ?? [];
    const parts = args.map((value, i) => {
      const param = names[i] ?? `arg${i}`;
      if (typeof value === 'string' && isHandleParam(param) && !this.trace.known(value)) {
        return `${param}=<unknown handle>`;
      }
      return `${param}=${this.trace.formatValue(param, value)}`;
    });
    return `${method}(${parts.join(', ')})`;
  }

  private record(method: MethodName, label: string, reply: Reply<Record<string, unknown>>): Reply<Record<string, unknown>> {
    if (reply.fault !== undefined) {
      this.trace.add(`${label} -> RPC fault ${statusText(reply.fault)}`);
      return reply;
    }
    const outs = Object.entries(reply)
      .filter(([key]) => key !== 'status' && key !== 'fault')
      .map(([key, value]) => {
        if (typeof value === 'string' && isHandleParam(key)) return `${key}=${this.trace.name(value, handleKind(method, key))}`;
        return `${key}=${this.trace.formatValue(key, value)}`;
      });
    this.trace.add(`${label} -> ${statusText(reply.status)}${outs.length ? ` ${outs.join(' ')}` : ''}`);
    return reply;
  }
}

/** How a pending call learns about, and adds to, the run's record of hangs. */
interface HangGuard {
  hangs: HangRegistry;
  method: MethodName;
  callMs: number;
  graceMs: number;
}

export class PendingCall {
  private done = false;
  /** The suite stopped waiting for it although it was due. */
  private givenUp = false;
  /** An unblock or close of its port was issued after it started. */
  private acted = false;
  /** When the call became due (Date.now() of its start or release, plus its own delay); undefined while it may block. */
  private dueFrom?: number;
  /** Why the last settle gave up early: the method already hung on this target. */
  lateText?: string;
  constructor(
    readonly label: string,
    readonly promise: Promise<Reply<Record<string, unknown>>>,
    private readonly guard?: HangGuard,
    ownDelayMs?: number,
  ) {
    if (ownDelayMs !== undefined) this.dueFrom = Date.now() + ownDelayMs;
    promise.then(
      (reply) => {
        this.done = true;
        // A reply of its own after the suite gave up on it: the target is slow, not hung; forget the hang.
        if (this.givenUp && !this.acted && reply.fault === undefined) guard?.hangs.forget(guard.method);
      },
      () => (this.done = true),
    );
  }

  /** The harness unblocked or closed the call's port. */
  actedOn(): void {
    this.acted = true;
  }

  get settled(): boolean {
    return this.done;
  }

  /** Whether the call must complete (rather than rightly stay blocked). */
  get due(): boolean {
    return this.dueFrom !== undefined;
  }

  /** Its port was unblocked or closed: the read must now complete. */
  release(): void {
    this.dueFrom ??= Date.now();
  }

  /**
   * The reply, or STILL_PENDING if none came within `ms`. Target errors are rethrown. For a call that
   * is due: when its method already hung on this target, it gets only a short grace past when it became
   * due, then is given up (lateText says why); when the caller gives up on it, the hang is recorded so
   * the rest of the run does not wait it out again. A `probe` (one slice of a longer wait, as when a
   * release repeats its unblock) still gives up early on a method that already hung, but giving up on
   * it records no hang: only the caller's last wait decides that.
   */
  async settle(ms: number, probe = false): Promise<Reply<Record<string, unknown>> | typeof STILL_PENDING> {
    const guard = this.guard;
    const dueFrom = this.dueFrom;
    if (!guard || dueFrom === undefined) return this.wait(ms);
    const giveUpAt = Date.now() + ms;
    const quickAt = dueFrom + guard.graceMs;
    if (quickAt < giveUpAt) {
      const early = await this.wait(Math.max(0, quickAt - Date.now()));
      if (early !== STILL_PENDING) return early;
      const earlier = guard.hangs.earlier(guard.method);
      if (earlier) {
        this.lateText = `no reply ${guard.graceMs} ms after it was due; ${guard.method} already hung on this target (${earlier}), so the suite did not wait the full ${ms} ms again`;
        this.givenUp = true;
        return STILL_PENDING;
      }
    }
    const late = await this.wait(Math.max(0, giveUpAt - Date.now()));
    if (late === STILL_PENDING && quickAt < giveUpAt && !probe) {
      guard.hangs.record(guard.method, this.label);
      this.givenUp = true;
    }
    return late;
  }

  private wait(ms: number): Promise<Reply<Record<string, unknown>> | typeof STILL_PENDING> {
    if (this.done && ms === 0) return this.promise;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof STILL_PENDING>((resolve) => {
      const arm = (delay: number, extended: boolean): void => {
        const due = Date.now() + delay;
        timer = setTimeout(() => {
          // A deadline that fires well past its time means this process's event loop was busy (a loaded
          // machine, or an in-process target's own work): a target served from this loop had that time no
          // more than the suite did, and its own timer may fire only now. The wait is extended once.
          const late = Date.now() - due;
          if (!extended && late > STARVED_MS) arm(Math.min(late, Math.max(ms, STARVED_MS)), true);
          else resolve(STILL_PENDING);
        }, delay);
      };
      arm(ms, false);
    });
    return Promise.race([this.promise, deadline]).finally(() => clearTimeout(timer));
  }
}

/** A reply must be an object with a numeric status (or fault): anything else is garbage from the target. */
function checkReply(label: string, reply: unknown): Reply<Record<string, unknown>> {
  if (typeof reply !== 'object' || reply === null) throw new TargetError(label, 'malformed', `reply is ${JSON.stringify(reply)}`);
  const r = reply as Record<string, unknown>;
  if (r.fault !== undefined) {
    if (!Number.isInteger(r.fault)) throw new TargetError(label, 'malformed', `fault is ${JSON.stringify(r.fault)}`);
    return r as Reply<Record<string, unknown>>;
  }
  if (!Number.isInteger(r.status) || (r.status as number) < 0 || (r.status as number) > 0xffffffff) {
    throw new TargetError(label, 'malformed', `status is ${JSON.stringify(r.status)}`);
  }
  // A NULL context handle is 20 zero bytes on the wire; every binding's form of it reads as null.
  for (const [key, value] of Object.entries(r)) if (isHandleParam(key) && typeof value === 'string' && NULL_HANDLE.test(value)) r[key] = null;
  return r as Reply<Record<string, unknown>>;
}

const NULL_HANDLE = /^0{40}$/;

function isHandleParam(name: string): boolean {
  return /^h[A-Z]/.test(name) || name === 'pKey' || name === 'phKey';
}

function handleKind(method: MethodName, key: string): string {
  if (key === 'phKey' || key === 'hKey') return 'hKey';
  if (method === 'ApiCreateNotify' || method === 'ApiCreateNotifyV2') return 'hNotify';
  return key;
}

export type { Handle };
