// The reference server's public API: the only module the harness imports (harness/target/builtin.ts).
import { withOverride } from './rules/behaviour';
import { mutantOverride } from './mutants/behaviour';
import type { ClusterData } from './model/initial';
import { ClusterServer } from './server';

export { ClusterServer } from './server';
export { MUTANTS, MUTANT_NAMES } from './mutants/behaviour';
export { CLUSTER_NAME, DEFAULT_CLUSTER, type ClusterData } from './model/initial';
export { ClusterFileError, loadClusterFile } from './model/load-cluster';
export * from './rules/states';

export interface ServerOptions {
  /** A name from MUTANT_NAMES; omitted for the reference behaviour. */
  mutant?: string;
  /** The initial cluster (a checked cluster file: loadClusterFile); omitted for DEFAULT_CLUSTER. */
  cluster?: ClusterData;
}

/** A fresh reference server (or one mutant of it): the initial cluster, no connections. */
export function createServer(options: ServerOptions = {}): ClusterServer {
  return new ClusterServer(withOverride(options.mutant === undefined ? undefined : mutantOverride(options.mutant)), options.cluster);
}
