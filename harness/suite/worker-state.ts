// What the suite files of one worker process share. This module is loaded once per worker
// (./suite-environment.ts), and a worker runs the files of one run against one target, so what depends
// only on the target, the profile and the protocol version is learned by the first file that needs it
// and reused by the others: over the wire each such probe is a handful of authenticated connections and
// calls, and the later files could only learn the same again.
import type { Target } from '../../cmrp/contract';
import type { RoleBindings } from '../profile/bindings';
import { allowProperties, bindRolesOnly, type BindOptions } from '../profile/resolve';
import { targetOptions, type RunConfig } from '../run-config/config';
import { createTarget } from '../target/resolve';
import type { KnownServer } from '../target/dcerpc';

/** What a dcerpc target's start-up probes found (the versions it binds, its version 2 ports), by target spec. */
const probed = new Map<string, KnownServer>();

/**
 * A suite file's own target. The first file's target probes the server (a dcerpc target: the versions
 * bound, the account, version 2 ports); later files' targets start from what it found. The preflight
 * probed the same server before the run, so a server that changes between files is not one the run can
 * judge anyway; one that stops answering makes the first call of the next sequence ERROR instead.
 */
export async function fileTarget(config: RunConfig): Promise<Target> {
  const known = probed.get(config.target);
  const target = await createTarget(config.target, { ...targetOptions(config), ...(known ? { known } : {}) });
  const { protocolVersions, notifyV2 } = target.capabilities;
  if (!known) probed.set(config.target, { protocolVersions: [...protocolVersions], notifyV2 });
  return target;
}

/** Role bindings by what they depend on: the target, the profile, the protocol version. */
const boundRoles = new Map<string, Promise<RoleBindings>>();

/**
 * The role bindings of a suite file. The first file binds them on the initial cluster (a profile's names
 * checked, or the cluster discovered); every scripted sequence starts from that cluster again (a Reset,
 * or the in-band stimuli undoing their own changes), so discovering it anew for each file (a Reset, a
 * connection and some fifty calls over the wire) could only find the same names. A binding that failed is
 * not kept: the next file tries again, and the clauses of each file that could not bind are ERROR on their
 * own. The bindings' property policy belongs to each file's target, so every one is given it.
 */
export function workerRoles(options: BindOptions): Promise<RoleBindings> {
  const key = JSON.stringify([options.targetSpec, options.profile ?? null, options.protocolVersion]);
  let bound = boundRoles.get(key);
  if (!bound) {
    bound = bindRolesOnly(options);
    boundRoles.set(key, bound);
    bound.catch(() => boundRoles.delete(key));
  }
  return bound.then((bindings) => allowProperties(options.target, bindings));
}
