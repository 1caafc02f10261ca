// A connection as tests use it: every call is bounded by a timeout, logged to the trace, and a
// misbehaving target surfaces as a TargetError naming the call (an ERROR verdict), never a hang.
import { TargetError, type ClusapiConnection, type Handle, type MethodName, type Reply } from '../../cmrp/contract';
import type { ProtocolVersion } from '../../cmrp/constants';
import { PARAMETERS } from './parameters';
import { Trace, statusText } from './trace';

export interface Timeouts {
  /** Any call that should complete at once. */
  callMs: number;
  /** How long a read may wait for an event the settled stimulus has already queued. */
  readMs: number;
}

export function defaultTimeouts(multiplier = 1): Timeouts {
  // Whole milliseconds: they are quoted in messages.
  return { callMs: Math.max(1, Math.round(5000 * multiplier)), readMs: Math.max(1, Math.round(2000 * multiplier)) };
}

/** Said with every timeout: a hung target and a slow one look the same from here, and only one has a fix. */
export const SLOW_HINT = 'if the target is only slow, give it more time with --timeout-multiplier';

/** A pending call that outlived its deadline; the caller decides whether that is an error or an observation. */
export const STILL_PENDING = Symbol('still pending');

export class Session {
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
    if (reply === STILL_PENDING) throw new TargetError(pending.label, 'timeout', `no reply within ${this.timeouts.callMs} ms (${SLOW_HINT})`);
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
    return new PendingCall(label, checked);
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

export class PendingCall {
  private done = false;
  constructor(
    readonly label: string,
    readonly promise: Promise<Reply<Record<string, unknown>>>,
  ) {
    promise.then(
      () => (this.done = true),
      () => (this.done = true),
    );
  }

  get settled(): boolean {
    return this.done;
  }

  /** The reply, or STILL_PENDING if none came within `ms`. Target errors are rethrown. */
  settle(ms: number): Promise<Reply<Record<string, unknown>> | typeof STILL_PENDING> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof STILL_PENDING>((resolve) => {
      timer = setTimeout(() => resolve(STILL_PENDING), ms);
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
