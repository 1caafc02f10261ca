// Target specs on the command line -> Target bindings.
import { TargetUnreachableError, UsageError } from '../runner/errors';
import { ADAPTER_TARGET_FORMS, createAdapterTargetFromSpec } from './adapter';
import { createBuiltinTarget } from './builtin';
import { TargetError, type Target } from './contract';
import { createDcerpcTarget, DCERPC_TARGET_FORM, parseDcerpcAddress, type DcerpcAddress } from './dcerpc';

export const TARGET_FORMS = `builtin, builtin:mutant=NAME, ${ADAPTER_TARGET_FORMS}, ${DCERPC_TARGET_FORM}`;

/** --auth values: authentication on the wire is issue 8, so a dcerpc target must say "none" for now. */
export const AUTH_VALUES = ['none'] as const;

export interface TargetOptions {
  /** Scales the adapter's own timeouts (start, Connect, control verbs) like the call timeouts. */
  timeoutMultiplier?: number;
  /** --control SPEC: the control adapter of a wire target (an adapter spec offering control verbs). */
  control?: string;
  /** --auth: required for dcerpc targets, where the only value for now is "none". */
  auth?: string;
}

export async function createTarget(spec: string, options: TargetOptions = {}): Promise<Target> {
  if (options.auth !== undefined && !(AUTH_VALUES as readonly string[]).includes(options.auth)) {
    throw new UsageError(`--auth '${options.auth}': only ${AUTH_VALUES.join(', ')} is available for now (authentication comes with issue 8)`);
  }
  if (spec.startsWith('dcerpc:')) return createWireTarget(spec, options);
  if (options.auth !== undefined) throw new UsageError(`--auth goes with a dcerpc target, not --target ${spec}`);
  if (options.control !== undefined) throw new UsageError(`--control goes with a dcerpc target; --target ${spec} has its own control adapter`);
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

/** `dcerpc:HOST[:PORT]` with its --auth (named explicitly) and its optional --control adapter. */
async function createWireTarget(spec: string, options: TargetOptions): Promise<Target> {
  if (options.auth === undefined) {
    throw new UsageError(`--target ${spec}: --auth none is required (connections are unauthenticated until issue 8; say so explicitly)`);
  }
  let address: DcerpcAddress;
  try {
    address = parseDcerpcAddress(spec.slice('dcerpc:'.length));
  } catch (error) {
    throw new UsageError(`--target ${spec}: ${(error as Error).message}`);
  }
  let controlTarget: Target | undefined;
  if (options.control !== undefined) {
    controlTarget = await createAdapterTargetFromSpec(options.control, options);
    if (!controlTarget) throw new UsageError(`--control ${options.control}: expected an adapter spec (${ADAPTER_TARGET_FORMS})`);
    if (!controlTarget.control) {
      await controlTarget.dispose();
      throw new UsageError(`--control ${options.control}: the adapter offers no control verbs`);
    }
  }
  try {
    return await createDcerpcTarget(spec, address, {
      timeoutMultiplier: options.timeoutMultiplier,
      ...(controlTarget ? { control: controlTarget.control, disposeControl: () => controlTarget.dispose() } : {}),
    });
  } catch (error) {
    await controlTarget?.dispose();
    if (error instanceof TargetError) throw new TargetUnreachableError(`target ${spec}: ${error.message}`);
    throw error;
  }
}
