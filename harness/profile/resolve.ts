// The run's role bindings: from --profile FILE when given; for the builtin target, from its cluster (the
// default one or its cluster= file); otherwise discovered in-band through the open calls of the contract.
import { propertyPolicy, type PropertyPolicy } from './properties';
import { DEFAULT_CLUSTER, loadClusterFile, type ClusterData } from '../../reference';
import { ERROR, type ProtocolVersion } from '../../cmrp/constants';
import { TargetError, type ClusapiConnection, type Reply, type Target } from '../../cmrp/contract';
import { RoleBindings } from './bindings';
import { profileFromCluster } from './derive';
import { OWN_KEYS, canEnumerate, discoverByEnumeration } from './discover';
import { loadProfileFile } from './load';
import { ROLE_NAMES, type Role } from './roles';

/** The cluster file of a `builtin[:...,cluster=FILE]` spec, or undefined for another target. */
function builtinCluster(spec: string): ClusterData | undefined {
  if (spec !== 'builtin' && !spec.startsWith('builtin:')) return undefined;
  const file = /(?:^builtin:|,)cluster=([^,]+)/.exec(spec)?.[1];
  return file === undefined ? DEFAULT_CLUSTER : loadClusterFile(file);
}

export interface BindOptions {
  targetSpec: string;
  /** --profile FILE (absolute, or relative to the working directory). */
  profile?: string;
  target: Target;
  protocolVersion: ProtocolVersion;
  /** Each probing call's limit. */
  callMs: number;
}

/**
 * The bindings known without touching the target (for `plan`): a profile's names as written (a run
 * checks each in-band first), or the builtin target's cluster; undefined when the run would discover them.
 */
export function staticBindings(targetSpec: string, profile?: string): RoleBindings | undefined {
  if (profile !== undefined) {
    const p = loadProfileFile(profile);
    return RoleBindings.of(p, `--profile ${profile} (names as written; the run opens each first)`);
  }
  const cluster = builtinCluster(targetSpec);
  return cluster ? RoleBindings.of(profileFromCluster(cluster), `the builtin target's cluster ${cluster.name}`, 'all') : undefined;
}

/**
 * One binding, its property policy given to `options.target`. A run binds once per worker and gives each
 * file's target the policy (harness/suite/worker-state.ts); this is the one-off form.
 */
export async function bindRoles(options: BindOptions): Promise<RoleBindings> {
  return allowProperties(options.target, await bindRolesOnly(options));
}

/** Gives `target`'s in-band stimuli the property policy of `bindings`; returns the bindings. */
export function allowProperties(target: Target, bindings: RoleBindings): RoleBindings {
  // In-band stimuli set properties only where the bindings allow it (./properties.ts). Duck-typed: this
  // folder does not import harness/stimulus, which imports it.
  const control = target.control as { allowProperties?: (policy: PropertyPolicy) => void } | undefined;
  control?.allowProperties?.(propertyPolicy(bindings));
  return bindings;
}

/** The bindings alone, without giving any target their property policy (see allowProperties). */
export async function bindRolesOnly(options: BindOptions): Promise<RoleBindings> {
  if (options.profile !== undefined) {
    const profile = loadProfileFile(options.profile);
    return verifiedProfile(options, profile.roles, new Set(profile.disposable ?? []), profile.properties ?? {});
  }
  const cluster = builtinCluster(options.targetSpec);
  // The builtin target's cluster lives only for the run: every role is the suite's to change.
  if (cluster) return RoleBindings.of(profileFromCluster(cluster), `the builtin target's cluster ${cluster.name}`, 'all');
  return discoverRoles(options);
}

/**
 * Without a profile, a role is bound only to an object the server is seen to have: each candidate name is
 * opened in-band; a target that cannot be connected to or does not answer a probe fails the binding (the
 * clauses of the file that needed it are ERROR), never leaves roles silently unbound. A target that serves
 * the management methods is enumerated (ApiCreateEnum: discover.ts), so its own names are found; for any
 * other the candidates are the default cluster's role names, and what no probe binds makes its clauses
 * NOT-TESTED with that reason.
 */
async function discoverRoles(options: BindOptions): Promise<RoleBindings> {
  const candidates = profileFromCluster(DEFAULT_CLUSTER).roles;
  const found: Partial<Record<Role, string>> = {};
  // Discovery must see the cluster every sequence starts from, not what the previous suite file's last
  // sequence left (a group failed over, a node lost, the server read-only): roles chosen from a changed
  // cluster name objects whose initial state the sequences then misread. A control adapter offering
  // Reset restores it first (the in-band stimuli's Reset only undoes their own changes: not needed).
  const control = options.target.control;
  if (control?.verbs.has('Reset') && control.unsettled === undefined) await control.apply({ verb: 'Reset' });
  let connection: ClusapiConnection | undefined;
  try {
    connection = await options.target.connect({ protocolVersion: options.protocolVersion, accessLevel: 'full' });
    // A server with the management methods is asked what it has (ApiCreateEnum): its own names.
    if (options.target.capabilities.management && canEnumerate(connection)) {
      const { roles, unbound } = await discoverByEnumeration(connection, options.callMs);
      // The keys discovery created do not outlive a control adapter's Reset: the interpreter makes them again after one.
      const created = roles.key === OWN_KEYS.key ? Object.values(OWN_KEYS) : [];
      return new RoleBindings(roles, 'in-band discovery (ApiCreateEnum)', 'no --profile names it, and in-band discovery found no object for it', unbound, undefined, created);
    }
    for (const role of ROLE_NAMES) {
      const name = candidates[role];
      if (name !== undefined && (await opens(connection, role, name, options.callMs))) found[role] = name;
    }
  } finally {
    // A fault at Disconnect is a fault like any other: it fails the binding (the file's clauses ERROR).
    await connection?.close();
  }
  return new RoleBindings(found, 'in-band discovery', 'no --profile names it, and no object of the default names answered ApiOpen* on the target');
}

