// The checks of [MS-CMRP] 2.1 (transport and authentication) and 3.1.3 (initialization) that a client
// can make of a server on the wire: the interface binds over ncacn_ip_tcp, a version 3.0 server refuses
// every authentication level below packet privacy, it serves SPNEGO (NTLM, since we connect by
// address) at packet privacy, a version 2.0 server serves NTLM, and an unknown principal or a wrong
// password is refused. Each check opens its own connection with its own security context and makes
// one harmless first call (ApiOpenCluster), then classifies what the server did. Outside the wire, or
// without credentials, every check is NOT-TESTED with the reason.
import { randomBytes } from 'node:crypto';
import type { Observation, Outcome } from '../recorder/observation';
import { targetOptions, type RunConfig } from '../run-config/config';
import { DYNAMIC_ENDPOINTS, R1_NAME, REFUSES_LOW_LEVELS, TRANSPORT_CHECKS, plannedTransportChecks, transportTestName, type TransportCheck, type Way } from './transport-checks';
import type { ProtocolVersion } from '../../cmrp/constants';
import { accountName, clusapiSyntax, parseDcerpcAddress, securityFor, type DcerpcAuth } from '../target/dcerpc';
import { wireAuth } from '../target/resolve';
import { isBuiltinWire } from '../target/builtin-spec';
import { startWireFace } from '../target/builtin-wire';
import { AuthError, RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, Secret, credentials, type RpcAuthLevel, type RpcAuthType } from '../../wire/auth';
import { CLUSAPI } from '../../wire/clusapi';
import { context } from '../../wire/rpc/client/association';
import { RpcClientConnection, resultText, type ConnectionLimits, type Endpoint } from '../../wire/rpc/client/connection';
import { eptMap } from '../../wire/rpc/client/epm';
import { RESULT, faultName } from '../../wire/rpc/constants';
import { RpcBindError, RpcTransportError } from '../../wire/rpc/errors';

export { TRANSPORT_CHECKS, TRANSPORT_CLAUSES, TRANSPORT_TEST, plannedTransportChecks, transportTestName, type TransportCheck, type Way } from './transport-checks';

/** ERROR_ACCESS_DENIED: the status (or fault) of a refused call. */
const ACCESS_DENIED = 5;

/** What a server did with one connection attempt and its first call. */
export type Attempt =
  /** The bind was accepted and no call was asked for. */
  | { kind: 'bound'; detail: string }
  | { kind: 'served'; detail: string }
  | { kind: 'refused'; detail: string }
  /** The call ran and answered a status that is neither success nor access denied. */
  | { kind: 'other'; detail: string }
  /** The interface version was not bound (the server does not offer it). */
  | { kind: 'unbound'; detail: string }
  /** The server broke the protocol or did not answer in time. */
  | { kind: 'error'; detail: string };

const AUTH_TYPE: Record<'spnego' | 'ntlm', RpcAuthType> = { spnego: RPC_C_AUTHN.GSS_NEGOTIATE, ntlm: RPC_C_AUTHN.WINNT };
const AUTH_LEVEL: Record<'connect' | 'integrity' | 'privacy', RpcAuthLevel> = {
  connect: RPC_C_AUTHN_LEVEL.CONNECT,
  integrity: RPC_C_AUTHN_LEVEL.PKT_INTEGRITY,
  privacy: RPC_C_AUTHN_LEVEL.PKT_PRIVACY,
};
const LABEL = { spnego: 'SPNEGO(NTLM)', ntlm: 'NTLM', connect: 'connect', integrity: 'packet integrity', privacy: 'packet privacy' } as const;

const NOT_ON_WIRE = 'only observable on the DCE/RPC wire: run the suite against a dcerpc:HOST[:PORT] target (the builtin reference judges them over its own wire face unless builtin:inproc)';
const NO_CREDENTIALS = 'needs authenticated RPC: the run has no credentials (--auth none); give --user DOMAIN\\NAME and CMRP_PASSWORD';

export interface TransportDeps {
  /** The environment CMRP_PASSWORD is read from (the Jest worker's, inherited from the CLI). */
  env?: Record<string, string | undefined>;
  /** The endpoint mapper's port, for tests (135). */
  epmPort?: number;
}

/**
 * Runs the checks that apply to the run's protocol version and selection; returns one observation per
 * planned check, in plannedTransportChecks' order. Never throws for what a server does: that is an
 * observation.
 */
