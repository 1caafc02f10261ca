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

/** The role a stimulus field names as a whole object (not a path with a component of the suite's own), or undefined. */
function roleOf(value: unknown): Role | undefined {
  if (!isRoleRef(value)) return undefined;
  const ref = parseRoleRef(value);
  if ('problem' in ref || ref.own !== undefined) return undefined;
  // A path below the role with a component of its own ("@key\\@own(Seed)") is the suite's own key.
  if (/\\@own\(/.test(ref.rest)) return undefined;
  return ref.role;
}

/**
 * The roles a stimulus changes: an object's state, properties or owner, the quorum, a key's security or
 * subkeys, a value not of the suite's own. Placing an object of its own in a role (a resource in @group)
 * and setting a value of its own on a role's key (what @key, @subkey and @key2 are for) change none.
 */
export function changedRoles(s: Stimulus): Role[] {
  const roles: (Role | undefined)[] = [];
  switch (s.verb) {
    case 'SetState':
    case 'SetProperty':
    case 'DeleteObject':
    case 'AddObject':
      roles.push(roleOf(s.name));
      break;
    case 'MoveResource':
      roles.push(roleOf(s.name), roleOf(s.group));
      break;
    case 'SetInterfaceLink':
      roles.push(roleOf(s.name), roleOf(s.peer));
      break;
    case 'SetNodeActivity':
    case 'NodeShutdown':
      roles.push(roleOf(s.name));
      break;
    case 'SetQuorum':
      roles.push(roleOf(s.resource));
      break;
    case 'RegistryCreateKey':
    case 'RegistryDeleteKey':
    case 'RegistrySetSecurity':
      roles.push(roleOf(s.path));
      break;
    case 'RegistrySetValue':
    case 'RegistryDeleteValue':
      if (!(isRoleRef(s.valueName) && s.valueName.startsWith('@own('))) roles.push(roleOf(s.path));
      break;
    default:
      break;
  }
  return roles.filter((r): r is Role => r !== undefined);
}

/** Why a sequence may not run against a cluster that is not the suite's to change: a role it changes that is not disposable. */
export function keptRole(steps: readonly Step[], bindings: RoleBindings | undefined): string | undefined {
  const walk = (list: readonly Step[]): string | undefined => {
    for (const step of list) {
      if ('repeat' in step) {
        const inner = walk(step.steps);
        if (inner) return inner;
      } else if ('control' in step) {
        for (const role of changedRoles(step.control)) if (!bindings?.disposable(role)) return bindings ? bindings.whyKept(role) : `role @${role} is changed but the run has no role bindings`;
      }
    }
    return undefined;
  };
  return walk(steps);
}

/** A problem with what a control step creates: an object, key or value not named as the suite's own. */
export function creationProblem(s: Stimulus): string | undefined {
  const own = (v: string) => /^@own\(/.test(v);
  if (s.verb === 'AddObject' && !own(s.name)) return `AddObject names '${s.name}': what a sequence creates is named @own(name) (docs/profiles.md)`;
  if (s.verb === 'RegistryCreateKey' && !s.path.split('\\').some(own)) return `RegistryCreateKey of '${s.path}': a key a sequence creates has a component @own(name), e.g. @key\\@own(Name)`;
  if (s.verb === 'RegistrySetValue' && !own(s.valueName) && !s.path.split('\\').some(own)) return `RegistrySetValue of '${s.valueName}': a value set on a key not of the suite's own is named @own(name)`;
  return undefined;
}
