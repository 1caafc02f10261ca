// Roles and target profiles: the example profiles load and match what derivation picks from their
// clusters; a broken profile is refused in one line; @role references resolve through the run's bindings,
// a sequence naming objects by role judges the same on clusters of other names, and one needing an
// unbound role is NOT-TESTED with the reason.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CLUSTER, loadClusterFile } from '../../reference';
import { RoleBindings } from '../../harness/profile/bindings';
import { profileFromCluster } from '../../harness/profile/derive';
import { loadProfileFile, ProfileError } from '../../harness/profile/load';
import { bindRoles } from '../../harness/profile/resolve';
import { runSequence } from '../../harness/sequence/interpret';
import { parseRoleRef, resolveRoleRef, unboundRole } from '../../harness/sequence/roles';
import type { Sequence } from '../../harness/sequence/types';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { OWN_KEYS } from '../../harness/profile/discover';
import type { Target } from '../../cmrp/contract';
import { UsageError } from '../../cmrp/errors';

const ROOT = path.resolve(__dirname, '../..');
const profileFile = (name: string) => path.join(ROOT, 'examples', 'profiles', name);
const clusterFile = (name: string) => path.join(ROOT, 'examples', 'clusters', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cmrp-profile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('every example profile loads; builtin.json and other-names.json are what derivation picks from their clusters', () => {
  for (const f of fs.readdirSync(path.join(ROOT, 'examples', 'profiles'))) expect(() => loadProfileFile(profileFile(f))).not.toThrow();
  expect(loadProfileFile(profileFile('builtin.json')).roles).toEqual(profileFromCluster(DEFAULT_CLUSTER).roles);
  expect(loadProfileFile(profileFile('other-names.json')).roles).toEqual(profileFromCluster(loadClusterFile(clusterFile('other-names.json'))).roles);
});

test.each([
  ['unknown-role.json', { roles: { gruop: 'x' } }, /unknown-role\.json: \/roles must NOT have additional properties \('gruop'\)$/],
  ['unknown-key.json', { roles: {}, account: 'x' }, /unknown-key\.json: \(top level\) must NOT have additional properties \('account'\)$/],
  ['bad-name.json', { roles: { group: '' } }, /bad-name\.json: \/roles\/group must NOT have fewer than 1 characters$/],
])('a broken profile is refused in one line naming file and place (%s)', (name, data, message) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(data));
  expect(() => loadProfileFile(file)).toThrow(ProfileError);
  expect(() => loadProfileFile(file)).toThrow(message);
  expect(new ProfileError('x')).toBeInstanceOf(UsageError);
});

