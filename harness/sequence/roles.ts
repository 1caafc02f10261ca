// Role references in sequence data: "@group" is the name the run's profile binds to the group role,
// "@key\\Sub\\Deep" a path below the key role's key (docs/sequences.md, docs/profiles.md). The interpreter
// resolves them through these hooks; load.ts rejects unknown roles; a sequence that needs a role the run
// cannot bind is NOT-TESTED with the binding's reason. "@own(Spare)" is an object of the suite's own,
// "cmrp-conf-<runid>-Spare" on the server (../profile/own.ts); "@key\\@own(Seed)" a key of its own below
// the key role's key. Own names are always bound: the run creates them.
import type { Stimulus } from '../../cmrp/control';
import { RoleBindings } from '../profile/bindings';
import { ownName } from '../profile/own';
import { isRole, ROLE_NAMES, type Role } from '../profile/roles';
import type { Step } from './types';
import { SequenceDataError } from './values';

/** "@role" or "@own(local)" alone, or followed by "\\"-separated path components (for registry keys). */
const ROLE_REF = /^@(own\(([^()\\]*)\)|[A-Za-z][A-Za-z0-9]*)((?:\\[^\\]+)*)$/;

/** A local name of the suite's own: what follows the prefix (letters, digits, space, '.', '_', '-'). */
const OWN_LOCAL = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

/** "@own(local)" as a whole path component. */
const OWN_COMPONENT = /^@own\(([^()\\]*)\)$/;

/** A parsed reference: a role (or, with `own`, the suite's own object) and a path below it. */
export type RoleRef = { role: Role; own?: undefined; rest: string } | { role?: undefined; own: string; rest: string };

export function isRoleRef(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('@');
}

/** The role a reference names, or a problem in words (for load.ts). */
export function parseRoleRef(value: string): RoleRef | { problem: string } {
  const m = ROLE_REF.exec(value);
  if (!m) return { problem: `'${value}' is not a role reference (@role, @role\\path or @own(name))` };
  const rest = m[3] ?? '';
  for (const component of rest.split('\\').slice(1)) {
    const own = OWN_COMPONENT.exec(component);
    if (own && !OWN_LOCAL.test(own[1]!)) return { problem: `'${value}': '${own[1]}' is not a name of the suite's own (letters, digits, space, '.', '_', '-')` };
    if (!own && component.startsWith('@')) return { problem: `'${value}': a path component starting with '@' must be @own(name)` };
  }
  if (m[2] !== undefined) {
    if (!OWN_LOCAL.test(m[2])) return { problem: `'${value}': '${m[2]}' is not a name of the suite's own (letters, digits, space, '.', '_', '-')` };
    return { own: m[2], rest };
  }
  if (!isRole(m[1]!)) return { problem: `'${value}' names no role (roles: ${ROLE_NAMES.map((r) => `@${r}`).join(', ')}, or @own(name))` };
  return { role: m[1], rest };
}

/** A path below a reference, its @own(...) components given their prefix. */
function ownPath(rest: string): string {
  return rest.replace(/\\@own\(([^()\\]*)\)/g, (_, local: string) => `\\${ownName(local)}`);
}

/** The server's name for a role reference. */
export function resolveRoleRef(value: string, bindings: RoleBindings | undefined): string {
  const ref = parseRoleRef(value);
  if ('problem' in ref) throw new SequenceDataError(ref.problem);
  if (ref.own !== undefined) return ownName(ref.own) + ownPath(ref.rest);
  const name = bindings?.name(ref.role);
  if (name === undefined) throw new SequenceDataError(bindings ? bindings.whyUnbound(ref.role) : `role @${ref.role} is used but the run has no role bindings`);
  return name + ownPath(ref.rest);
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
    if (ref.own !== undefined) continue;
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
