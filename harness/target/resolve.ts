// Target specs on the command line -> Target bindings.
import { UsageError } from '../runner/errors';
import { ADAPTER_TARGET_FORMS, createAdapterTargetFromSpec } from './adapter';
import { createBuiltinTarget } from './builtin';
import type { Target } from './contract';

export const TARGET_FORMS = `builtin, builtin:mutant=NAME, ${ADAPTER_TARGET_FORMS}`;

export interface TargetOptions {
  /** Scales the adapter's own timeouts (start, Connect, control verbs) like the call timeouts. */
  timeoutMultiplier?: number;
}

export async function createTarget(spec: string, options: TargetOptions = {}): Promise<Target> {
  const builtin = /^builtin(?::mutant=([\w-]+))?$/.exec(spec);
  if (builtin) {
    try {
      return createBuiltinTarget({ mutant: builtin[1] });
    } catch (error) {
      throw new UsageError(`--target ${spec}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const adapter = await createAdapterTargetFromSpec(spec, options);
  if (adapter) return adapter;
  throw new UsageError(`--target ${spec}: unknown target form (expected ${TARGET_FORMS})`);
}
