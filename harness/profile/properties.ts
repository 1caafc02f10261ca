// Which properties the in-band SetProperty may set, on which objects ([MS-CMRP] Api*Control with
// CLUSCTL_*_SET_COMMON_PROPERTIES changes a live cluster's configuration). The suite sets properties of
// objects of its own freely; of another object only where the run says so: every object of a cluster that
// is the suite's to change (the builtin target's), a group or resource whose role the profile marks
// disposable (or a resource type whose role is), or a property the profile lists for the object's role under "properties" (the only way for
// the cluster, a node, a network or an interface). The quorum (ApiSetQuorumResource) is changed only where
// the cluster role and the resource's are disposable; a key's security (written back as ApiGetKeySecurity
// read it) on keys of the suite's own or of a disposable key role. Anything else is NOT-TESTED with the reason.
import type { Stimulus } from '../../cmrp/control';
import type { RoleBindings } from './bindings';
import { ROLE_NAMES, type Role } from './roles';

/** Why the stimulus may not be applied, or undefined when it may (a property, or the quorum: a change of the whole cluster). */
export type PropertyPolicy = (s: Extract<Stimulus, { verb: 'SetProperty' | 'SetQuorum' | 'RegistrySetSecurity' }>) => string | undefined;

/** Every property of every object (a cluster that is the suite's to change). */
export const ANY_PROPERTY: PropertyPolicy = () => undefined;

/** The roles that name objects of a type (the cluster role names the cluster). */
const ROLE_TYPE: Partial<Record<Role, string>> = {
  cluster: 'cluster',
  node: 'node',
  node2: 'node',
  group: 'group',
  group2: 'group',
  group3: 'group',
  resource: 'resource',
  resource2: 'resource',
  network: 'network',
  network2: 'network',
  netInterface: 'netInterface',
  netInterface2: 'netInterface',
  resourceType: 'resourceType',
};

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The policy of a run's role bindings (docs/profiles.md, "Properties the suite may set"). */
export function propertyPolicy(bindings: RoleBindings): PropertyPolicy {
  if (bindings.allDisposable) return ANY_PROPERTY;
  return (s) => {
    if (s.verb === 'RegistrySetSecurity') {
      // Writing back the descriptor read leaves the key as it was; still, only a key role the profile marks disposable.
      const role = (['key', 'subkey', 'key2'] as const).find((r) => same(bindings.name(r) ?? '\0', s.path));
      if (role && bindings.disposable(role)) return undefined;
      return `${bindings.source} does not let the suite set the security of '${s.path}': in-band it does so only on keys of its own or of a key role listed under "disposable" (docs/profiles.md)`;
    }
    if (s.verb === 'SetQuorum') {
      // The quorum is the whole cluster's: the cluster role and the new quorum resource's role must both be disposable.
      const role = ROLE_NAMES.find((r) => ROLE_TYPE[r] === 'resource' && same(bindings.name(r) ?? '\0', s.resource));
      if (bindings.disposable('cluster') && role && bindings.disposable(role)) return undefined;
      return `${bindings.source} does not let the suite change the quorum (ApiSetQuorumResource changes the live cluster's): list "cluster" and the resource's role under "disposable" (docs/profiles.md)`;
    }
    const roles = ROLE_NAMES.filter((r) => ROLE_TYPE[r] === s.objectType && (s.objectType === 'cluster' || same(bindings.name(r) ?? '\0', s.name)));
    for (const role of roles) {
      if ((s.objectType === 'group' || s.objectType === 'resource' || s.objectType === 'resourceType') && bindings.disposable(role)) return undefined;
      if (bindings.settableProperties(role).some((p) => same(p, s.property))) return undefined;
    }
    const role = roles[0];
    const what = role ? `role @${role}` : `the ${s.objectType} '${s.name}' (no role of the run)`;
    return `${bindings.source} does not let the suite set ${s.property} of ${what}: in-band, MS-CMRP's Api*Control would change the live object; list it under "properties"${s.objectType === 'group' || s.objectType === 'resource' || s.objectType === 'resourceType' ? ' or the role under "disposable"' : ''} (docs/profiles.md)`;
  };
}
