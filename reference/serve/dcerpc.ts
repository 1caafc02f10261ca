// Serves any Target (in practice the builtin reference or one of its mutants) as an MS-CMRP server on
// the wire: clusapi 2.0 and 3.0 over ncacn_ip_tcp with NDR20, on 127.0.0.1 only, either for one
// account (NTLM and SPNEGO(NTLM), section 2.1's rules: see authorize()), optionally with a second one
// whose calls get the Read access level, or without authentication (--auth none). Each association
// group is one Target connection per protocol version and access level; context handles
// are mapped between the wire and the Target; unknown opnums and unknown context handles are faults, as
// a Windows RPC runtime raises them; malformed stubs are faults too.
import type { AccessLevel, Handle, MethodName, Reply, Target, ClusapiConnection } from '../../cmrp/contract';
import { METHODS, isMethodName } from '../../cmrp/methods';
import { CLUSAPI_UUID, NdrError, byOpnum, type MethodCodec, type ProtocolVersion, type ReplyRecord } from '../../wire/clusapi';
import { FAULT } from '../../wire/rpc/constants';
import { RPC_C_AUTHN_LEVEL, type Credentials } from '../../wire/auth';
import type { CallInfo, ServerApp, ServerCallOutcome, ServerLimits } from '../../wire/rpc/server/app';
import { listenRpc, type RpcListener } from '../../wire/rpc/server/listener';
import { serverSecurity } from '../../wire/rpc/server/security';
import { ContextHandleMap } from './dcerpc-handles';
import { LOOPBACK } from './serve';
import type { ClusterSecurity, Grant, ServedAccount } from './cluster-security';
import type { WireMutantName } from '../mutants/wire';

/** What the server says about itself to the calls that are not the Target's (ApiGetClusterName, ApiGetClusterVersion2). */
export interface ServedIdentity {
  clusterName: string;
  /** The node the client is "connected to": smbtorture opens it by this name. */
  nodeName: string;
  /** lpwMajorVersion, lpwMinorVersion, lpwBuildNumber, lpszVendorId, lpszCSDVersion. */
  version: { major: number; minor: number; build: number; vendorId: string; csdVersion: string };
  /** CLUSTER_OPERATIONAL_VERSION_INFO.dwClusterHighestVersion / Lowest ([MS-CMRP] 2.2.3.3). */
  operationalVersion: { highest: number; lowest: number };
}

export interface DcerpcServeOptions {
  port: number;
  identity: ServedIdentity;
  log?: (line: string) => void;
  limits?: Partial<ServerLimits>;
  /** The one account that may call (NTLM or SPNEGO(NTLM)); absent: no authentication at all. */
  account?: Credentials;
  /**
   * A second account (with `account` only): its calls get the Read access level of [MS-CMRP] 3.1.4,
   * what a cluster security descriptor granting it only Read gives it; `account`'s get All.
   */
  readAccount?: Credentials;
  /** A wire mutant (reference/mutants/wire.ts) breaking one rule of the served transport. */
  wireMutant?: WireMutantName;
  /** The node of the cluster this endpoint is (its name, as the Target's connect takes it); absent: the first. */
  node?: string;
  /** The cluster security descriptor every endpoint consults on every call; absent: All for `account`, Read for `readAccount`. */
  security?: ClusterSecurity;
  /** Where the reads this endpoint holds are counted, for the control's ReadsHeld (one for all of a cluster's endpoints). */
  heldReads?: HeldReads;
}

/**
 * The ApiGetNotify and ApiGetNotifyV2 calls the server has read and not yet answered, by the port's wire
 * context handle: what the control query ReadsHeld tells a client about to release one of them (a
 * request on another connection is read in no particular order unless the first was read already).
 */
export class HeldReads {
  private readonly held = new Map<string, number>();

  count(hNotify: string): number {
    return this.held.get(hNotify.toLowerCase()) ?? 0;
  }

  /** Counts the read on `hNotify` from now until `answered` settles. */
  async during<T>(hNotify: string, answered: Promise<T>): Promise<T> {
    const key = hNotify.toLowerCase();
    this.held.set(key, this.count(key) + 1);
    try {
      return await answered;
    } finally {
      const left = this.count(key) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    }
  }
}

/** The methods whose calls HeldReads counts. */
const READS: ReadonlySet<string> = new Set(['ApiGetNotify', 'ApiGetNotifyV2']);

/** RPC_X_SS_IN_NULL_CONTEXT: a NULL context handle passed where the IDL requires a live one. */
const RPC_X_SS_IN_NULL_CONTEXT = 0x000006ef;

/** One protocol version's view of an association group: its Target connection and its handles. */
interface Session {
  connection: Promise<ClusapiConnection>;
  handles: ContextHandleMap;
}

class ServedGroup {
  /** Keyed by protocol version and access level: a Read caller never shares a Target connection with an All one. */
  private readonly sessions = new Map<string, Session>();
  private closed = false;

