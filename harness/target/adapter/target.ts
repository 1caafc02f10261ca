// The Target of an adapter (stdio or TCP): it starts the adapter and holds the handshake as the
// preflight (an adapter that cannot start or answer Hello is one clear TargetUnreachableError), then
// hands out connections over whichever channel is live, restarting the adapter after a failure.
import { TargetError, type Capabilities, type ClusapiConnection, type ConnectOptions, type Target } from '../../../cmrp/contract';
import { TargetUnreachableError } from '../../../cmrp/errors';
import { preview } from '../../../wire/adapter/codec';
import { createAdapterConnection } from './connection';
import { CONTROL_BATCH } from '../../../cmrp/control';
import { AdapterControl } from './control';
import { MAX_LINE_BYTES, type ConnectParams, type HelloResult } from '../../../wire/adapter/protocol';
import { AdapterSupervisor, StartFailure, adapterTimeouts, type AdapterTimeouts } from './supervisor';
import type { TransportFactory } from './transport';

export interface AdapterTargetOptions {
  /** Scales every adapter timeout, as --timeout-multiplier scales the call timeouts. */
  timeoutMultiplier?: number;
  maxLineBytes?: number;
}

/** Starts the adapter and completes the handshake; a failure is a TargetUnreachableError (exit 2). */
export async function createAdapterTarget(spec: string, open: TransportFactory, options: AdapterTargetOptions = {}): Promise<Target> {
  const timeouts = adapterTimeouts(options.timeoutMultiplier ?? 1);
  const supervisor = new AdapterSupervisor(open, timeouts, options.maxLineBytes ?? MAX_LINE_BYTES);
  let hello;
  try {
    ({ hello } = await supervisor.first());
  } catch (error) {
    await supervisor.dispose();
    throw new TargetUnreachableError(`target ${spec}: ${error instanceof StartFailure ? error.line : String(error)}`);
  }
  return new AdapterTarget(spec, supervisor, hello, timeouts);
}

export class AdapterTarget implements Target {
  readonly description: string;
  readonly capabilities: Capabilities;
  readonly control?: AdapterControl;

  constructor(
    spec: string,
    readonly supervisor: AdapterSupervisor,
    hello: HelloResult,
    private readonly timeouts: AdapterTimeouts,
  ) {
    this.description = hello.name ? `${spec} (${hello.name})` : spec;
    this.capabilities = {
      protocolVersions: hello.protocolVersions,
      notifyV2: hello.capabilities.notifyV2,
      accessLevels: hello.capabilities.accessLevels,
      ...(hello.capabilities.management ? { management: true } : {}),
      ...(hello.capabilities.nodeEndpoints !== undefined ? { nodeEndpoints: hello.capabilities.nodeEndpoints } : {}),
    };
    // Batch alone is no control: it applies verbs, and there are none.
    if (hello.control.some((c) => c !== CONTROL_BATCH)) this.control = new AdapterControl(supervisor, hello.control, timeouts.controlMs);
  }

  async connect(options: ConnectOptions): Promise<ClusapiConnection> {
    const { channel } = await this.supervisor.live('Connect');
    const params: ConnectParams = { protocolVersion: options.protocolVersion, accessLevel: options.accessLevel ?? 'full', ...(options.node === undefined ? {} : { node: options.node }) };
    const result = await channel.request('Connect', params, 'Connect', { timeoutMs: this.timeouts.controlMs });
    const id = (result as { connection?: unknown } | null)?.connection;
    if (typeof id !== 'string' || id === '') {
      throw new TargetError('Connect', 'malformed', `the result needs a non-empty string "connection": ${preview(result)}`);
    }
    return createAdapterConnection({
      channel,
      id,
      protocolVersion: options.protocolVersion,
      notifyV2: this.capabilities.notifyV2,
      management: this.capabilities.management === true,
      closeTimeoutMs: this.timeouts.disconnectMs,
    });
  }

  dispose(): Promise<void> {
    return this.supervisor.dispose();
  }
}