/**
 * A profile's names, each checked in-band where the contract can open it: a name the target does not open
 * leaves its role unbound, so the clauses that need it are NOT-TESTED saying so (not ERROR at a setup step).
 */
async function verifiedProfile(options: BindOptions, names: Partial<Record<Role, string>>, disposable: ReadonlySet<Role>, properties: Partial<Record<Role, string[]>>): Promise<RoleBindings> {
  const source = `--profile ${options.profile}`;
  const kept: Partial<Record<Role, string>> = {};
  const refused: Partial<Record<Role, string>> = {};
  let connection: ClusapiConnection | undefined;
  try {
    connection = await options.target.connect({ protocolVersion: options.protocolVersion, accessLevel: 'full' });
    for (const role of ROLE_NAMES) {
      const name = names[role];
      if (name === undefined) continue;
      if (role === 'cluster' || role === 'resourceType' || (await opens(connection, role, name, options.callMs))) kept[role] = name;
      else refused[role] = `${source} names '${name}', which the target does not open`;
    }
  } finally {
    // A fault at Disconnect is a fault like any other: it fails the binding (the file's clauses ERROR).
    await connection?.close();
  }
  return new RoleBindings(kept, source, `${source} binds no name to it`, refused, disposable, [], properties);
}

async function opens(connection: ClusapiConnection, role: Role, name: string, callMs: number): Promise<boolean> {
  const within = async <T extends object>(call: Promise<Reply<T>>): Promise<Reply<T> | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), callMs)));
    try {
      const reply = await Promise.race([call, limit]);
      // A probe that hangs is the target's fault, not the object's absence: binding no role here would
      // turn every clause that needs one into NOT-TESTED and the run green by accident. It is an ERROR
      // of the clauses of the file that probed, like any other call that does not answer.
      if (reply === undefined) throw new TargetError(`role discovery: open of ${role} '${name}'`, 'timeout', `no answer within ${callMs} ms (if the target is only slow, give it more time with --timeout-multiplier)`);
      return reply;
    } finally {
      clearTimeout(timer);
    }
  };
  const ok = (reply: Reply | undefined) => reply !== undefined && reply.fault === undefined && reply.status === ERROR.SUCCESS;
  switch (role) {
    case 'node':
    case 'node2': {
      const r = await within(connection.ApiOpenNode(name));
      if (ok(r)) await within(connection.ApiCloseNode((r as { hNode: string }).hNode));
      return ok(r);
    }
    case 'group':
    case 'group3':
    case 'group2': {
      const r = await within(connection.ApiOpenGroup(name));
      if (ok(r)) await within(connection.ApiCloseGroup((r as { hGroup: string }).hGroup));
      return ok(r);
    }
    case 'resource':
    case 'resource2': {
      const r = await within(connection.ApiOpenResource(name));
      if (ok(r)) await within(connection.ApiCloseResource((r as { hResource: string }).hResource));
      return ok(r);
    }
    case 'network':
    case 'network2': {
      const r = await within(connection.ApiOpenNetwork(name));
      if (ok(r)) await within(connection.ApiCloseNetwork((r as { hNetwork: string }).hNetwork));
      return ok(r);
    }
    case 'netInterface':
    case 'netInterface2': {
      const r = await within(connection.ApiOpenNetInterface(name));
      if (ok(r)) await within(connection.ApiCloseNetInterface((r as { hNetInterface: string }).hNetInterface));
      return ok(r);
    }
    case 'key':
    case 'subkey':
    case 'key2': {
      // KEY_READ: the probe only needs to see that the key exists.
      const root = await within(connection.ApiGetRootKey(0x20019));
      if (!ok(root)) return false;
      const hRoot = (root as { hKey: string }).hKey;
      const r = await within(connection.ApiOpenKey(hRoot, name, 0x20019));
      if (ok(r)) await within(connection.ApiCloseKey((r as { phKey: string }).phKey));
      await within(connection.ApiCloseKey(hRoot));
      return ok(r);
    }
    case 'cluster':
    case 'resourceType':
      // No call of the contract returns the cluster's name or opens a resource type.
      return false;
  }
}
