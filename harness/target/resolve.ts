// Target specs on the command line -> Target bindings.
import { TargetUnreachableError, UsageError } from '../../cmrp/errors';
import { ADAPTER_TARGET_FORMS } from './adapter/forms';
import { DCERPC_TARGET_FORM } from './forms';
import type * as AdapterTargets from './adapter';
import { createBuiltinTarget } from './builtin';
import { BUILTIN_FORMS, inProcessOptions, parseBuiltinSpec } from './builtin-spec';
import { loadClusterFile } from '../../reference';
import { TargetError, type Target } from '../../cmrp/contract';
import type * as DcerpcTargets from './dcerpc';
import type { DcerpcAddress, DcerpcAuth, KnownServer } from './dcerpc';
import { RPC_C_AUTHN, RPC_C_AUTHN_LEVEL } from '../../wire/auth/rpc/constants';
import { Secret, credentials, parseAccount, type Account } from '../../wire/auth/core/credentials';
import { withInbandStimuli } from '../stimulus/inband';
import { defaultTimeouts } from '../session/session';
import { haltable } from './halt';

// The adapter and DCE/RPC stacks (NTLM, SPNEGO, NDR, the clusapi stubs) load on first use: a builtin run,
// in the CLI and in every Jest worker, never needs them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const adapterTargets = (): typeof AdapterTargets => require('./adapter') as typeof AdapterTargets;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dcerpcTargets = (): typeof DcerpcTargets => require('./dcerpc') as typeof DcerpcTargets;

export const TARGET_FORMS = `${BUILTIN_FORMS}, ${ADAPTER_TARGET_FORMS}, ${DCERPC_TARGET_FORM}`;

/** --auth values of a dcerpc target: SPNEGO (NTLM inside; the default), raw NTLMSSP, or none. */
export const AUTH_VALUES = ['spnego', 'ntlm', 'none'] as const;
/** --auth-level values: RPC_C_AUTHN_LEVEL_CONNECT, _PKT_INTEGRITY, _PKT_PRIVACY (the default). */
export const AUTH_LEVEL_VALUES = ['connect', 'integrity', 'privacy'] as const;
/** The only place a password comes from: never a flag, never a file. */
export const PASSWORD_ENV = 'CMRP_PASSWORD';
/** Where the password of --read-user comes from, the same way. */
export const READ_PASSWORD_ENV = 'CMRP_READ_PASSWORD';

const AUTH_TYPES = { spnego: RPC_C_AUTHN.GSS_NEGOTIATE, ntlm: RPC_C_AUTHN.WINNT } as const;
const AUTH_LEVELS = { connect: RPC_C_AUTHN_LEVEL.CONNECT, integrity: RPC_C_AUTHN_LEVEL.PKT_INTEGRITY, privacy: RPC_C_AUTHN_LEVEL.PKT_PRIVACY } as const;

export interface TargetOptions {
  /** Scales the adapter's own timeouts (start, Connect, control verbs) like the call timeouts. */
  timeoutMultiplier?: number;
  /** --control SPEC: the control adapter of a wire target (an adapter spec offering control verbs). */
  control?: string;
  /** --auth of a dcerpc target: spnego (default), ntlm or none. */
  auth?: string;
  /** --auth-level of a dcerpc target: connect, integrity or privacy (default). */
  authLevel?: string;
  /** --user DOMAIN\NAME of a dcerpc target (required unless --auth none). */
  user?: string;
  /** The password; absent, it is read from CMRP_PASSWORD when needed. A Secret never prints. */
  password?: Secret;
  /** --read-user DOMAIN\NAME of a dcerpc target: an account the server gives Read access only. */
  readUser?: string;
  /** Its password; absent, it is read from CMRP_READ_PASSWORD. */
  readPassword?: Secret;
  /** --stimuli: control (the control adapter only), inband (MS-CMRP's management methods only), auto (default: control where offered, else in-band). */
  stimuli?: string;
  /** --node-target dcerpc:HOST[:PORT] (repeatable): the endpoints of the cluster's other nodes. */
  nodeTargets?: string[];
  /** What an earlier target of the same dcerpc spec found by its start-up probes: they are skipped. */
  known?: KnownServer;
}

export async function createTarget(spec: string, options: TargetOptions = {}): Promise<Target> {
  const stimuli = options.stimuli ?? 'auto';
  if (!(STIMULI_VALUES as readonly string[]).includes(stimuli)) throw new UsageError(`--stimuli '${stimuli}': expected one of ${STIMULI_VALUES.join(', ')}`);
  const target = await createBareTarget(spec, options);
  try {
    return withHaltableControl(chooseStimuli(target, stimuli as (typeof STIMULI_VALUES)[number], options));
  } catch (error) {
    await target.dispose();
    throw error;
  }
}