export async function runTransportChecks(config: RunConfig, deps: TransportDeps = {}): Promise<Observation[]> {
  const version = config.protocolVersion;
  const planned = plannedTransportChecks(config);
  const r1 = planned.filter((p) => p.clause === DYNAMIC_ENDPOINTS);
  const checks = TRANSPORT_CHECKS.filter((c) => planned.some((p) => p.clause === c.clause && p.name === c.name));
  const observe = (clause: string, name: string, outcome: Outcome, message: string): Observation => ({
    clause,
    outcome,
    test: transportTestName(name),
    protocolVersion: version,
    message,
  });

  // builtin (all but builtin:inproc): the checks go to the reference's wire face, served here for them
  // alone, as they would go to any dcerpc: server (its accounts' passwords stay in this process:
  // face.reach.env is no environment).
  if (isBuiltinWire(config.target)) {
    const face = await startWireFace(config.target, { timeoutMultiplier: config.timeoutMultiplier });
    try {
      // Named without its port, the face is found through its endpoint mapper, as 2.1/R1 has it.
      const { target, user, readUser, env, epmPort } = face.reach;
      return await runTransportChecks({ ...config, target: target.replace(/:\d+$/, ''), user, readUser, auth: undefined, authLevel: undefined }, { ...deps, env, epmPort });
    } finally {
      await face.close();
    }
  }
  if (!config.target.startsWith('dcerpc:')) {
    return [...checks, ...r1].map((c) => observe(c.clause, c.name, 'not-tested', NOT_ON_WIRE));
  }
  const address = parseDcerpcAddress(config.target.slice('dcerpc:'.length));
  const auth = wireAuth(config.target, targetOptions(config), deps.env ?? process.env);
  const multiplier = config.timeoutMultiplier;
  const limits: ConnectionLimits = { connectTimeoutMs: 5000 * multiplier };
  const callTimeoutMs = 10_000 * multiplier;
  const observations: Observation[] = [];

  let port = address.port;
  if (port === undefined) {
    const mapped = await mapPort(address.host, version, limits, deps.epmPort);
    if (r1.length) {
      observations.push(
        typeof mapped === 'number'
          ? observe(DYNAMIC_ENDPOINTS, R1_NAME, 'pass', `ept_map on ${address.host} gave port ${mapped} for clusapi ${version}.0`)
          : observe(DYNAMIC_ENDPOINTS, R1_NAME, 'fail', `ept_map on ${address.host} gave no port for clusapi ${version}.0: ${mapped.error}`),
      );
    }
    if (typeof mapped !== 'number') {
      return [...observations, ...checks.map((c) => observe(c.clause, c.name, 'error', `no endpoint for clusapi ${version}.0 on ${address.host}: ${mapped.error}`))];
    }
    port = mapped;
  } else if (r1.length) {
    observations.push(observe(DYNAMIC_ENDPOINTS, R1_NAME, 'not-tested', 'the run names the port (dcerpc:HOST:PORT), so the endpoint mapper is not asked (second reading of 2.1/R1)'));
  }
  const endpoint: Endpoint = { host: address.host, port };

  for (const check of checks) {
    if (check.way.auth && !auth) {
      observations.push(observe(check.clause, check.name, 'not-tested', NO_CREDENTIALS));
      continue;
    }
    // A bind without authentication judges 2.1/R14 only when the run has credentials: an unauthenticated
    // run is one against a server the user has chosen to reach without them.
    if (check.clause === REFUSES_LOW_LEVELS && !auth) {
      observations.push(observe(check.clause, check.name, 'not-tested', NO_CREDENTIALS));
      continue;
    }
    // Interface binds (2.1/R3, R4, R11) go the run's own way: authenticated when it is.
    const attemptAuth = check.way.auth && auth ? authFor(check.way.auth, auth) : check.expect === 'bound' ? auth : undefined;
    const attempt = await attemptCall(endpoint, address.host, version, attemptAuth, limits, check.expect === 'bound' ? undefined : callTimeoutMs);
    observations.push(observe(check.clause, check.name, outcomeOf(check, attempt), messageOf(check, attempt, attemptAuth)));
  }
  return observations;
}

