// Role references in sequence data: "@group" is the name the run's profile binds to the group role,
// "@key\\Sub\\Deep" a path below the key role's key (docs/sequences.md, docs/profiles.md). The interpreter
// resolves them through these hooks; load.ts rejects unknown roles; a sequence that needs a role the run
// cannot bind is NOT-TESTED with the binding's reason.
import type { Stimulus } from '../../cmrp/control';
import { RoleBindings } from '../profile/bindings';
import { isRole, ROLE_NAMES, type Role } from '../profile/roles';
import type { Step } from './types';
import { SequenceDataError } from './values';

/** "@role" alone, or followed by "\\"-separated path components (for registry keys). */
const ROLE_REF = /^@([A-Za-z][A-Za-z0-9]*)((?:\\[^\\]+)*)$/;

export function isRoleRef(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('@');
}

/** The role a reference names, or a problem in words (for load.ts). */
export function parseRoleRef(value: string): { role: Role; rest: string } | { problem: string } {
  const m = ROLE_REF.exec(value);
  if (!m) return { problem: `'${value}' is not a role reference (@role or @role\\path)` };
  if (!isRole(m[1]!)) return { problem: `'${value}' names no role (roles: ${ROLE_NAMES.map((r) => `@${r}`).join(', ')})` };
  return { role: m[1], rest: m[2] ?? '' };
}

/** The server's name for a role reference. */
export function resolveRoleRef(value: string, bindings: RoleBindings | undefined): string {
  const ref = parseRoleRef(value);
  if ('problem' in ref) throw new SequenceDataError(ref.problem);
  const name = bindings?.name(ref.role);
  if (name === undefined) throw new SequenceDataError(bindings ? bindings.whyUnbound(ref.role) : `role @${ref.role} is used but the run has no role bindings`);
  return name + ref.rest;
}

/** Every string of a step tree that is a role reference (args, expectations, event patterns, control fields). */
export function roleRefsIn(steps: readonly Step[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (isRoleRef(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(steps);
  return found;
}

/** Why a sequence cannot run with these bindings (the first role it needs that is unbound), or undefined. */
export function unboundRole(steps: readonly Step[], bindings: RoleBindings | undefined): string | undefined {
  for (const value of roleRefsIn(steps)) {
    const ref = parseRoleRef(value);
    if ('problem' in ref) return ref.problem;
    if (bindings?.name(ref.role) === undefined) return bindings ? bindings.whyUnbound(ref.role) : `role @${ref.role} is used but the run has no role bindings`;
  }
  return undefined;
}

/** A control step's stimulus with its role references replaced by the server's names. */
export function resolveStimulus(stimulus: Stimulus, bindings: RoleBindings | undefined): Stimulus {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(stimulus)) out[field] = isRoleRef(value) ? resolveRoleRef(value, bindings) : value;
  return out as Stimulus;
}