test('role references: @role and @role\\path resolve through the bindings; unknown or unbound roles say why', () => {
  const bindings = new RoleBindings({ group: 'Ledger Role', key: 'Settings' }, '--profile p.json');
  expect(resolveRoleRef('@group', bindings)).toBe('Ledger Role');
  expect(resolveRoleRef('@key\\Cmrp\\Deep', bindings)).toBe('Settings\\Cmrp\\Deep');
  expect(parseRoleRef('@gruop')).toEqual({ problem: expect.stringMatching(/^'@gruop' names no role \(roles: @cluster, @node/) });
  expect(() => resolveRoleRef('@node2', bindings)).toThrow(/role @node2 \(a second node, owner of the group role\) is not bound: --profile p.json binds no name to it/);
  expect(unboundRole([{ call: 'ApiOpenNode', args: ['@node2'] }], bindings)).toMatch(/role @node2 .* is not bound/);
  expect(unboundRole([{ call: 'ApiOpenGroup', args: ['@group'] }], bindings)).toBeUndefined();
});

const byRole: Sequence = {
  id: 'test/by-role',
  title: 'register on the group role, change it, read the event that names it',
  clauses: { add: { 3: '3.1.4.2.60/R2' }, read: { 3: '3.1.4.2.66/R1' } },
  steps: [
    { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
    { call: 'ApiOpenGroup', args: ['@group'], save: { hGroup: 'g' } },
    { call: 'ApiAddNotifyGroup', args: ['$port', '$g', 'GROUP_STATE', 1], expect: { status: 'ERROR_SUCCESS' }, check: 'add' },
    { control: { verb: 'SetState', objectType: 'group', name: '@group', state: 1 } },
    { read: '$port', expect: [{ dwNotifyKey: 1, dwFilter: 'GROUP_STATE', Name: '@group' }], check: 'read' },
  ],
};

async function outcomes(cluster: string | undefined, roles: RoleBindings | 'bind'): Promise<string[]> {
  const data = cluster ? loadClusterFile(clusterFile(cluster)) : undefined;
  const target = createBuiltinTarget(data ? { cluster: data } : {});
  try {
    const spec = cluster ? `builtin:cluster=${clusterFile(cluster)}` : 'builtin';
    const bindings = roles === 'bind' ? await bindRoles({ targetSpec: spec, target, protocolVersion: 3, callMs: 500 }) : roles;
    const observations = await runSequence(byRole, { target, protocolVersion: 3, timeouts: { callMs: 500, readMs: 200 }, roles: bindings, replay: (id) => id });
    return observations.map((o) => `${o.clause} ${o.outcome}${o.outcome === 'pass' ? '' : `: ${o.message}`}`);
  } finally {
    await target.dispose();
  }
}

test('a sequence naming objects by role passes on the default cluster and on one of other names', async () => {
  const expected = ['3.1.4.2.60/R2 pass', '3.1.4.2.66/R1 pass'];
  expect(await outcomes(undefined, 'bind')).toEqual(expected);
  expect(await outcomes('other-names.json', 'bind')).toEqual(expected);
  expect(await outcomes('other-names.json', RoleBindings.of(loadProfileFile(profileFile('other-names.json')), '--profile other-names.json'))).toEqual(expected);
});

test('a sequence needing a role the run cannot bind is NOT-TESTED with the reason, never judged', async () => {
  const results = await outcomes('other-names.json', new RoleBindings({}, 'in-band discovery', 'no object of the default names answered'));
  expect(results).toEqual([
    expect.stringMatching(/^3\.1\.4\.2\.60\/R2 not-tested: .*: role @group .* is not bound: no object of the default names answered$/),
    expect.stringMatching(/^3\.1\.4\.2\.66\/R1 not-tested: .*: role @group/),
  ]);
});

/** A target without the management methods (an adapter that does not declare them): it can only be probed. */
function withoutManagement(target: Target): Target {
  return { ...target, capabilities: { ...target.capabilities, management: false }, connect: (o) => target.connect(o), dispose: () => target.dispose() };
}

test('without a profile, a target that serves the management methods is enumerated: its own names, keys of the suite\'s own', async () => {
  const other = createBuiltinTarget({ cluster: loadClusterFile(clusterFile('other-names.json')) });
  try {
    const found = await bindRoles({ targetSpec: 'tcp:127.0.0.1:1', target: other, protocolVersion: 3, callMs: 500 });
    const expected = RoleBindings.of(loadProfileFile(profileFile('other-names.json')), 'profile');
    for (const role of ['cluster', 'node', 'node2', 'group', 'resource', 'group2', 'resource2', 'network', 'netInterface', 'netInterface2'] as const) {
      expect([role, found.name(role)]).toEqual([role, expected.name(role)]);
    }
    expect(found.name('key')).toBe(OWN_KEYS.key);
    // The resource's type, as ApiResourceControl's CLUSCTL_RESOURCE_GET_RESOURCE_TYPE returns it.
    expect(found.name('resourceType')).toBe(expected.name('resourceType'));
  } finally {
    await other.dispose();
  }
});

test('without ApiResourceControl, the resource type role stays unbound, saying why', async () => {
  const other = createBuiltinTarget({ cluster: loadClusterFile(clusterFile('other-names.json')) });
  const noControl: Target = {
    ...other,
    connect: async (o) => {
      const c = await other.connect(o);
      return Object.assign(Object.create(Object.getPrototypeOf(c) as object) as object, c, { ApiResourceControl: undefined }) as typeof c;
    },
    dispose: () => other.dispose(),
  };
  try {
    const found = await bindRoles({ targetSpec: 'tcp:127.0.0.1:1', target: noControl, protocolVersion: 3, callMs: 500 });
    expect(found.name('resourceType')).toBeUndefined();
    expect(found.whyUnbound('resourceType')).toMatch(/ApiResourceControl did not return the type of 'Ledger Writer' \(CLUSCTL_RESOURCE_GET_RESOURCE_TYPE\)/);
  } finally {
    await other.dispose();
  }
});

test('without a profile, a served target is probed in-band: only names it opens are bound', async () => {
  // A target that is not builtin by spec and has no management methods: the default names are probed, and
  // the other-names cluster has none.
  const other = withoutManagement(createBuiltinTarget({ cluster: loadClusterFile(clusterFile('other-names.json')) }));
  const plain = withoutManagement(createBuiltinTarget({}));
  try {
    const none = await bindRoles({ targetSpec: 'tcp:127.0.0.1:1', target: other, protocolVersion: 3, callMs: 500 });
    expect(none.name('group')).toBeUndefined();
    expect(none.whyUnbound('group')).toMatch(/no --profile names it/);
    const found = await bindRoles({ targetSpec: 'tcp:127.0.0.1:1', target: plain, protocolVersion: 2, callMs: 500 });
    const { cluster: _cluster, resourceType: _type, ...probeable } = profileFromCluster(DEFAULT_CLUSTER).roles;
    for (const [role, name] of Object.entries(probeable)) expect([role, found.name(role as never)]).toEqual([role, name]);
    expect([found.name('cluster'), found.name('resourceType')]).toEqual([undefined, undefined]);
  } finally {
    await other.dispose();
    await plain.dispose();
  }
});

test('a profile naming objects the target does not have leaves those roles unbound, saying which name failed', async () => {
  const target = createBuiltinTarget({});
  try {
    const bindings = await bindRoles({ targetSpec: 'builtin', profile: profileFile('other-names.json'), target, protocolVersion: 3, callMs: 500 });
    expect(bindings.name('group')).toBeUndefined();
    expect(bindings.whyUnbound('group')).toMatch(/--profile .*other-names\.json names 'Ledger Role', which the target does not open$/);
    // What cannot be probed is kept as the profile gives it.
    expect(bindings.name('cluster')).toBe('HARBOUR-CL');
  } finally {
    await target.dispose();
  }
});
