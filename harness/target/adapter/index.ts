// Target specs of adapters: "stdio:COMMAND ARGS" (a child process) and "tcp:HOST:PORT".
import { UsageError } from '../../../cmrp/errors';
import type { Target } from '../../../cmrp/contract';
import { splitCommandLine, stdioTransport } from './stdio';
import { adapterTimeouts } from './supervisor';
import { createAdapterTarget, type AdapterTargetOptions } from './target';
import { parseHostPort, tcpTransport } from './tcp';

export { ADAPTER_TARGET_FORMS } from './forms';

/** The adapter target for `spec`, or undefined when the spec is not an adapter form. */
export async function createAdapterTargetFromSpec(spec: string, options: AdapterTargetOptions = {}): Promise<Target | undefined> {
  if (spec.startsWith('stdio:')) {
    let argv: string[];
    try {
      argv = splitCommandLine(spec.slice('stdio:'.length));
    } catch (error) {
      throw new UsageError(`--target ${spec}: ${(error as Error).message}`);
    }
    if (!argv.length) throw new UsageError(`--target ${spec}: no command after "stdio:"`);
    return createAdapterTarget(spec, stdioTransport(argv), options);
  }
  if (spec.startsWith('tcp:')) {
    let address: { host: string; port: number };
    try {
      address = parseHostPort(spec.slice('tcp:'.length));
    } catch (error) {
      throw new UsageError(`--target ${spec}: ${(error as Error).message}`);
    }
    const timeouts = adapterTimeouts(options.timeoutMultiplier ?? 1);
    return createAdapterTarget(spec, tcpTransport(address.host, address.port, timeouts.handshakeMs), options);
  }
  return undefined;
}