  constructor(
    private readonly target: Target,
    private readonly node: string | undefined,
  ) {}

  session(version: ProtocolVersion, accessLevel: AccessLevel): Session {
    const key = `${version}:${accessLevel}`;
    let session = this.sessions.get(key);
    if (!session) {
      const connection = this.target.connect({ protocolVersion: version, accessLevel, ...(this.node === undefined ? {} : { node: this.node }) });
      // A failed connect is reported to the call that needed it; never an unhandled rejection.
      connection.catch(() => undefined);
      session = { connection, handles: new ContextHandleMap() };
      this.sessions.set(key, session);
    }
    return session;
  }

  /** Context rundown: the last connection of the group closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.sessions.values()].map(async (s) => (await s.connection.catch(() => undefined))?.close()));
  }
}

export async function serveDcerpc(target: Target, options: DcerpcServeOptions): Promise<RpcListener> {
  const log = options.log ?? (() => undefined);
  const versions = new Set<number>(target.capabilities.protocolVersions);
  const authenticated = options.account !== undefined;
  const minimumV3 = options.wireMutant === 'accept-low-auth' ? RPC_C_AUTHN_LEVEL.CONNECT : RPC_C_AUTHN_LEVEL.PKT_PRIVACY;
  const app: ServerApp<ServedGroup> = {
    accepts: (s) => s.uuid.toLowerCase() === CLUSAPI_UUID && s.minor === 0 && versions.has(s.major),
    openGroup: () => new ServedGroup(target, options.node),
    closeGroup: (group) => group.close(),
    call: (group, info, stub) => {
      const refused = authenticated ? authorize(info, minimumV3) : undefined;
      if (refused !== undefined) {
        log(`refusing opnum ${info.opnum} of clusapi ${info.syntax.major}.0: ${refused}`);
        return Promise.resolve({ fault: FAULT.rpc_s_access_denied });
      }
      const grant = grantOf(info, options);
      if (grant === 'none') {
        // 3.1.3: an unpermitted client gets a nonzero error and its connection is terminated.
        log(`refusing opnum ${info.opnum} of clusapi ${info.syntax.major}.0: the cluster security descriptor does not permit ${info.security?.peer?.user ?? 'the caller'}`);
        return Promise.resolve({ fault: FAULT.rpc_s_access_denied, end: options.wireMutant !== 'keep-refused-connection' });
      }
      const level = options.wireMutant === 'read-account-all' ? 'full' : grant;
      return serveCall(group, info, stub, options.identity, level, options.heldReads);
    },
  };
  if (options.readAccount && !options.account) throw new Error('a Read account is served only beside the full account');
  const security = options.account
    ? serverSecurity({
        account: options.account,
        ...(options.readAccount ? { accounts: [options.readAccount] } : {}),
        nbComputerName: options.identity.nodeName.toUpperCase(), nbDomainName: options.account.domain || options.identity.clusterName,
      })
    : undefined;
  return listenRpc(app, { host: LOOPBACK, port: options.port, log, limits: options.limits, ...(security ? { security } : {}) });
}

/**
 * [MS-CMRP] 2.1 as this server reads it (catalogue clause 2.1/R14, second reading): a bind at any
 * level is accepted, and every call of a client that is not allowed is refused with an access-denied
 * fault (0x5) before the method runs, as a Windows security callback does. Not allowed: a client that
 * did not authenticate (no identity for the cluster security descriptor to permit, 2.1/R21), and on
 * interface version 3.0 a connection below packet privacy. Version 2.0 takes connect and above (its
 * clients bind with at least RPC_C_AUTHN_LEVEL_CONNECT). Returns why a call is refused, or undefined.
 */
function authorize(info: CallInfo, minimumV3: number): string | undefined {
  const security = info.security;
  if (!security) return 'the client did not authenticate';
  if (info.syntax.major === 3 && security.authLevel < minimumV3) {
    return `auth_level ${security.authLevel} is below packet privacy (6), which version 3.0 requires`;
  }
  if (security.authLevel < RPC_C_AUTHN_LEVEL.CONNECT) return `auth_level ${security.authLevel} is below connect (2)`;
  return undefined;
}

/**
 * Which served account a call comes from: the Read account (NTLM user names are case-insensitive; the
 * security context proved the account before any call runs), else the full one (or nobody, --auth none).
 */
function accountOf(info: CallInfo, readAccount: Credentials | undefined): ServedAccount {
  const peer = info.security?.peer;
  if (!readAccount || !peer) return 'full';
  return peer.user.toUpperCase() === readAccount.user.toUpperCase() ? 'read' : 'full';
}

/**
 * What the cluster security descriptor grants the caller, checked on every call (2.1/R22's reading
 * of Windows: a change is seen without reconnecting). Unauthenticated serving (--auth none) has no
 * descriptor to consult: everyone gets All.
 */
function grantOf(info: CallInfo, options: DcerpcServeOptions): Grant {
  const account = accountOf(info, options.readAccount);
  if (!options.account) return 'full';
  if (!options.security || options.wireMutant === 'ignore-cluster-security') return account;
  return options.security.grant(account);
}

async function serveCall(group: ServedGroup, info: CallInfo, stub: Buffer, identity: ServedIdentity, accessLevel: AccessLevel, heldReads?: HeldReads): Promise<ServerCallOutcome> {
  const version = info.syntax.major as ProtocolVersion;
  const codec = byOpnum(info.opnum, version);
  if (!codec) return { fault: FAULT.nca_s_op_rng_error };
  let args: unknown[];
  try {
    args = codec.decodeRequest(version, stub);
  } catch (error) {
    if (error instanceof NdrError) return { fault: FAULT.rpc_x_bad_stub_data };
    throw error;
  }
  if (codec.name === 'ApiGetClusterName') {
    return answer(codec, version, { status: 0, ClusterName: identity.clusterName, NodeName: identity.nodeName });
  }
  if (codec.name === 'ApiGetClusterVersion2') {
    const { version: v, operationalVersion: op } = identity;
    return answer(codec, version, {
      status: 0,
      lpwMajorVersion: v.major,
      lpwMinorVersion: v.minor,
      lpwBuildNumber: v.build,
      lpszVendorId: v.vendorId,
      lpszCSDVersion: v.csdVersion,
      ppClusterOpVerInfo: { dwSize: 20, dwClusterHighestVersion: op.highest, dwClusterLowestVersion: op.lowest, dwFlags: 0, dwReserved: 0 },
    });
  }
  if (!isMethodName(codec.name)) return { fault: FAULT.nca_s_op_rng_error };
  const served = callTarget(group.session(version, accessLevel), codec.name, codec, version, args);
  return heldReads && READS.has(codec.name) && typeof args[0] === 'string' ? heldReads.during(args[0], served) : served;
}

async function callTarget(session: Session, method: MethodName, codec: MethodCodec, version: ProtocolVersion, args: unknown[]): Promise<ServerCallOutcome> {
  const spec = METHODS[method];
  // [in] context handles: the runtime's check, before the method runs.
  const targetArgs: unknown[] = [];
  for (const [i, param] of spec.params.entries()) {
    const value = args[i];
    if (param.kind !== 'handle') {
      targetArgs.push(value);
      continue;
    }
    if (value === null) return { fault: RPC_X_SS_IN_NULL_CONTEXT };
    const handle = session.handles.toTarget(String(value));
    if (handle === undefined) return { fault: FAULT.nca_s_fault_context_mismatch };
    targetArgs.push(handle);
  }
  const connection = await session.connection;
  const fn = connection[method] as ((...a: unknown[]) => Promise<Reply<Record<string, unknown>>>) | undefined;
  // A target without the method (version 2 ports not offered): as an IDL without it, the opnum is out of range.
  if (typeof fn !== 'function') return { fault: FAULT.nca_s_op_rng_error };
  const reply = await fn.apply(connection, targetArgs);
  if (reply.fault !== undefined) return { fault: reply.fault };

  const record: ReplyRecord = { status: reply.status };
  for (const [name, kind] of Object.entries(spec.outs)) {
    const value = (reply as Record<string, unknown>)[name];
    // An empty list of notifications goes as a NULL array (dwNumNotifications 0), as an IDL server sends it.
    record[name] = kind === 'handle' ? session.handles.toWire(value) : kind === 'notifications' && Array.isArray(value) && value.length === 0 ? null : value;
  }
  // An [out] array's size_is names an [in] parameter (Api*Control's lpOutBuffer: nOutBufferSize): the stub,
  // not the method, sets its max_count from the request, as an IDL server's does.
  const inNames = codec.argNames(version);
  for (const name of codec.replyNames(version)) if (!(name in spec.outs) && inNames.includes(name)) record[name] = args[inNames.indexOf(name)];
  const inHandle = spec.params[0]?.kind === 'handle' ? (args[0] as Handle) : undefined;
  if (method === 'ApiCloseNotify' && inHandle !== undefined) {
    // The Target says what becomes of the port handle: NULL once closed, unchanged otherwise.
    if (record.hNotify === null && reply.status === 0) session.handles.release(inHandle);
    else if (record.hNotify === null && (reply as Record<string, unknown>).hNotify === undefined) record.hNotify = inHandle;
  } else if (/^ApiClose/.test(method) && inHandle !== undefined) {
    // The other close methods' [in, out] handle: NULL on success (the context is destroyed), else as it was.
    const echo = codec.replyNames(version).find((n) => n !== 'status' && n !== 'rpc_status' && !(n in spec.outs));
    if (echo) record[echo] = reply.status === 0 ? null : inHandle;
    if (reply.status === 0) session.handles.release(inHandle);
  }
  return answer(codec, version, record);
}

function answer(codec: MethodCodec, version: ProtocolVersion, record: ReplyRecord): ServerCallOutcome {
  return { stub: codec.encodeResponse(version, record) };
}
