// The IDL's parameter names of each method, in order: what a positional step or a trace line means.
// Derived from the one table of the IDL (cmrp/methods.ts), never written out again.
import type { MethodName } from '../../cmrp/contract';
import { METHOD_NAMES, METHODS } from '../../cmrp/methods';

export const PARAMETERS: Readonly<Record<MethodName, readonly string[]>> = Object.fromEntries(
  METHOD_NAMES.map((method) => [method, METHODS[method].params.map((p) => p.name)]),
) as unknown as Record<MethodName, readonly string[]>;
