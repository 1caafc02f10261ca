// The roles a sequence or property run names objects by, instead of any server's names. A target
// profile (docs/profiles.md) binds each role to a name of the server under test; what one role means is
// its description here, and the relations between roles are what a binding must respect (checked where
// the cluster is known: ./derive.ts).

export const ROLES = {
  cluster: 'the cluster itself: its name, as events about the cluster carry it',
  node: 'the node the suite is connected to',
  node2: 'a second node, owner of the group role',
  group: 'a group whose resource can go offline and online (not the core cluster group), owned by node2',
  resource: 'a resource of the group role that the suite may take offline and bring back online',
  group2: 'a second group, other than group and than the core cluster group',
  resource2: 'a resource of the group2 role',
  group3: 'a third group, other than group and group2 (it may be the core cluster group)',
  resourceType: 'the resource type of the resource role, whose properties the suite may set',
  network: 'a network with an interface of node2',
  network2: 'a second network',
  netInterface: 'the interface of node2 on the network role',
  netInterface2: 'an interface of the node role',
  key: 'a cluster registry key under which the suite may create and delete subkeys of its own',
  subkey: 'an existing subkey of the key role (its path from the root), whose values the suite may set',
  key2: 'a second key, not under the key role, whose values the suite may set',
} as const;

export type Role = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(name: string): name is Role {
  return Object.prototype.hasOwnProperty.call(ROLES, name);
}

/** A target profile: what a run knows of the server's names (docs/profile.schema.json). */
export interface Profile {
  description?: string;
  /** Role to the server's name for it (a key path under the root for `key`). */
  roles: Partial<Record<Role, string>>;
  /**
   * The roles whose objects the suite may change (state, properties, owner, security, values not of its
   * own); a sequence that changes another role is NOT-TESTED. Absent: none.
   */
  disposable?: Role[];
  /**
   * Per role, the properties the suite may set on its object through Api*Control (in-band SetProperty) and
   * set back after: the only way it changes a property of the cluster, a node, a network or an interface.
   */
  properties?: Partial<Record<Role, string[]>>;
}
