// Keeps one live channel to the adapter: starts it (stream + Hello) on first use, and starts a fresh
// one when the last has failed, so a crash costs the test that saw it, not the rest of the run. An
// adapter that fails to start several times in a row is given up on: each later use fails at once
// with the reason, instead of paying a start timeout per test.
import { TargetError } from '../../../cmrp/contract';
import { SLOW_HINT } from '../../session/session';
import { RpcChannel } from './channel';
import { preview, quoted } from '../../../wire/adapter/codec';
import { ADAPTER_PROTOCOL, type HelloResult } from '../../../wire/adapter/protocol';
import { lastStderrLine, type TransportFactory } from './transport';
import { CONTROL_BATCH, CONTROL_QUERIES, CONTROL_VERBS, type ControlOffer } from '../../../cmrp/control';
import { toolVersion, TOOL_NAME } from '../../../cmrp/package-info';

/** Bounds on the requests the harness itself does not time out (it does time out the MS-CMRP calls). */
export interface AdapterTimeouts {
  /** Start and Hello. */
  handshakeMs: number;
  /** Connect and Control.*. */
  controlMs: number;
  /** Disconnect: shorter than the harness's call timeout, so a hung adapter is restarted before the next test. */
  disconnectMs: number;
}

export function adapterTimeouts(multiplier = 1): AdapterTimeouts {
  // Whole milliseconds: they are quoted in messages (0.3 * 10000 is 3000.0000000000005 in floating point).
  const ms = (atOne: number) => Math.max(1, Math.round(atOne * multiplier));
  return { handshakeMs: ms(10000), controlMs: ms(5000), disconnectMs: ms(3000) };
}

export interface Live {
  channel: RpcChannel;
  hello: HelloResult;
}

/** A start that failed: `line` is one sentence for the run's exit-2 message; `detail` adds the stderr. */
export class StartFailure extends Error {
  constructor(
    readonly line: string,
    readonly detail: string,
  ) {
    super(line);
    this.name = 'StartFailure';
  }
}

export class AdapterSupervisor {
  private current: Live | undefined;
  private starting: Promise<Live> | undefined;
  private failures = 0;
  private lastFailure: StartFailure | undefined;
  private disposed = false;
  /** How many times an adapter was started (1 + restarts), for tests and reports. */
  starts = 0;

  constructor(
    private readonly open: TransportFactory,
    private readonly timeouts: AdapterTimeouts,
    private readonly maxLineBytes: number,
    private readonly maxStartFailures = 3,
  ) {}

  /** The first start: a failure is the caller's to report (the preflight). */
  async first(): Promise<Live> {
    return this.startOnce();
  }

  /** The live channel, restarting the adapter when the last one failed. */
  async live(label: string): Promise<Live> {
    // Only a test that outlived its time (the suite's end disposed the target) calls after dispose.
    if (this.disposed) throw new TargetError(label, 'timeout', `the test ran out of time: the target was already closed (${SLOW_HINT})`);
    if (this.current && !this.current.channel.failure) return this.current;
    if (this.failures >= this.maxStartFailures && this.lastFailure) {
      throw new TargetError(label, 'unreachable', `the adapter failed to start ${this.failures} times in a row, last: ${this.lastFailure.detail}`);
    }
    try {
      return await this.startOnce();
    } catch (error) {
      const detail = error instanceof StartFailure ? error.detail : error instanceof Error ? error.message : String(error);
      throw new TargetError(label, 'unreachable', `the adapter could not be restarted: ${detail}`);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    // A start still under way is awaited only to stop its adapter: if it fails, its failure is its
    // caller's (who awaits the same promise), not the disposal's.
    const live = this.current ?? (await this.starting?.catch(() => undefined));
    this.current = undefined;
    await live?.channel.close();
  }

  /** One start at a time: concurrent users share it. */
  private startOnce(): Promise<Live> {
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<Live> {
    this.starts++;
    try {
      const live = await this.handshake();
      this.current = live;
      this.failures = 0;
      return live;
    } catch (error) {
      this.failures++;
      this.lastFailure = error instanceof StartFailure ? error : new StartFailure(String(error), String(error));
      throw this.lastFailure;
    }
  }

  private async handshake(): Promise<Live> {
    let channel: RpcChannel;
    try {
      channel = await RpcChannel.open(this.open, this.maxLineBytes);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new StartFailure(message, message);
    }
    let result: unknown;
    try {
      result = await channel.request('Hello', { protocol: ADAPTER_PROTOCOL, harness: `${TOOL_NAME} ${toolVersion()}` }, 'Hello', {
        timeoutMs: this.timeouts.handshakeMs,
      });
    } catch (error) {
      await channel.close('the handshake failed');
      const failure = channel.failure;
      const why = failure && failure.reason !== 'the handshake failed' ? failure.reason : error instanceof TargetError ? error.message : String(error);
      const last = lastStderrLine(failure?.stderr ?? '');
      throw new StartFailure(
        `no handshake: ${why}${last ? ` (stderr: ${last})` : ''}`,
        error instanceof Error ? error.message : String(error),
      );
    }
    const problem = helloProblem(result);
    if (problem) {
      await channel.close('the handshake failed');
      throw new StartFailure(`bad handshake: ${problem}`, `bad handshake: ${problem}: ${preview(result)}`);
    }
    return { channel, hello: normalizeHello(result as HelloResult) };
  }
}

/** What is wrong with a Hello result, or undefined. */
export function helloProblem(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return 'the Hello result is not an object';
  const r = result as Record<string, unknown>;
  if (r.protocol !== ADAPTER_PROTOCOL) {
    return `the adapter speaks ${quoted(r.protocol)}, this harness speaks ${JSON.stringify(ADAPTER_PROTOCOL)}`;
  }
  if (r.name !== undefined && typeof r.name !== 'string') return '"name" is not a string';
  const versions = r.protocolVersions;
  if (!Array.isArray(versions) || !versions.length || versions.some((v) => v !== 2 && v !== 3)) {
    return '"protocolVersions" must be a non-empty list of 2 and/or 3';
  }
  const caps = r.capabilities as Record<string, unknown> | undefined;
  if (typeof caps !== 'object' || caps === null) return '"capabilities" is missing';
  if (typeof caps.notifyV2 !== 'boolean') return '"capabilities.notifyV2" must be true or false';
  const levels = caps.accessLevels;
  if (!Array.isArray(levels) || !levels.includes('full') || levels.some((l) => l !== 'full' && l !== 'read')) {
    return '"capabilities.accessLevels" must list "full" and may list "read"';
  }
  if (caps.management !== undefined && typeof caps.management !== 'boolean') return '"capabilities.management" must be true or false when given';
  if (caps.nodeEndpoints !== undefined && (!Number.isInteger(caps.nodeEndpoints) || (caps.nodeEndpoints as number) < 1)) return '"capabilities.nodeEndpoints" must be a whole number of 1 or more';
  if (!Array.isArray(r.control) || r.control.some((v) => typeof v !== 'string')) return '"control" must be a list of verb names';
  return undefined;
}

/** Verbs this harness does not know are dropped (a newer adapter may offer more). */
function normalizeHello(hello: HelloResult): HelloResult {
  const known = new Set<string>([...CONTROL_VERBS, ...CONTROL_QUERIES, CONTROL_BATCH]);
  return {
    ...hello,
    protocolVersions: [...new Set(hello.protocolVersions)],
    control: hello.control.filter((v): v is ControlOffer => known.has(v)),
  };
}
