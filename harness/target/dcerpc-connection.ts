// A ClusapiConnection over a DCE/RPC association: each contract method is its clusapi opnum, its
// arguments marshalled by the NDR20 codec (wire/clusapi/), its answer either the decoded reply
// or the fault the server sent (never folded into a status). A server that answers garbage, a
// malformed stub, or nothing in time is a TargetError naming the call.
import { AuthError } from '../../wire/auth';
import { CLUSAPI, NdrError, type ProtocolVersion } from '../../wire/clusapi';
import { RpcAssociation } from '../../wire/rpc/client/association';
import { FAULT } from '../../wire/rpc/constants';
import { RpcBindError, RpcProtocolError, RpcTransportError } from '../../wire/rpc/errors';
import { METHOD_NAMES, METHODS } from '../../cmrp/methods';
import { TargetError, type ClusapiConnection, type MethodName, type Reply } from '../../cmrp/contract';

export interface DcerpcConnectionOptions {
  /** Ceiling on one call, a blocking ApiGetNotify included: the session's own timeouts are shorter. */
  callTimeoutMs: number;
}

type AnyMethod = (...args: unknown[]) => Promise<Reply<Record<string, unknown>>>;

export function createDcerpcConnection(association: RpcAssociation, protocolVersion: ProtocolVersion, options: DcerpcConnectionOptions): ClusapiConnection {
  let closed = false;
  const connection: Record<string, unknown> = {
    protocolVersion,
    close: async (): Promise<void> => {
      closed = true;
      association.close();
    },
  };
  for (const method of METHOD_NAMES) {
    const codec = CLUSAPI[method];
    // A method the version's IDL lacks is not offered (the version 2 notification ports: clusapi 3.0 only).
    if (!codec.versions.includes(protocolVersion)) continue;
    const call: AnyMethod = async (...args) => {
      // A closed connection answers like the reference's: the RPC runtime fails the call.
      if (closed) return { fault: FAULT.rpc_s_call_failed };
      let stub: Buffer;
      try {
        stub = codec.encodeRequest(protocolVersion, args);
      } catch (error) {
        // The harness passed a value the IDL cannot carry: a bug of the caller, not of the target.
        throw new Error(`${method}: cannot marshal the arguments: ${(error as Error).message}`);
      }
      let outcome;
      try {
        outcome = await association.call(codec.opnum, stub, options.callTimeoutMs);
      } catch (error) {
        // Our own close() cut the call short: as with the reference, the runtime fails it.
        if (closed && error instanceof RpcTransportError) return { fault: FAULT.rpc_s_call_failed };
        throw asTargetError(method, error);
      }
      if (outcome.fault !== undefined) return { fault: outcome.fault };
      try {
        return toReply(method, codec.decodeResponse(protocolVersion, outcome.stub));
      } catch (error) {
        throw asTargetError(method, error);
      }
    };
    connection[method] = call;
  }
  return connection as unknown as ClusapiConnection;
}

/**
 * The codec's reply record -> the contract's Reply: status, the contract's out parameters, and the
 * version 3 rpc_status (what the wire-only clauses of 3.1.4.2.x check); not the echo of a closed
 * object handle, which the contract does not carry.
 */
function toReply(method: MethodName, record: Record<string, unknown> & { status: number }): Reply<Record<string, unknown>> {
  const reply: Record<string, unknown> = { status: record.status };
  if (typeof record.rpc_status === 'number') reply.rpc_status = record.rpc_status;
  for (const [name, kind] of Object.entries(METHODS[method].outs)) {
    const value = record[name];
    if (value === undefined) continue;
    // The state enumerations are signed (Unknown = -1); NDR carries them as 32-bit words.
    if (kind === 'int32' && typeof value === 'number') reply[name] = value | 0;
    // A NULL Notifications array (dwNumNotifications 0) holds no entries: the contract's empty list.
    else if (kind === 'notifications' && value === null) reply[name] = [];
    // So does a NULL ENUM_LIST.
    else if (kind === 'enumList' && value === null) reply[name] = [];
    else reply[name] = value;
  }
  return reply as Reply<Record<string, unknown>>;
}

/** Every failure of the wire or the stub, as the TargetError a verdict of ERROR is made from. */
export function asTargetError(call: string, error: unknown): TargetError {
  if (error instanceof TargetError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RpcTransportError) {
    return new TargetError(call, error.kind === 'timeout' ? 'timeout' : error.kind === 'unreachable' ? 'unreachable' : 'crash', message);
  }
  if (error instanceof NdrError) return new TargetError(call, 'malformed', message);
  if (error instanceof RpcProtocolError || error instanceof RpcBindError) return new TargetError(call, 'protocol', message);
  // The server's tokens or protected PDUs failed our checks (bad signature, broken handshake): its error.
  if (error instanceof AuthError) return new TargetError(call, 'protocol', `authentication: ${message}`);
  return new TargetError(call, 'crash', message);
}
