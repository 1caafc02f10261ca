// What the runner hands the suites in their Jest workers: the run's settings, in a JSON file named by
// the CMRP_RUN_CONFIG environment variable. Without it (a developer running a suite file directly with
// Jest) the suites judge the builtin reference in protocol version 3.
import { readFileSync } from 'node:fs';
import type { ProtocolVersion } from '../spec/constants';

export interface RunConfig {
  target: string;
  control?: string;
  /** --auth for wire targets ("none" until issue 8). */
  auth?: string;
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
}

export const RUN_CONFIG_ENV = 'CMRP_RUN_CONFIG';

export function loadRunConfig(): RunConfig {
  const path = process.env[RUN_CONFIG_ENV];
  if (!path) return { target: 'builtin', protocolVersion: 3, timeoutMultiplier: 1, seed: 42 };
  return JSON.parse(readFileSync(path, 'utf8')) as RunConfig;
}

/** What createTarget needs from the run's settings besides the spec. */
export function targetOptions(config: { timeoutMultiplier: number; control?: string; auth?: string }): { timeoutMultiplier: number; control?: string; auth?: string } {
  return {
    timeoutMultiplier: config.timeoutMultiplier,
    ...(config.control !== undefined ? { control: config.control } : {}),
    ...(config.auth !== undefined ? { auth: config.auth } : {}),
  };
}

/** The command line that reruns one clause with the same settings (no secrets are ever in a target spec). */
export function replayCommand(config: RunConfig, clauseId: string): string {
  const parts = ['npx cmrp-notify-conformance run', `--target '${config.target}'`];
  if (config.auth) parts.push(`--auth ${config.auth}`);
  if (config.control) parts.push(`--control '${config.control}'`);
  parts.push(`--protocol-version ${config.protocolVersion}`, `--clause ${clauseId}`, `--seed ${config.seed}`);
  return parts.join(' ');
}
