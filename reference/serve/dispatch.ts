// The serving end of one adapter session: turns requests into calls on a Target and results back into
// replies. One dispatcher per stream (a stdio session or one TCP connection) owns the connections
// opened on it; when the stream ends, they are closed.
import { CONTROL_BATCH, CONTROL_VERBS, type ControlOffer, type ControlVerb, type Stimulus } from '../../cmrp/control';
import type { ClusapiConnection, MethodName, Target } from '../../cmrp/contract';
import { fromWire, toWire, wireProblem } from '../../wire/adapter/codec';
import { METHODS, isMethodName } from '../../cmrp/methods';
import { ADAPTER_PROTOCOL, CONTROL_PREFIX, RPC_ERROR, RPC_S_CALL_FAILED, type HelloResult } from '../../wire/adapter/protocol';

/** A request the dispatcher refuses: becomes the reply's JSON-RPC error object. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The error object's `data` (a Batch's failed item: `{"index": n}`). */
    readonly data?: unknown,
  ) {
    super(message);
  }
}

type Params = Record<string, unknown>;

export class Dispatcher {
  private readonly connections = new Map<string, ClusapiConnection>();
  private nextConnection = 1;

  constructor(
    private readonly target: Target,
    private readonly name: string,
  ) {}

  /** The result of one request, or an RpcError. Requests run concurrently: nothing here waits on another. */
  async handle(method: string, params: Params): Promise<unknown> {
    if (method === 'Hello') return this.hello(params);
    if (method === 'Connect') return this.connect(params);
    if (method === 'Disconnect') return this.disconnect(params);
    if (method.startsWith(CONTROL_PREFIX)) return this.control(method.slice(CONTROL_PREFIX.length), params);
    if (isMethodName(method)) return this.call(method, params);
    throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, `unknown method ${JSON.stringify(method)}`);
  }

  /** The stream ended: every connection it opened goes, as a client's would when its binding drops. */
  async closeAll(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  }

  private hello(params: Params): HelloResult {
    if (params.protocol !== ADAPTER_PROTOCOL) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMS, `this adapter speaks ${ADAPTER_PROTOCOL}, not ${JSON.stringify(params.protocol)}`);
    }
    const { capabilities } = this.target;
    return {
      protocol: ADAPTER_PROTOCOL,
      name: this.name,
      protocolVersions: capabilities.protocolVersions,
      capabilities: {
        notifyV2: capabilities.notifyV2,
        accessLevels: capabilities.accessLevels,
        ...(capabilities.management ? { management: true } : {}),
        ...((capabilities.nodeEndpoints ?? 1) > 1 ? { nodeEndpoints: capabilities.nodeEndpoints } : {}),
      },
      control: this.target.control ? this.offers(this.target.control) : [],
    };
  }

  private async connect(params: Params): Promise<{ connection: string }> {
    const { protocolVersion, accessLevel, node } = params;
    if (node !== undefined && (typeof node !== 'string' || node === '')) throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'node must be a node name');
    if (!this.target.capabilities.protocolVersions.includes(protocolVersion as 2 | 3)) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMS, `protocolVersion must be one of ${this.target.capabilities.protocolVersions.join(', ')}`);
    }
    if (!this.target.capabilities.accessLevels.includes(accessLevel as 'full' | 'read')) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMS, `accessLevel must be one of ${this.target.capabilities.accessLevels.join(', ')}`);
    }
    const connection = await this.target.connect({ protocolVersion: protocolVersion as 2 | 3, accessLevel: accessLevel as 'full' | 'read', ...(node === undefined ? {} : { node }) });
    const id = `c${this.nextConnection++}`;
    this.connections.set(id, connection);
    return { connection: id };
  }

  private async disconnect(params: Params): Promise<object> {
    const id = this.connectionId(params);
    const connection = this.connections.get(id);
    this.connections.delete(id);
    await connection?.close();
    return {};
  }

  /** The verbs the control offers, then its queries and Batch (every control that applies stimuli can take a list). */
  private offers(control: NonNullable<Target['control']>): ControlOffer[] {
    return [
      ...CONTROL_VERBS.filter((v) => control.verbs.has(v)),
      ...(control.listObjects ? ['ListObjects' as const] : []),
      ...(control.readsHeld ? ['ReadsHeld' as const] : []),
      CONTROL_BATCH,
    ];
  }

  private async control(verb: string, params: Params): Promise<object> {
    const control = this.target.control;
    if (verb === 'ListObjects' && control?.listObjects) {
      if (typeof params.prefix !== 'string' || params.prefix === '') throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'ListObjects needs a non-empty "prefix"');
      return { objects: await control.listObjects(params.prefix) };
    }
    if (verb === 'ReadsHeld' && control?.readsHeld) {
      if (typeof params.hNotify !== 'string' || !/^[0-9a-f]{40}$/i.test(params.hNotify)) throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'ReadsHeld needs "hNotify": the context handle as 40 hex digits');
      return { held: await control.readsHeld(params.hNotify) };
    }
    if (verb === CONTROL_BATCH && control) return this.batch(params);
    await this.stimulus(verb, params);
    return {};
  }

  /** One stimulus, as "Control.<verb>" alone or as an item of a Batch. */
  private async stimulus(verb: string, params: Params): Promise<void> {
    const control = this.target.control;
    if (!control || !(CONTROL_VERBS as readonly string[]).includes(verb) || !control.verbs.has(verb as ControlVerb)) {
      throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, `this adapter does not offer the control verb ${JSON.stringify(verb)}`);
    }
    try {
      await control.apply({ ...params, verb } as Stimulus);
    } catch (error) {
      throw new RpcError(RPC_ERROR.STIMULUS_FAILED, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Control.Batch: the items in order, each settled before the next (apply resolves only once settled),
   * stopping at the first that fails, whose error is the reply's, with its index in `data`.
   */
  private async batch(params: Params): Promise<object> {
    const { stimuli } = params;
    if (!Array.isArray(stimuli)) throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'Batch needs "stimuli": a list of stimuli, each with its "verb"');
    for (const [index, item] of stimuli.entries()) {
      if (typeof item !== 'object' || item === null || Array.isArray(item) || typeof (item as Params).verb !== 'string') {
        throw new RpcError(RPC_ERROR.INVALID_PARAMS, `stimuli[${index}] is not an object with a string "verb"`, { index });
      }
      const { verb, ...rest } = item as Params;
      try {
        await this.stimulus(verb as string, rest);
      } catch (error) {
        // The item's own answer, as it would have been alone; `data.index` says which item it was.
        if (error instanceof RpcError) throw new RpcError(error.code, error.message, { index });
        throw error;
      }
    }
    return {};
  }

  private async call(method: MethodName, params: Params): Promise<unknown> {
    const spec = METHODS[method];
    const id = this.connectionId(params);
    const args = spec.params.map((p) => {
      const value = params[p.name];
      if (value === undefined && p.optional) return undefined;
      const problem = value === undefined ? 'missing' : wireProblem(p.kind, value);
      if (problem) throw new RpcError(RPC_ERROR.INVALID_PARAMS, `${method}: "${p.name}" is ${problem}`);
      return fromWire(p.kind, value);
    });
    const connection = this.connections.get(id);
    // A connection closed or never opened: the RPC runtime would reject the call before the method ran.
    if (!connection) return { fault: RPC_S_CALL_FAILED };
    const fn = connection[method] as ((...a: unknown[]) => Promise<Record<string, unknown>>) | undefined;
    if (typeof fn !== 'function') throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, `this target does not implement ${method}`);
    const reply = await fn.apply(connection, args);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(reply)) {
      if (value === undefined) continue;
      const kind = spec.outs[key];
      out[key] = kind ? toWire(kind, value) : value;
    }
    return out;
  }

  private connectionId(params: Params): string {
    if (typeof params.connection !== 'string') throw new RpcError(RPC_ERROR.INVALID_PARAMS, '"connection" must be a string');
    return params.connection;
  }
}
