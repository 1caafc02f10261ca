// The reference server's public API: the only module the harness imports (harness/target/builtin.ts).
import { withOverride } from './rules/behaviour';
import { mutantOverride } from './mutants/behaviour';
import { variantOverride } from './variants';
import { ClusterServer } from './server';

export { ClusterServer } from './server';
export { MUTANTS, MUTANT_NAMES } from './mutants/behaviour';
export { VARIANT_DEFINITIONS, VARIANT_NAMES } from './variants';
export { CLUSTER_NAME } from './model/initial';
export * from './rules/states';

export interface ServerOptions {
  /** A name from MUTANT_NAMES; omitted for the reference behaviour. */
  mutant?: string;
  /** A name from VARIANT_NAMES: the reference making another choice the spec leaves open. */
  variant?: string;
}

/** A fresh reference server (or one mutant or variant of it): the initial cluster, no connections. */
export function createServer(options: ServerOptions = {}): ClusterServer {
  if (options.mutant !== undefined && options.variant !== undefined) throw new Error('a mutant and a variant cannot be combined');
  const override = options.mutant !== undefined ? mutantOverride(options.mutant) : options.variant !== undefined ? variantOverride(options.variant) : undefined;
  return new ClusterServer(withOverride(override));
}
