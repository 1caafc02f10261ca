// What the runner hands the suites in their Jest workers: the run's settings, in a JSON file named by
// the CMRP_RUN_CONFIG environment variable. Without it (a developer running a suite file directly with
// Jest) the suites judge the builtin reference in protocol version 3. A folder of its own: the runner,
// the suites and the property all read it, and the runner imports the suites' plan.
import { readFileSync } from 'node:fs';
import type { ProtocolVersion } from '../../cmrp/constants';

/**
 * How a target is reached besides its spec: what runs, replay files and replay commands carry. Never a
 * password: that stays in the CMRP_PASSWORD environment variable, which Jest workers inherit.
 */
export interface TargetReach {
  /** --control SPEC of a wire target. */
  control?: string;
  /** --auth of a wire target: spnego, ntlm or none. */
  auth?: string;
  /** --auth-level: connect, integrity or privacy. */
  authLevel?: string;
  /** --user DOMAIN\NAME. */
  user?: string;
  /** --profile FILE (absolute): the server's names for the roles the sequences use (docs/profiles.md). */
  profile?: string;
  /** --read-user DOMAIN\NAME: the Read-level account (its password stays in CMRP_READ_PASSWORD). */
  readUser?: string;
  /** --stimuli control|inband|auto: where stimuli come from (harness/stimulus/, docs/stimuli.md); absent = auto. */
  stimuli?: string;
  /** --node-target dcerpc:HOST[:PORT], repeatable: the endpoints of the cluster's other nodes. */
  nodeTargets?: string[];
}

/** One more cluster a run may use besides its first (--target and --control given once per cluster). */
export interface Cluster {
  target: string;
  control?: string;
}

export interface RunConfig extends TargetReach {
  target: string;
  /**
   * Clusters equivalent to the first (target and control above), for a `dcerpc:` run: a run's files may
   * share one cluster only one at a time, so each further cluster is one more worker. A worker keeps to
   * one cluster (its lane, laneOf below); the CLI checks and cleans every one.
   */
  moreClusters?: Cluster[];
  /** Where failed property runs leave replay files (default: reports/replays under the working directory). */
  replayDir?: string;
  protocolVersion: ProtocolVersion;
  /** Selected clause ids; absent = every clause. */
  clauseIds?: string[];
  timeoutMultiplier: number;
  seed: number;
  runs?: number;
  /** Where workers append observations; absent = observations are only asserted, not kept. */
  observationsDir?: string;
  /** The selection names clauses only (--clause): the property joins only for clauses no other file judges. */
  clausesOnly?: boolean;
}

export const RUN_CONFIG_ENV = 'CMRP_RUN_CONFIG';

/**
 * The run's settings as this process sees them: in a worker of a run over several clusters, the target
 * and control are the worker's own cluster's, so that nothing it judges, replays or names can reach
 * another's.
 */
export function loadRunConfig(): RunConfig {
  const path = process.env[RUN_CONFIG_ENV];
  if (!path) return { target: 'builtin', protocolVersion: 3, timeoutMultiplier: 1, seed: 42 };
  return laneOf(JSON.parse(readFileSync(path, 'utf8')) as RunConfig, process.env.JEST_WORKER_ID);
}

/**
 * The cluster of Jest's worker `workerId` (1, 2, ...; absent in band: the first). The runner starts one
 * worker per cluster at most, and a worker runs one file at a time, so no two files share a cluster at once.
 */
export function laneOf(config: RunConfig, workerId: string | undefined): RunConfig {
  const { moreClusters, ...rest } = config;
  if (!moreClusters?.length) return rest;
  const clusters = clustersOf(config);
  const id = Number(workerId);
  return onCluster(rest, clusters[Number.isInteger(id) && id >= 1 ? (id - 1) % clusters.length : 0]);
}

/** Every cluster of a run: the first (its target and control), then the others. */
export function clustersOf(config: Cluster & { moreClusters?: Cluster[] }): Cluster[] {
  return [{ target: config.target, ...(config.control !== undefined ? { control: config.control } : {}) }, ...(config.moreClusters ?? [])];
}

/** `config` with the target and control of `cluster` (and no other's control). */
export function onCluster<T extends Cluster>(config: T, cluster: Cluster): T {
  const { control: _other, ...rest } = config;
  return { ...rest, target: cluster.target, ...(cluster.control !== undefined ? { control: cluster.control } : {}) } as T;
}

/** The reach fields of any object that has them (and nothing else: no password can come along). */
export function reachOf(config: TargetReach): TargetReach {
  return {
    ...(config.control !== undefined ? { control: config.control } : {}),
    ...(config.auth !== undefined ? { auth: config.auth } : {}),
    ...(config.authLevel !== undefined ? { authLevel: config.authLevel } : {}),
    ...(config.user !== undefined ? { user: config.user } : {}),
    ...(config.profile !== undefined ? { profile: config.profile } : {}),
    ...(config.readUser !== undefined ? { readUser: config.readUser } : {}),
    ...(config.stimuli !== undefined ? { stimuli: config.stimuli } : {}),
    ...(config.nodeTargets?.length ? { nodeTargets: config.nodeTargets } : {}),
  };
}

/** What createTarget needs from the run's settings besides the spec. */
export function targetOptions(config: TargetReach & { timeoutMultiplier: number }): TargetReach & { timeoutMultiplier: number } {
  return { timeoutMultiplier: config.timeoutMultiplier, ...reachOf(config) };
}

/** The flags that reach a target as `reach` says, for a command line (the password stays in CMRP_PASSWORD). */
export function reachFlags(reach: TargetReach): string[] {
  const parts: string[] = [];
  if (reach.auth) parts.push(`--auth ${reach.auth}`);
  if (reach.authLevel) parts.push(`--auth-level ${reach.authLevel}`);
  if (reach.user) parts.push(`--user '${reach.user}'`);
  if (reach.readUser) parts.push(`--read-user '${reach.readUser}'`);
  for (const node of reach.nodeTargets ?? []) parts.push(`--node-target '${node}'`);
  if (reach.control) parts.push(`--control '${reach.control}'`);
  if (reach.profile) parts.push(`--profile '${reach.profile}'`);
  if (reach.stimuli) parts.push(`--stimuli ${reach.stimuli}`);
  return parts;
}

/** The command line that reruns one clause with the same settings (no secrets are ever in a target spec). */
export function replayCommand(config: RunConfig, clauseId: string): string {
  const parts = ['npx cmrp-notify-conformance run', `--target '${config.target}'`, ...reachFlags(config)];
  parts.push(`--protocol-version ${config.protocolVersion}`, `--clause ${clauseId}`, `--seed ${config.seed}`);
  return parts.join(' ');
}
