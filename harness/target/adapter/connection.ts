// A ClusapiConnection over the adapter protocol: each contract method becomes a request named after it,
// its arguments become params by their IDL names, and the result is checked against the method's out
// parameters before a test sees it. The methods are built from the table in methods.ts, so the wire
// and the contract cannot drift apart one method at a time.
import { TargetError, type ClusapiConnection, type MethodName, type Reply } from '../../../cmrp/contract';
import type { ProtocolVersion } from '../../../cmrp/constants';
import type { RpcChannel } from './channel';
import { fromWire, preview, toWire, wireProblem } from '../../../wire/adapter/codec';
import { METHOD_NAMES, METHODS } from '../../../cmrp/methods';

export interface ConnectionOptions {
  channel: RpcChannel;
  /** The adapter's name for this connection ("connection" in every request). */
  id: string;
  protocolVersion: ProtocolVersion;
  notifyV2: boolean;
  /** The adapter serves the management methods (Hello's capabilities.management). */
  management?: boolean;
  /** Bound on Disconnect, which the harness itself does not time out. */
  closeTimeoutMs: number;
}

/**
 * How long after its Disconnect reply a connection's outstanding requests may take to be answered: a
 * fraction of the Disconnect timeout, so a hung adapter is found (and restarted) before the harness,
 * which waits for close() no longer than its call timeout, starts the next test.
 */
function drainMs(closeTimeoutMs: number): number {
  return Math.min(500, closeTimeoutMs / 3);
}

type AnyMethod = (...args: unknown[]) => Promise<Reply<Record<string, unknown>>>;

export function createAdapterConnection(options: ConnectionOptions): ClusapiConnection {
  const { channel, id } = options;
  /** A call of this connection already met the channel's failure: its test has the fault on record. */
  let faultReported = false;
  const connection: Record<string, unknown> = {
    protocolVersion: options.protocolVersion,
    close: async (): Promise<void> => {
      if (channel.failure) {
        // The adapter holding the connection is gone. If no call of this connection saw it go (it
        // crashed, closed its output or was stopped after the last reply), the fault is Disconnect's:
        // never silence.
        if (faultReported) return;
        throw channel.errorFor('Disconnect', channel.failure, true);
      }
      await channel.request('Disconnect', { connection: id }, 'Disconnect', { timeoutMs: options.closeTimeoutMs });
      // The adapter must answer every request of a closed connection (a fault will do). One that stays
      // unanswered is a hung call: restart the adapter rather than let the next test inherit it, and
      // say so (the test that left the call pending is the one in flight).
      const left = await channel.answered(id, drainMs(options.closeTimeoutMs));
      if (left.length) {
        const reason = `the adapter left ${left.join(', ')} unanswered after the connection was closed`;
        channel.abandon('timeout', reason);
        throw new TargetError('Disconnect', 'timeout', reason);
      }
    },
  };
  const seen = (error: unknown): never => {
    if (channel.failure) faultReported = true;
    throw error;
  };
  for (const method of METHOD_NAMES) {
    // The v2 port methods exist only where the adapter offers them: a test checks for the method.
    if (METHODS[method].notifyV2 && !options.notifyV2) continue;
    // So do the management methods: without them the target offers no in-band stimuli.
    if (METHODS[method].management && !options.management) continue;
    const call: AnyMethod = async (...args) =>
      decodeReply(method, await channel.request(method, encodeParams(method, id, args), method, { tag: id }).catch(seen));
    connection[method] = call;
  }
  return connection as unknown as ClusapiConnection;
}

/** Positional contract arguments -> named params. An argument the caller left undefined is left out. */
export function encodeParams(method: MethodName, connection: string, args: readonly unknown[]): Record<string, unknown> {
  const params: Record<string, unknown> = { connection };
  METHODS[method].params.forEach((spec, i) => {
    if (args[i] !== undefined) params[spec.name] = toWire(spec.kind, args[i]);
  });
  return params;
}

/** A result -> the contract's Reply, or a TargetError('malformed') saying what is wrong with it. */
export function decodeReply(method: MethodName, result: unknown): Reply<Record<string, unknown>> {
  const bad = (problem: string) => new TargetError(method, 'malformed', `${problem}: ${preview(result)}`);
  if (typeof result !== 'object' || result === null || Array.isArray(result)) throw bad('the result is not an object');
  const r = result as Record<string, unknown>;
  if (r.fault !== undefined) {
    if (wireProblem('uint32', r.fault)) throw bad(`"fault" is ${wireProblem('uint32', r.fault)}`);
    if (r.status !== undefined) throw bad('a result has "status" or "fault", not both');
    return { fault: r.fault as number };
  }
  if (r.status === undefined) throw bad('the result has neither "status" nor "fault"');
  const statusProblem = wireProblem('uint32', r.status);
  if (statusProblem) throw bad(`"status" is ${statusProblem}`);
  const reply: Record<string, unknown> = { status: r.status };
  for (const [name, kind] of Object.entries(METHODS[method].outs)) {
    const value = r[name];
    if (value === undefined) {
      // A failed call may leave out parameters out; a successful one must return them. A handle left
      // out of a failed call is NULL: what an Open* or ApiCreateNotify that fails hands back.
      if (r.status === 0) throw bad(`status ERROR_SUCCESS without the out parameter "${name}"`);
      if (kind === 'handle') reply[name] = null;
      continue;
    }
    const problem = wireProblem(kind, value);
    if (problem) throw bad(`"${name}" is ${problem}`);
    reply[name] = fromWire(kind, value);
  }
  return reply as Reply<Record<string, unknown>>;
}
