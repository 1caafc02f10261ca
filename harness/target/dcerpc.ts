// The `dcerpc:HOST[:PORT]` target: an MS-CMRP server reached as it is, over DCE/RPC on TCP
// (ncacn_ip_tcp), with no adapter in between. Each connect() is a new association group; its calls
// run on as many connections of the group as are in flight, each authenticated with a security context
// of its own (SPNEGO or raw NTLMSSP at connect, packet integrity or packet privacy) unless the run says
// --auth none. Without a port, the endpoint mapper of HOST (port 135) says which one serves clusapi.
// Stimuli come from a separate control adapter, since a real cluster's failures cannot be caused
// through the protocol.
import { isIP } from 'node:net';
import type { ClusterControl, Stimulus } from '../../cmrp/control';
import type { ProtocolVersion } from '../../cmrp/constants';
import { AUTH_LEVEL_NAMES, RPC_C_AUTHN, type Credentials, type RpcAuthLevel, type RpcAuthType } from '../../wire/auth';
import { CLUSAPI, CLUSAPI_UUID, CLUSAPI_VERSIONS } from '../../wire/clusapi';
import { RpcAssociation, context, type SentRequest } from '../../wire/rpc/client/association';
import { RpcClientConnection, type ClientSecurity, type ConnectionLimits, type Endpoint } from '../../wire/rpc/client/connection';
import { eptMap } from '../../wire/rpc/client/epm';
import { clientSecurityFactory } from '../../wire/rpc/client/security';
import { RESULT, faultName, type SyntaxId } from '../../wire/rpc/constants';
import { RpcBindError, RpcTransportError } from '../../wire/rpc/errors';
import type { ClusapiConnection, ConnectOptions, Target } from '../../cmrp/contract';
import { TargetError } from '../../cmrp/contract';
import { asTargetError, createDcerpcConnection } from './dcerpc-connection';
import { offersNotifyV2 } from './dcerpc-notify-v2';
import { NodeEndpoints } from './dcerpc-nodes';

export { DCERPC_TARGET_FORM } from './forms';

export interface DcerpcTargetOptions {
  /** Scales the connect and call ceilings, as --timeout-multiplier scales the call timeouts. */
  timeoutMultiplier?: number;
  /** The control adapter of the cluster behind the server (--control), when there is one. */
  control?: ClusterControl;
  /** Releases the control adapter when the target is disposed. */
  disposeControl?: () => Promise<void>;
  /** The endpoint mapper's port (135; tests use another). */
  epmPort?: number;
  /** How every connection authenticates; absent: unauthenticated (--auth none). */
  auth?: DcerpcAuth;
  /**
   * How a connection at the Read access level authenticates (--read-user): an account the server's
   * cluster security descriptor grants Read only. Absent: only full access can be offered.
   */
  readAuth?: DcerpcAuth;
  /** The endpoints of the cluster's other nodes (--node-target): connections to a named node go there. */
  nodeEndpoints?: DcerpcAddress[];
  /**
   * What the server binds and serves, when the suite knows it already: it serves the server itself
   * (builtin's wire face, whose reference declares both), or an earlier target of the same run probed
   * it (harness/suite/worker-state.ts). The start-up probes (the versions bound, the account, version 2
   * ports: three authenticated handshakes) are skipped.
   */
  known?: KnownServer;
  /** The ordering gap of every association (wire/rpc/client/association.ts; default 5 ms): tests set it. */
  orderingGapMs?: number;
}

/** What a dcerpc target's start-up probes find: the versions the server binds, and its version 2 ports. */
export interface KnownServer {
  protocolVersions: ProtocolVersion[];
  notifyV2: boolean;
}

export interface DcerpcAuth {
  /** 9 SPNEGO (NTLM inside, never Kerberos) or 10 raw NTLMSSP. */
  authType: RpcAuthType;
  /** 2 connect, 5 packet integrity, 6 packet privacy. */
  authLevel: RpcAuthLevel;
  credentials: Credentials;
}

/** "SPNEGO(NTLM) at packet privacy as CLUSTER\\tester": for descriptions and messages (names the user, never the password). */
export function describeAuth(auth: DcerpcAuth): string {
  const type = auth.authType === RPC_C_AUTHN.GSS_NEGOTIATE ? 'SPNEGO(NTLM)' : 'NTLM';
  const level = { connect: 'connect', integrity: 'packet integrity', privacy: 'packet privacy' }[AUTH_LEVEL_NAMES[auth.authLevel]] ?? `level ${auth.authLevel}`;
  return `${type} at ${level} as ${accountName(auth.credentials)}`;
}

export function accountName(account: { domain: string; user: string }): string {
  return account.domain ? `${account.domain}\\${account.user}` : account.user;
}

