// Roles bound to one server's names for one run, and why a role is unbound when it is: the reason the
// clauses that need it are NOT-TESTED.
import { ROLES, type Profile, type Role } from './roles';

export class RoleBindings {
  /**
   * `source`: where the names come from ("--profile FILE", "the builtin cluster"), for traces and reasons.
   * `unboundWhy`: why a role without a name has none.
   */
  constructor(
    private readonly names: Partial<Record<Role, string>>,
    readonly source: string,
    private readonly unboundWhy = `${source} binds no name to it`,
    /** Roles whose name was refused, each with its own reason (a profile's name the target does not open). */
    private readonly refused: Partial<Record<Role, string>> = {},
    /** The roles the suite may change (the profile's `disposable`); 'all' for a cluster that is the suite's to change. */
    private readonly changeable: ReadonlySet<Role> | 'all' = new Set(),
    /** Registry keys the suite created for its roles, parents first: a Reset removes them, so they are made again after one. */
    readonly createdKeys: readonly string[] = [],
    /** The properties the suite may set on each role's object (the profile's `properties`). */
    private readonly properties: Partial<Record<Role, readonly string[]>> = {},
  ) {}

  static of(profile: Profile, source: string, changeable?: ReadonlySet<Role> | 'all'): RoleBindings {
    return new RoleBindings(profile.roles, source, undefined, {}, changeable ?? new Set(profile.disposable ?? []), [], profile.properties ?? {});
  }

  /** Whether the whole cluster is the suite's to change (the builtin target's). */
  get allDisposable(): boolean {
    return this.changeable === 'all';
  }

  /** The properties the profile lets the suite set on the role's object (and restore after). */
  settableProperties(role: Role): readonly string[] {
    return this.properties[role] ?? [];
  }

  /** Whether the suite may change the role's object (its state, properties, owner, security, values not of its own). */
  disposable(role: Role): boolean {
    return this.changeable === 'all' || this.changeable.has(role);
  }

  /** The NOT-TESTED reason for a role the suite would change but may not. */
  whyKept(role: Role): string {
    return `role @${role} is not disposable: ${this.source} does not list it in "disposable", so the suite does not change its object (docs/profiles.md)`;
  }

  name(role: Role): string | undefined {
    return this.names[role];
  }

  /** The NOT-TESTED reason for a role that has no name. */
  whyUnbound(role: Role): string {
    return `role @${role} (${ROLES[role]}) is not bound: ${this.refused[role] ?? this.unboundWhy}`;
  }
}