async function mapPort(host: string, version: ProtocolVersion, limits: ConnectionLimits, epmPort?: number): Promise<number | { error: string }> {
  try {
    return await eptMap(host, clusapiSyntax(version), limits, epmPort);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The run's account, or a variant of it the server must not accept, at the check's type and level. */
function authFor(way: NonNullable<Way['auth']>, run: DcerpcAuth): DcerpcAuth {
  const { domain, user, password } = run.credentials;
  let account = { domain, user };
  let secret: Secret = password;
  if (way.account === 'wrong-password') secret = new Secret(`wrong-${randomBytes(12).toString('base64url')}`);
  if (way.account === 'unknown-user') account = { domain, user: `${user}-unknown-${randomBytes(4).toString('hex')}` };
  return { authType: AUTH_TYPE[way.type], authLevel: AUTH_LEVEL[way.level], credentials: credentials(account, secret) };
}

function outcomeOf(check: TransportCheck, attempt: Attempt): Outcome {
  if (attempt.kind === 'error') return 'error';
  if (check.expect === 'bound') return attempt.kind === 'bound' ? 'pass' : 'fail';
  if (attempt.kind === 'unbound') return check.expect === 'served' ? 'fail' : 'inconclusive';
  if (attempt.kind === 'other' || attempt.kind === 'bound') return 'inconclusive';
  return attempt.kind === check.expect ? 'pass' : 'fail';
}

function messageOf(check: TransportCheck, attempt: Attempt, auth: DcerpcAuth | undefined): string {
  const how = auth
    ? `${auth.authType === RPC_C_AUTHN.GSS_NEGOTIATE ? LABEL.spnego : LABEL.ntlm} at ${levelLabel(auth.authLevel)} as ${accountName(auth.credentials)}${check.way.auth?.account === 'wrong-password' ? ' with a wrong password' : ''}`
    : 'without authentication';
  const expected = {
    bound: 'expected the bind to be accepted',
    served: 'expected the server to serve the call',
    refused: 'expected the server to refuse the client (bind refused, call faulted or ERROR_ACCESS_DENIED, or connection closed)',
  }[check.expect];
  return `${check.name}: ${how}: ${attempt.detail}; ${expected}`;
}

function levelLabel(level: number): string {
  return level === RPC_C_AUTHN_LEVEL.CONNECT ? LABEL.connect : level === RPC_C_AUTHN_LEVEL.PKT_INTEGRITY ? LABEL.integrity : LABEL.privacy;
}

/**
 * One connection, one bind of `version` (authenticated as `auth` says), one ApiOpenCluster unless
 * `callTimeoutMs` is undefined, then the connection is closed (the server runs the handle down). Every
 * way a server can say no is "refused": a bind_nak, a fault in answer to the alter_context, a call
 * fault, ERROR_ACCESS_DENIED, the connection closed, a SPNEGO reject.
 */
export async function attemptCall(endpoint: Endpoint, host: string, version: ProtocolVersion, auth: DcerpcAuth | undefined, limits: ConnectionLimits, callTimeoutMs?: number): Promise<Attempt> {
  let connection: RpcClientConnection;
  try {
    connection = await RpcClientConnection.open(endpoint, limits);
  } catch (error) {
    return { kind: 'error', detail: (error as Error).message };
  }
  try {
    let ack;
    try {
      ack = await connection.bind(1, [context(clusapiSyntax(version))], 0, securityFor(auth, host).security?.());
    } catch (error) {
      return classify(error, 'the bind');
    }
    const [result] = ack.results;
    if (result.result !== RESULT.acceptance) return { kind: 'unbound', detail: `the bind of clusapi ${version}.0 was not accepted (${resultText(result.result, result.reason)})` };
    if (callTimeoutMs === undefined) return { kind: 'bound', detail: `the bind of clusapi ${version}.0 over ncacn_ip_tcp ${endpoint.host}:${endpoint.port} was accepted` };
    const codec = CLUSAPI.ApiOpenCluster;
    let outcome;
    try {
      outcome = await connection.call(2, 0, codec.opnum, codec.encodeRequest(version, []), callTimeoutMs);
    } catch (error) {
      return classify(error, 'the call');
    }
    if (outcome.fault !== undefined) return { kind: 'refused', detail: `the call faulted with ${faultName(outcome.fault)}` };
    let reply;
    try {
      reply = codec.decodeResponse(version, outcome.stub);
    } catch (error) {
      return { kind: 'error', detail: `the response does not decode: ${(error as Error).message}` };
    }
    if (reply.status === 0) return { kind: 'served', detail: 'Status ERROR_SUCCESS (0x0) and a cluster handle' };
    if (reply.status === ACCESS_DENIED) return { kind: 'refused', detail: 'Status ERROR_ACCESS_DENIED (0x5)' };
    return { kind: 'other', detail: `Status 0x${(reply.status >>> 0).toString(16)}` };
  } finally {
    connection.close();
  }
}

function classify(error: unknown, what: string): Attempt {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RpcBindError) return { kind: 'refused', detail: `${what} was refused: ${message}` };
  if (error instanceof RpcTransportError && error.kind === 'closed') return { kind: 'refused', detail: `the server closed the connection during ${what}: ${message}` };
  // A SPNEGO negState reject is the server saying no in the protocol's own words.
  if (error instanceof AuthError && error.kind === 'logon-failure') return { kind: 'refused', detail: `the server rejected the authentication: ${message}` };
  // Anything else (a protocol violation, a bad signature, a timeout) is the server's error.
  return { kind: 'error', detail: `${what}: ${message}` };
}