/**
 * The security hooks for one association's connections. [MS-CMRP] 2.1: by IP address a client gives
 * no principal name (SPNEGO falls back to NTLM, MsvAvTargetName stays empty); by computer name it
 * gives MSServerClusterMgmtAPI/<name>.
 */
export function securityFor(auth: DcerpcAuth | undefined, host: string): { security?: () => ClientSecurity } {
  if (!auth) return {};
  return { security: clientSecurityFactory({ ...auth, ...(isIP(host) ? {} : { targetName: `MSServerClusterMgmtAPI/${host}` }) }) };
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
 * one bind (presentation context 0: clusapi 3.0, 1: clusapi 2.0), authenticated as every connection
 * will be. Fails with a TargetError when the server cannot be reached, binds neither, or refuses the
 * account.
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
  let notifyV2: boolean;
  if (options.known) {
    ({ protocolVersions: versions, notifyV2 } = options.known);
  } else {
    try {
      versions = await probeVersions(endpoint, limits, options.auth, host);
    } catch (error) {
      throw asTargetError('bind', error);
    }
    if (!versions.length) throw new TargetError('bind', 'protocol', `${host}:${endpoint.port} binds neither clusapi 3.0 nor 2.0`);
    // Version 2 notification ports exist in clusapi 3.0 only, and only where the server has them.
    notifyV2 = versions.includes(3) && (await offersNotifyV2(endpoint, { ...limits, ...securityFor(options.auth, host) }, limits.connectTimeoutMs));
  }

  // The pointed-at endpoint is a node too: a connection to it by name finds it the same way.
  const nodes = new NodeEndpoints([endpoint, ...(options.nodeEndpoints ?? []).map((a) => ({ host: a.host, port: a.port ?? endpoint.port }))], {
    syntax: clusapiSyntax, limits, callTimeoutMs: limits.connectTimeoutMs, security: (h) => securityFor(options.auth, h),
  });
  const open = new Set<ClusapiConnection>();
  const associations = new Set<RpcAssociation>();
  const { readAuth } = options;
  const received = options.control?.readsHeld ? readsReceived(options.control.readsHeld.bind(options.control)) : undefined;
  if (readAuth && !options.auth) throw new TargetError('connect', 'protocol', 'a Read account goes with an authenticated run');
  return {
    description: `${spec} (ncacn_ip_tcp ${host}:${endpoint.port}, ${options.auth ? describeAuth(options.auth) : 'unauthenticated'}${readAuth ? `; Read access as ${accountName(readAuth.credentials)}` : ''})`,
    // Every association has the rights of the account it authenticates as: the run's account (or
    // nobody) for full access, the --read-user account for Read. Without the latter, a Read-only
    // client cannot be opened. Whether the server really gives that account Read only is what the
    // access-level clauses judge; the suite takes the user's word that it should.
    capabilities: { protocolVersions: versions, notifyV2, accessLevels: readAuth ? ['full', 'read'] : ['full'], rpcRuntime: true, management: true, nodeEndpoints: nodes.endpoints.length },
    ...(options.control ? { control: orderedControl(options.control, associations) } : {}),
    async connect(connectOptions: ConnectOptions): Promise<ClusapiConnection> {
      const level = connectOptions.accessLevel ?? 'full';
      if (level === 'read' && !readAuth) throw new TargetError('connect', 'protocol', 'Read access needs --read-user: the run has one account (or none)');
      const auth = level === 'read' ? readAuth : options.auth;
      const version = connectOptions.protocolVersion;
      const at = connectOptions.node === undefined ? endpoint : await nodes.endpointOf(connectOptions.node, version);
      let association: RpcAssociation;
      try {
        association = await RpcAssociation.open(at, clusapiSyntax(version), { ...limits, ...securityFor(auth, at.host), ...(received ? { received } : {}), ...(options.orderingGapMs !== undefined ? { orderingGapMs: options.orderingGapMs } : {}) });
      } catch (error) {
        const failure = asTargetError(`bind clusapi ${version}.0${level === 'read' ? ` as the Read account ${accountName(readAuth!.credentials)}` : ''}`, error);
        // A refused logon of the second account: say where its password comes from (never the password).
        if (level === 'read' && error instanceof RpcBindError) failure.message += ': check --read-user and the password in CMRP_READ_PASSWORD';
        throw failure;
      }
      const connection = createDcerpcConnection(association, version, { callTimeoutMs });
      open.add(connection);
      associations.add(association);
      const close = connection.close.bind(connection);
      connection.close = async () => {
        open.delete(connection);
        associations.delete(association);
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

/**
 * The control adapter reaches the server by another channel than the wire: a stimulus applied just
 * after a call was issued (a blocking ApiGetNotify, say) must not overtake that call's request. Each
 * verb first waits until every call issued on the target's associations is on its way.
 */
function orderedControl(control: ClusterControl, associations: ReadonlySet<RpcAssociation>): ClusterControl {
  const quiesce = () => Promise.all([...associations].map((a) => a.quiesce(1000)));
  return {
    verbs: control.verbs,
    apply: async (stimulus) => {
      await quiesce();
      return control.apply(stimulus);
    },
    // A list applied in one go (Control.Batch) is ordered once, before it: no call is issued in between.
    ...(control.applyAll
      ? {
          applyAll: async (stimuli: readonly Stimulus[]) => {
            await quiesce();
            return control.applyAll!(stimuli);
          },
        }
      : {}),
    // A query changes nothing: nothing to order it after.
    ...(control.listObjects ? { listObjects: (prefix: string) => control.listObjects!(prefix) } : {}),
    ...(control.readsHeld ? { readsHeld: (hNotify: string) => control.readsHeld!(hNotify) } : {}),
  };
}

/** The opnums of the reads a server holds until an event, an unblock or a close (any protocol version). */
const READ_OPNUMS: ReadonlySet<number> = new Set([CLUSAPI.ApiGetNotify.opnum, CLUSAPI.ApiGetNotifyV2.opnum]);

/**
 * The association's proof that the server has read its unanswered requests, from a control that counts
 * the reads it holds (ReadsHeld): the latest request is a read, and the server holds as many reads on
 * its port (the context handle, the stub's first 20 bytes) as the association has sent there and not
 * seen answered. Any other request, or fewer held, proves nothing: the ordering gap is waited then.
 */
function readsReceived(readsHeld: (hNotify: string) => Promise<number>): (unanswered: readonly SentRequest[]) => Promise<boolean> {
  const port = (r: SentRequest) => (READ_OPNUMS.has(r.opnum) && r.stub.length >= 20 ? r.stub.subarray(0, 20).toString('hex') : undefined);
  return async (unanswered) => {
    const hNotify = unanswered.length ? port(unanswered[unanswered.length - 1]) : undefined;
    if (hNotify === undefined) return false;
    const sent = unanswered.filter((r) => port(r) === hNotify).length;
    return (await readsHeld(hNotify)) >= sent;
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

async function probeVersions(endpoint: Endpoint, limits: ConnectionLimits, auth: DcerpcAuth | undefined, host: string): Promise<ProtocolVersion[]> {
  const connection = await RpcClientConnection.open(endpoint, limits);
  try {
    const offered: ProtocolVersion[] = [3, 2];
    let ack;
    try {
      ack = await connection.bind(1, offered.map((v, i) => context(clusapiSyntax(v), i)), 0, securityFor(auth, host).security?.());
    } catch (error) {
      if (error instanceof RpcBindError && auth) throw new RpcBindError(`the authenticated bind (${describeAuth(auth)}) was refused: ${error.message}: check the account and the password in CMRP_PASSWORD`);
      // A bind_nak refuses both versions at once.
      if (error instanceof RpcBindError) return [];
      throw error;
    }
    const versions = offered.filter((_, i) => ack.results[i].result === RESULT.acceptance).sort();
    if (auth && versions.length) await checkAccount(connection, versions, auth, limits.connectTimeoutMs);
    return versions;
  } finally {
    connection.close();
  }
}

/**
 * NTLM's last leg (auth3) has no answer, so only a call tells whether the server took the account:
 * ApiGetClusterName (harmless, answered by every server) must not fault. A refusal here is a
 * configuration problem (wrong password, unknown account, a level the server does not serve) and
 * says which account, never its password.
 */
async function checkAccount(connection: RpcClientConnection, versions: ProtocolVersion[], auth: DcerpcAuth, timeoutMs: number): Promise<void> {
  const version = versions.includes(3) ? 3 : 2;
  const codec = CLUSAPI.ApiGetClusterName;
  let outcome;
  try {
    outcome = await connection.call(2, version === 3 ? 0 : 1, codec.opnum, codec.encodeRequest(version, []), timeoutMs);
  } catch (error) {
    if (!(error instanceof RpcTransportError) || error.kind !== 'closed') throw error;
    throw new RpcBindError(`the server closed the connection after ${describeAuth(auth)} instead of answering ApiGetClusterName: check the account and the password in CMRP_PASSWORD`);
  }
  if (outcome.fault !== undefined) {
    throw new RpcBindError(
      `the server refused ${describeAuth(auth)} (ApiGetClusterName on clusapi ${version}.0 faulted with ${faultName(outcome.fault)}): check the account and the password in CMRP_PASSWORD${auth.authLevel < 6 && version === 3 ? ', and note that version 3.0 requires packet privacy' : ''}`,
    );
  }
}
