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
  ) {}

  static of(profile: Profile, source: string): RoleBindings {
    return new RoleBindings(profile.roles, source);
  }

  name(role: Role): string | undefined {
    return this.names[role];
  }

  /** The NOT-TESTED reason for a role that has no name. */
  whyUnbound(role: Role): string {
    return `role @${role} (${ROLES[role]}) is not bound: ${this.refused[role] ?? this.unboundWhy}`;
  }
}