/** The target with its control (if any) refusing stimuli once an interrupted run halts them (halt.ts). */
function withHaltableControl(target: Target): Target {
  if (!target.control) return target;
  const control = haltable(target.control);
  return new Proxy(target, {
    get(t, key) {
      if (key === 'control') return control;
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

/** --stimuli values (docs/stimuli.md). */
export const STIMULI_VALUES = ['auto', 'control', 'inband'] as const;

/**
 * Where the target's stimuli come from. control: its control adapter, if any (else the clauses that need one
 * are NOT-TESTED). inband: MS-CMRP's own management methods on a connection of the suite's own (the target
 * must serve them), never the control adapter. auto: the control adapter where the target has one, else
 * in-band where it serves the management methods.
 */
function chooseStimuli(target: Target, stimuli: (typeof STIMULI_VALUES)[number], options: TargetOptions): Target {
  if (stimuli === 'control' || (stimuli === 'auto' && target.control)) return target;
  if (!target.capabilities.management) {
    if (stimuli === 'auto') return target;
    throw new UsageError(`--stimuli inband: the target ${target.description} does not serve MS-CMRP's management methods (an adapter declares them with capabilities.management)`);
  }
  if (stimuli === 'inband' && options.control !== undefined) throw new UsageError('--stimuli inband takes no --control: in-band stimuli come through the target itself');
  const version = target.capabilities.protocolVersions.includes(3) ? 3 : 2;
  const inband = withInbandStimuli({ ...target, control: undefined, connect: (o) => target.connect(o), dispose: () => target.dispose() }, {
    protocolVersion: version,
    callMs: defaultTimeouts(options.timeoutMultiplier ?? 1).callMs,
  });
  return { ...inband, description: `${target.description}; stimuli in-band through MS-CMRP` };
}

async function createBareTarget(spec: string, options: TargetOptions): Promise<Target> {
  if (options.auth !== undefined && !(AUTH_VALUES as readonly string[]).includes(options.auth)) {
    throw new UsageError(`--auth '${options.auth}': expected one of ${AUTH_VALUES.join(', ')}`);
  }
  if (options.authLevel !== undefined && !(AUTH_LEVEL_VALUES as readonly string[]).includes(options.authLevel)) {
    throw new UsageError(`--auth-level '${options.authLevel}': expected one of ${AUTH_LEVEL_VALUES.join(', ')}`);
  }
  if (spec.startsWith('dcerpc:')) return createWireTarget(spec, options);
  if (options.auth !== undefined) throw new UsageError(`--auth goes with a dcerpc target, not --target ${spec}`);
  if (options.authLevel !== undefined) throw new UsageError(`--auth-level goes with a dcerpc target, not --target ${spec}`);
  if (options.user !== undefined) throw new UsageError(`--user goes with a dcerpc target, not --target ${spec}`);
  if (options.readUser !== undefined) throw new UsageError(`--read-user goes with a dcerpc target, not --target ${spec}`);
  if (options.nodeTargets?.length) throw new UsageError(`--node-target goes with a dcerpc target, not --target ${spec} (builtin connects to every node of its cluster)`);
  if (options.control !== undefined) throw new UsageError(`--control goes with a dcerpc target; --target ${spec} has its own control adapter`);
  if (spec === 'builtin' || spec.startsWith('builtin:')) return builtinTarget(spec);
  const adapter = await adapterTargets().createAdapterTargetFromSpec(spec, options);
  if (adapter) return adapter;
  throw new UsageError(`--target ${spec}: unknown target form (expected ${TARGET_FORMS})`);
}

/**
 * `builtin[:inproc|:wire][,mutant=NAME|variant=NAME][,cluster=FILE]` (in any order; FILE is the rest of its item).
 * This is its in-process face; unless `inproc`, the suites reach its wire face themselves (builtin-wire.ts).
 */
function builtinTarget(spec: string): Target {
  const parsed = parseBuiltinSpec(spec, TARGET_FORMS)!;
  try {
    const cluster = parsed.cluster === undefined ? undefined : loadClusterFile(parsed.cluster);
    const target = createBuiltinTarget({ ...inProcessOptions(parsed), ...(cluster ? { cluster, clusterFile: parsed.cluster } : {}) });
    const face = parsed.wire ? ` with its wire face${parsed.mutant !== undefined && !inProcessOptions(parsed).mutant ? ` (wire mutant ${parsed.mutant})` : ''}` : ', in process only (no wire face)';
    return { ...target, description: `${target.description}${face}` };
  } catch (error) {
    throw new UsageError(`--target ${spec}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * How a dcerpc target authenticates, from --auth (default spnego), --auth-level (default privacy),
 * --user and CMRP_PASSWORD; undefined for --auth none. Every mistake is a one-line UsageError that
 * names the flag or the variable, and the account at most: never the password.
 */
export function wireAuth(spec: string, options: TargetOptions, env: Record<string, string | undefined> = process.env): DcerpcAuth | undefined {
  const auth = (options.auth ?? 'spnego') as (typeof AUTH_VALUES)[number];
  if (auth === 'none') {
    if (options.authLevel !== undefined) throw new UsageError('--auth-level goes with --auth spnego or ntlm, not --auth none');
    if (options.user !== undefined) throw new UsageError('--user goes with --auth spnego or ntlm, not --auth none');
    if (options.readUser !== undefined) throw new UsageError('--read-user goes with --auth spnego or ntlm, not --auth none');
    return undefined;
  }
  if (options.user === undefined) {
    throw new UsageError(`--target ${spec}: --user DOMAIN\\NAME is required with --auth ${auth} (the password comes from ${PASSWORD_ENV}); --auth none connects unauthenticated`);
  }
  let account: Account;
  try {
    account = parseAccount(options.user);
  } catch (error) {
    throw new UsageError(`--user: ${(error as Error).message}`);
  }
  const password = options.password ?? (env[PASSWORD_ENV] ? new Secret(env[PASSWORD_ENV]) : undefined);
  if (!password || password.reveal() === '') {
    throw new UsageError(`${PASSWORD_ENV} is not set: the password of ${dcerpcTargets().accountName(account)} comes from that environment variable (there is no --password flag)`);
  }
  return {
    authType: AUTH_TYPES[auth],
    authLevel: AUTH_LEVELS[(options.authLevel ?? 'privacy') as (typeof AUTH_LEVEL_VALUES)[number]],
    credentials: credentials(account, password),
  };
}

/**
 * The Read-level account of a dcerpc target (--read-user, password from CMRP_READ_PASSWORD), authenticating
 * as the full account does; undefined without --read-user. Mistakes are one-line UsageErrors, never the password.
 */
export function wireReadAuth(auth: DcerpcAuth | undefined, options: TargetOptions, env: Record<string, string | undefined> = process.env): DcerpcAuth | undefined {
  if (options.readUser === undefined) return undefined;
  if (!auth) throw new UsageError('--read-user goes with --auth spnego or ntlm, not --auth none');
  let account: Account;
  try {
    account = parseAccount(options.readUser);
  } catch (error) {
    throw new UsageError(`--read-user: ${(error as Error).message}`);
  }
  if (account.user.toUpperCase() === auth.credentials.user.toUpperCase() && account.domain.toUpperCase() === auth.credentials.domain.toUpperCase()) {
    throw new UsageError(`--read-user ${dcerpcTargets().accountName(account)} is the --user account: give an account the server grants Read access only`);
  }
  const password = options.readPassword ?? (env[READ_PASSWORD_ENV] ? new Secret(env[READ_PASSWORD_ENV]) : undefined);
  if (!password || password.reveal() === '') {
    throw new UsageError(`${READ_PASSWORD_ENV} is not set: the password of ${dcerpcTargets().accountName(account)} (--read-user) comes from that environment variable (there is no flag for it)`);
  }
  return { ...auth, credentials: credentials(account, password) };
}

/** `dcerpc:HOST[:PORT]` with its authentication (SPNEGO at packet privacy unless told otherwise) and its optional --control adapter. */
async function createWireTarget(spec: string, options: TargetOptions): Promise<Target> {
  const auth = wireAuth(spec, options);
  const readAuth = wireReadAuth(auth, options);
  let address: DcerpcAddress;
  try {
    address = dcerpcTargets().parseDcerpcAddress(spec.slice('dcerpc:'.length));
  } catch (error) {
    throw new UsageError(`--target ${spec}: ${(error as Error).message}`);
  }
  const nodeEndpoints = (options.nodeTargets ?? []).map((text) => {
    if (!text.startsWith('dcerpc:')) throw new UsageError(`--node-target ${text}: expected dcerpc:HOST[:PORT], another node of the same cluster`);
    try {
      return dcerpcTargets().parseDcerpcAddress(text.slice('dcerpc:'.length));
    } catch (error) {
      throw new UsageError(`--node-target ${text}: ${(error as Error).message}`);
    }
  });
  let controlTarget: Target | undefined;
  if (options.control !== undefined) {
    controlTarget = await adapterTargets().createAdapterTargetFromSpec(options.control, options);
    if (!controlTarget) throw new UsageError(`--control ${options.control}: expected an adapter spec (${ADAPTER_TARGET_FORMS})`);
    if (!controlTarget.control) {
      await controlTarget.dispose();
      throw new UsageError(`--control ${options.control}: the adapter offers no control verbs`);
    }
  }
  try {
    return await dcerpcTargets().createDcerpcTarget(spec, address, {
      timeoutMultiplier: options.timeoutMultiplier,
      ...(auth ? { auth } : {}),
      ...(readAuth ? { readAuth } : {}),
      ...(nodeEndpoints.length ? { nodeEndpoints } : {}),
      ...(options.known ? { known: options.known } : {}),
      ...(controlTarget ? { control: controlTarget.control, disposeControl: () => controlTarget.dispose() } : {}),
    });
  } catch (error) {
    await controlTarget?.dispose();
    if (error instanceof TargetError) throw new TargetUnreachableError(`target ${spec}: ${error.message}`);
    throw error;
  }
}
