// The done-when run of issue 14 (items 1, 2 and 4): the reference served over dcerpc: at packet privacy
// with a cluster of other names (examples/clusters/other-names.json), no control adapter and no profile.
// Roles are discovered in-band (ApiCreateEnum), stimuli are caused in-band (--stimuli auto picks them: the
// target has no control adapter). The run must give no FAIL and no ERROR, and judge (PASS, FAIL or
// NON-STRICT) as large a share of the clauses the same cluster's run with the control adapter and a profile
// judges as in-band stimuli allow; every clause it does not judge says why (NOT-TESTED or INCONCLUSIVE
// with a reason naming the in-band limit). The share is pinned (FLOOR) so a regression shows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCatalogue } from '../../harness/catalogue/load';
import { RoleBindings } from '../../harness/profile/bindings';
import { loadProfileFile } from '../../harness/profile/load';
import { bindRoles } from '../../harness/profile/resolve';
import { runAllSequences } from '../../harness/sequence/run-all';
import { loadAllSequences } from '../../harness/sequence/load';
import { defaultTimeouts } from '../../harness/session/session';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { createTarget } from '../../harness/target/resolve';
import { judge } from '../../harness/verdict/judge';
import { loadClusterFile } from '../../reference';
import { Secret } from '../../wire/auth';
import type { ProtocolVersion } from '../../cmrp/constants';
import type { Observation } from '../../harness/recorder/observation';
import { startServe } from '../wire/rpc/served-process';
import { timeScale } from '../support/time-scale';
import { describeShare, share, type Verdict } from './share';

const ROOT = path.resolve(__dirname, '../..');
const CLUSTER = loadClusterFile(path.join(ROOT, 'examples/clusters/other-names.json'));
const PASSWORD = 'In-band-Pa55word';
const READ_PASSWORD = 'In-band-R3ader';
const USER = 'HARBOUR\\tester';
const READER = 'HARBOUR\\reader';
const ENV = { CMRP_PASSWORD: PASSWORD, CMRP_READ_PASSWORD: READ_PASSWORD };
const SERVE_ARGS = [
  '--cluster', path.join(ROOT, 'examples/clusters/other-names.json'),
  ...CLUSTER.nodes.slice(0, 2).flatMap((n) => ['--listen', 'dcerpc:127.0.0.1:0', '--node', n.name]),
  '--user', USER, '--read-user', READER,
];
const PROFILE = path.join(ROOT, 'examples/profiles/other-names.json');
const catalogue = loadCatalogue();
const catalogueIds = new Set(catalogue.map((c) => c.id));
// On a loaded machine the served reference answers late.
const timeouts = defaultTimeouts(0.2 * timeScale());
/**
 * The share of the control run's judged clauses each in-band run judges, at least (measured: see
 * docs/stimuli.md), and how many it judges: clauses only a control adapter can reach (a node's own server
 * state, a shutdown) lower the share without any loss in-band, so the count pins what in-band reaches.
 * Discovered roles are not the suite's to change (docs/profiles.md), so without a profile the sequences
 * that change a role's state are NOT-TESTED; the profile marks every role disposable.
 */
const FLOOR: Record<'discovered' | 'profile', Record<ProtocolVersion, number>> = {
  discovered: { 2: 0.23, 3: 0.3 },
  profile: { 2: 0.595, 3: 0.635 },
};
const JUDGED_FLOOR: Record<'discovered' | 'profile', Record<ProtocolVersion, number>> = {
  discovered: { 2: 73, 3: 121 },
  profile: { 2: 189, 3: 251 },
};

function verdicts(version: ProtocolVersion, observations: Observation[]): Map<string, Verdict> {
  const selection = catalogue.filter((c) => c.versions.includes(version));
  return new Map(judge(selection, observations, { catalogueIds }).map((v) => [v.id, { verdict: v.verdict, message: (v.message ?? '').split('\n')[0] }]));
}


describe.each([3, 2] as const)('protocol version %i', (version) => {
  test('in-band stimuli over dcerpc: at packet privacy, with discovery and with the profile, judge with no FAIL, and say why for the rest', async () => {
    // With the control adapter and a profile: what the suite judges when it can cause everything.
    const builtin = createBuiltinTarget({ cluster: CLUSTER });
    const profile = RoleBindings.of(loadProfileFile(PROFILE), '--profile other-names.json');
    let control;
    try {
      control = verdicts(version, await runAllSequences(builtin, version, timeouts, profile));
    } finally {
      await builtin.dispose();
    }

    // The same cluster over dcerpc: served as a user serves it for a real cluster's likeness: two node
    // endpoints and a Read account beside the full one (what the control run's builtin target has too), so
    // the two runs differ only in how stimuli are caused. Once without a profile (roles discovered, nothing
    // but the suite's own objects' properties set), once with it (the Description properties it lists).
    const served = await startServe(SERVE_ARGS, 90_000 * timeScale(), ENV);
    const inband: Record<'discovered' | 'profile', Map<string, Verdict>> = { discovered: new Map(), profile: new Map() };
    try {
      const spec = `dcerpc:127.0.0.1:${served.port}`;
      for (const run of ['discovered', 'profile'] as const) {
        const target = await createTarget(spec, {
          user: USER,
          password: new Secret(PASSWORD),
          readUser: READER,
          readPassword: new Secret(READ_PASSWORD),
          nodeTargets: [`dcerpc:127.0.0.1:${served.nodePorts[CLUSTER.nodes[1]!.name]}`],
          stimuli: 'auto',
          timeoutMultiplier: 0.2 * timeScale(),
        });
        try {
          expect(target.control?.unsettled).toBeDefined();
          const roles = await bindRoles({ targetSpec: spec, target, protocolVersion: version, callMs: timeouts.callMs, ...(run === 'profile' ? { profile: PROFILE } : {}) });
          // Discovery found the other cluster's own names (no default name among them).
          expect(roles.name('group')).toBe(profile.name('group'));
          expect(roles.name('resource')).toBe(profile.name('resource'));
          inband[run] = verdicts(version, await runAllSequences(target, version, timeouts, roles));
        } finally {
          await target.dispose();
        }
      }
    } finally {
      await served.stop();
    }

    for (const run of ['discovered', 'profile'] as const) {
      const bad = [...inband[run]].filter(([, v]) => v.verdict === 'FAIL' || v.verdict === 'ERROR').map(([id, v]) => `${run} ${id} ${v.verdict}: ${v.message}`);
      expect(bad).toEqual([]);
      const measured = share(control, inband[run], loadAllSequences(), version);
      // Every clause judged with the control adapter and not in-band says why.
      for (const l of measured.lost) expect([l.id, l.verdict?.message ?? '']).toEqual([l.id, expect.stringMatching(/\S/)]);
      const table = `${run === 'profile' ? 'with --profile other-names.json' : 'roles discovered, no profile'}: ${describeShare(measured, version)}`;
      console.log(table);
      if (process.env.CMRP_INBAND_TABLE) fs.appendFileSync(process.env.CMRP_INBAND_TABLE, `${table}\n`);
      expect(measured.judgedInband.length / measured.judgedWithControl.length).toBeGreaterThanOrEqual(FLOOR[run][version]);
      expect(measured.judgedInband.length).toBeGreaterThanOrEqual(JUDGED_FLOOR[run][version]);
    }
  }, 900_000);
});
