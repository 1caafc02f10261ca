// The `dcerpc:HOST[:PORT]` target: an MS-CMRP server reached as it is, over DCE/RPC on TCP
// (ncacn_ip_tcp), with no adapter in between. Each connect() is a new association group; its calls
// run on as many connections of the group as are in flight. Without a port, the endpoint mapper of
// HOST (port 135) says which one serves clusapi. Stimuli come from a separate control adapter, since a
// real cluster's failures cannot be caused through the protocol.
import type { ClusterControl } from '../control/contract';
import type { ProtocolVersion } from '../spec/constants';
import { CLUSAPI_UUID, CLUSAPI_VERSIONS } from '../wire/clusapi';
import { RpcAssociation, context } from '../wire/rpc/client/association';
import { RpcClientConnection, type ConnectionLimits, type Endpoint } from '../wire/rpc/client/connection';
import { eptMap } from '../wire/rpc/client/epm';
import { RESULT, type SyntaxId } from '../wire/rpc/constants';
import { RpcBindError } from '../wire/rpc/errors';
import type { ClusapiConnection, ConnectOptions, Target } from './contract';
import { TargetError } from './contract';
import { asTargetError, createDcerpcConnection } from './dcerpc-connection';

export const DCERPC_TARGET_FORM = 'dcerpc:HOST[:PORT]';

export interface DcerpcTargetOptions {
  /** Scales the connect and call ceilings, as --timeout-multiplier scales the call timeouts. */
  timeoutMultiplier?: number;
  /** The control adapter of the cluster behind the server (--control), when there is one. */
  control?: ClusterControl;
  /** Releases the control adapter when the target is disposed. */
  disposeControl?: () => Promise<void>;
  /** The endpoint mapper's port (135; tests use another). */
  epmPort?: number;
}

export function clusapiSyntax(version: ProtocolVersion): SyntaxId {
  return { uuid: CLUSAPI_UUID, ...CLUSAPI_VERSIONS[version] };
}

export interface DcerpcAddress {
  host: string;
  /** Absent: ask the endpoint mapper of the host. */
  port?: number;
}

/** Parses "HOST", "HOST:PORT", "[v6]" or "[v6]:PORT"; throws a one-sentence Error when it is none. */
export function parseDcerpcAddress(text: string): DcerpcAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (!m) throw new Error(`'${text}' is not HOST or HOST:PORT`);
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`port ${m[3]} is not in 1..65535`);
  return { host: m[1] ?? m[2], ...(port !== undefined ? { port } : {}) };
}

/**
 * Resolves the endpoint, then learns which protocol versions the server binds by offering both in
 * one bind (presentation context 0: clusapi 3.0, 1: clusapi 2.0). Fails with a TargetError when the
 * server cannot be reached or binds neither.
 */
export async function createDcerpcTarget(spec: string, { host, port }: DcerpcAddress, options: DcerpcTargetOptions = {}): Promise<Target> {
  const multiplier = options.timeoutMultiplier ?? 1;
  const limits: ConnectionLimits = { connectTimeoutMs: 5000 * multiplier };
  const callTimeoutMs = 120_000 * multiplier;
  let endpoint: Endpoint;
  try {
    endpoint = { host, port: port ?? (await mapEndpoint(host, limits, options.epmPort)) };
  } catch (error) {
    throw asTargetError('ept_map', error);
  }
  let versions: ProtocolVersion[];
  try {
    versions = await probeVersions(endpoint, limits);
  } catch (error) {
    throw asTargetError('bind', error);
  }
  if (!versions.length) throw new TargetError('bind', 'protocol', `${host}:${endpoint.port} binds neither clusapi 3.0 nor 2.0`);

  const open = new Set<ClusapiConnection>();
  return {
    description: `${spec} (ncacn_ip_tcp ${host}:${endpoint.port}, unauthenticated)`,
    // Without authentication every association has the same rights: a read-only client cannot be
    // told apart, so only full access is offered.
    capabilities: { protocolVersions: versions, notifyV2: false, accessLevels: ['full'] },
    ...(options.control ? { control: options.control } : {}),
    async connect(connectOptions: ConnectOptions): Promise<ClusapiConnection> {
      if ((connectOptions.accessLevel ?? 'full') !== 'full') throw new TargetError('connect', 'protocol', 'only full access is available without authentication');
      const version = connectOptions.protocolVersion;
      let association: RpcAssociation;
      try {
        association = await RpcAssociation.open(endpoint, clusapiSyntax(version), limits);
      } catch (error) {
        throw asTargetError(`bind clusapi ${version}.0`, error);
      }
      const connection = createDcerpcConnection(association, version, { callTimeoutMs });
      open.add(connection);
      const close = connection.close.bind(connection);
      connection.close = async () => {
        open.delete(connection);
        await close();
      };
      return connection;
    },
    async dispose(): Promise<void> {
      await Promise.all([...open].map((c) => c.close()));
      await options.disposeControl?.();
    },
  };
}

async function mapEndpoint(host: string, limits: ConnectionLimits, epmPort?: number): Promise<number> {
  try {
    return await eptMap(host, clusapiSyntax(3), limits, epmPort);
  } catch (first) {
    // A version 2.0-only server registers only that version.
    try {
      return await eptMap(host, clusapiSyntax(2), limits, epmPort);
    } catch {
      throw first;
    }
  }
}

async function probeVersions(endpoint: Endpoint, limits: ConnectionLimits): Promise<ProtocolVersion[]> {
  const connection = await RpcClientConnection.open(endpoint, limits);
  try {
    const offered: ProtocolVersion[] = [3, 2];
    let ack;
    try {
      ack = await connection.bind(1, offered.map((v, i) => context(clusapiSyntax(v), i)), 0);
    } catch (error) {
      // A bind_nak refuses both versions at once.
      if (error instanceof RpcBindError) return [];
      throw error;
    }
    return offered.filter((_, i) => ack.results[i].result === RESULT.acceptance).sort();
  } finally {
    connection.close();
  }
}
