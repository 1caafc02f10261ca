// Names of the suite's own in sequences (@own(name)), the steps that would create something not named so,
// the roles a step changes, and the deletions that undo what a sequence left.
import { RoleBindings } from '../../harness/profile/bindings';
import { isOwnName, ownName, ownPrefix } from '../../harness/profile/own';
import { deletionsOf, ownLeftovers } from '../../harness/sequence/own-objects';
import { changedRoles, creationProblem, keptRole, parseRoleRef, resolveRoleRef, unboundRole } from '../../harness/sequence/roles';

const bindings = RoleBindings.of({ roles: { group: 'Ledger Role', key: 'Settings', subkey: 'Settings\\Tuning' }, disposable: ['group'] }, '--profile p.json');

test('@own(name) and @role\\@own(name) resolve to the run\'s prefix; bad forms are refused', () => {
  expect(ownPrefix()).toMatch(/^cmrp-conf-[0-9a-z]{6}-$/);
  expect(resolveRoleRef('@own(Spare Group)', bindings)).toBe(ownName('Spare Group'));
  expect(resolveRoleRef('@key\\@own(Seed)\\Sub', bindings)).toBe(`Settings\\${ownName('Seed')}\\Sub`);
  expect(isOwnName(ownName('x'))).toBe(true);
  expect(isOwnName('cmrp-conformance share')).toBe(false);
  expect(parseRoleRef('@own()')).toEqual({ problem: expect.stringMatching(/not a name of the suite's own/) });
  expect(parseRoleRef('@key\\@group')).toEqual({ problem: expect.stringMatching(/must be @own\(name\)/) });
  // Own names need no binding.
  expect(unboundRole([{ control: { verb: 'AddObject', objectType: 'group', name: '@own(G)' } }], undefined)).toBeUndefined();
});

test('what a sequence creates must be its own', () => {
  expect(creationProblem({ verb: 'AddObject', objectType: 'group', name: 'Spare Group' })).toMatch(/@own\(name\)/);
  expect(creationProblem({ verb: 'AddObject', objectType: 'group', name: '@own(Spare Group)' })).toBeUndefined();
  expect(creationProblem({ verb: 'RegistryCreateKey', path: '@key\\Seed' })).toMatch(/@own/);
  expect(creationProblem({ verb: 'RegistryCreateKey', path: '@key\\@own(Seed)\\Sub' })).toBeUndefined();
  expect(creationProblem({ verb: 'RegistrySetValue', path: '@subkey', valueName: 'Level', data: 1 })).toMatch(/@own/);
  expect(creationProblem({ verb: 'RegistrySetValue', path: '@subkey', valueName: '@own(Level)', data: 1 })).toBeUndefined();
});

test('a step changing a role not marked disposable keeps its sequence from running', () => {
  expect(changedRoles({ verb: 'SetState', objectType: 'group', name: '@group', state: 1 })).toEqual(['group']);
  expect(changedRoles({ verb: 'RegistrySetValue', path: '@subkey', valueName: '@own(Level)', data: 1 })).toEqual([]);
  expect(changedRoles({ verb: 'RegistrySetSecurity', path: '@key\\@own(Secured)' })).toEqual([]);
  expect(changedRoles({ verb: 'AddObject', objectType: 'resource', name: '@own(R)', group: '@group' })).toEqual([]);
  expect(keptRole([{ control: { verb: 'SetState', objectType: 'group', name: '@group', state: 1 } }], bindings)).toBeUndefined();
  expect(keptRole([{ control: { verb: 'RegistrySetSecurity', path: '@key' } }], bindings)).toMatch(/role @key is not disposable: --profile p.json/);
});

test('the leftovers of a sequence are deleted values first, then keys, then dependants before what they depend on', () => {
  const g = ownName('G');
  const r = ownName('R');
  const left = ownLeftovers([
    { verb: 'AddObject', objectType: 'group', name: g },
    { verb: 'AddObject', objectType: 'resource', name: r, group: g },
    { verb: 'AddObject', objectType: 'node', name: ownName('N') },
    { verb: 'DeleteObject', objectType: 'node', name: ownName('N') },
    { verb: 'RegistryCreateKey', path: `Settings\\${ownName('K')}\\Sub` },
    { verb: 'RegistrySetValue', path: 'Settings\\Tuning', valueName: ownName('V'), data: 1 },
    { verb: 'SetState', objectType: 'group', name: 'Ledger Role', state: 1 },
  ]);
  expect(deletionsOf(left)).toEqual([
    { verb: 'RegistryDeleteValue', path: 'Settings\\Tuning', valueName: ownName('V') },
    { verb: 'RegistryDeleteKey', path: `Settings\\${ownName('K')}` },
    { verb: 'DeleteObject', objectType: 'resource', name: r },
    { verb: 'DeleteObject', objectType: 'group', name: g },
  ]);
});
