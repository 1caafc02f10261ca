// The names of what the suite creates on a server (groups, resources, nodes, networks, interfaces,
// resource types, registry keys and values): one recognisable prefix, `cmrp-conf-<runid>-`, so that a
// run touches only what it owns, cleans up after itself by that prefix, and the next run can tell the
// leftovers of a killed one from the cluster's own objects (docs/profiles.md, "Objects of its own").
import { randomBytes } from 'node:crypto';

/** Every name the suite creates starts with this, whatever the run. */
export const OWN_PREFIX_ROOT = 'cmrp-conf-';

/** The run id: shared by the CLI and its Jest workers through this variable (they inherit it). */
export const RUN_ID_ENV = 'CMRP_RUN_ID';

/** A run id: 6 lowercase base-36 characters (no '-', so the prefix's end is unambiguous). */
const RUN_ID = /^[0-9a-z]{6}$/;

/** `cmrp-conf-<6 chars>-` at the start of a name: an object some run of the suite created. */
export const OWN_NAME = /^cmrp-conf-[0-9a-z]{6}-/i;

export function newRunId(): string {
  let id = '';
  for (const byte of randomBytes(6)) id += (byte % 36).toString(36);
  return id;
}

/**
 * This process's run id: the CLI's (from CMRP_RUN_ID) in a run's Jest workers, else one made now and
 * published in the environment, so every later reader in this process and its children agrees.
 */
export function runId(env: Record<string, string | undefined> = process.env): string {
  const given = env[RUN_ID_ENV];
  if (given !== undefined && RUN_ID.test(given)) return given;
  const id = newRunId();
  env[RUN_ID_ENV] = id;
  return id;
}

/** The prefix of this run's objects. */
export function ownPrefix(id = runId()): string {
  return `${OWN_PREFIX_ROOT}${id}-`;
}

/** The server's name of an object of the suite's own that a sequence or property run calls `local`. */
export function ownName(local: string, id = runId()): string {
  return `${ownPrefix(id)}${local}`;
}

/** Whether a name (or a registry path's last component) is of an object some run of the suite created. */
export function isOwnName(name: string): boolean {
  return OWN_NAME.test(name);
}
