// The done-when run of issue 14 (items 1, 2 and 4): the reference served over dcerpc: at packet privacy
// with a cluster of other names (examples/clusters/other-names.json), no control adapter and no profile.
// Roles are discovered in-band (ApiCreateEnum), stimuli are caused in-band (--stimuli auto picks them: the
// target has no control adapter). The run must give no FAIL and no ERROR, and judge (PASS, FAIL or
// NON-STRICT) as large a share of the clauses the same cluster's run with the control adapter and a profile
// judges as in-band stimuli allow; every clause it does not judge says why (NOT-TESTED or INCONCLUSIVE
// with a reason naming the in-band limit). The share is pinned (FLOOR) so a regression shows.
import * as path from 'node:path';
import { loadCatalogue } from '../../harness/catalogue/load';
import { RoleBindings } from '../../harness/profile/bindings';
import { loadProfileFile } from '../../harness/profile/load';
import { bindRoles } from '../../harness/profile/resolve';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts } from '../../harness/session/session';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { createTarget } from '../../harness/target/resolve';
import { judge } from '../../harness/verdict/judge';
import { loadClusterFile } from '../../reference';
import { REFERENCE_IDENTITY } from '../../harness/cli/serve';
import { Secret, credentials } from '../../wire/auth';
import type { ProtocolVersion } from '../../cmrp/constants';
import type { Observation } from '../../harness/recorder/observation';
import { serveReference } from '../wire/rpc/support';
import { timeScale } from '../support/time-scale';

const ROOT = path.resolve(__dirname, '../..');
const CLUSTER = loadClusterFile(path.join(ROOT, 'examples/clusters/other-names.json'));
const PASSWORD = 'In-band-Pa55word';
const catalogue = loadCatalogue();
const catalogueIds = new Set(catalogue.map((c) => c.id));
// The served reference shares this process's event loop: on a loaded machine its answers come late.
const timeouts = defaultTimeouts(0.2 * timeScale());
/** The share of the control run's judged clauses the in-band run judges, at least (measured: see docs/stimuli.md). */
const FLOOR: Record<ProtocolVersion, number> = { 2: 0.45, 3: 0.45 };

function verdicts(version: ProtocolVersion, observations: Observation[]): Map<string, { verdict: string; message: string }> {
  const selection = catalogue.filter((c) => c.versions.includes(version));
  return new Map(judge(selection, observations, { catalogueIds }).map((v) => [v.id, { verdict: v.verdict, message: (v.message ?? '').split('\n')[0] }]));
}

const JUDGED = new Set(['PASS', 'FAIL', 'NON-STRICT']);

describe.each([3, 2] as const)('protocol version %i', (version) => {
  test('in-band stimuli and discovery over dcerpc: at packet privacy judge with no FAIL, and say why for the rest', async () => {
    // With the control adapter and a profile: what the suite judges when it can cause everything.
    const builtin = createBuiltinTarget({ cluster: CLUSTER });
    const profile = RoleBindings.of(loadProfileFile(path.join(ROOT, 'examples/profiles/other-names.json')), '--profile other-names.json');
    let control;
    try {
      control = verdicts(version, await runAllSequences(builtin, version, timeouts, profile));
    } finally {
      await builtin.dispose();
    }

    const account = credentials({ domain: 'HARBOUR', user: 'tester' }, PASSWORD);
    const served = await serveReference({ target: createBuiltinTarget({ cluster: CLUSTER }), account, identity: { ...REFERENCE_IDENTITY, clusterName: CLUSTER.name, nodeName: CLUSTER.nodes[0]!.name } });
    let inband;
    try {
      const spec = `dcerpc:127.0.0.1:${served.port}`;
      const target = await createTarget(spec, { user: 'HARBOUR\\tester', password: new Secret(PASSWORD), stimuli: 'auto', timeoutMultiplier: 0.2 * timeScale() });
      try {
        expect(target.control?.unsettled).toBeDefined();
        const roles = await bindRoles({ targetSpec: spec, target, protocolVersion: version, callMs: timeouts.callMs });
        // Discovery found the other cluster's own names (no default name among them).
        expect(roles.name('group')).toBe(profile.name('group'));
        expect(roles.name('resource')).toBe(profile.name('resource'));
        inband = verdicts(version, await runAllSequences(target, version, timeouts, roles));
      } finally {
        await target.dispose();
      }
    } finally {
      await served.close();
    }

    const bad = [...inband].filter(([, v]) => v.verdict === 'FAIL' || v.verdict === 'ERROR').map(([id, v]) => `${id} ${v.verdict}: ${v.message}`);
    expect(bad).toEqual([]);
    const judgedWithControl = [...control].filter(([, v]) => JUDGED.has(v.verdict)).map(([id]) => id);
    const judgedInband = judgedWithControl.filter((id) => JUDGED.has(inband.get(id)?.verdict ?? ''));
    const share = judgedInband.length / judgedWithControl.length;
    // Every clause judged with the control adapter and not in-band says why.
    for (const id of judgedWithControl.filter((i) => !judgedInband.includes(i))) expect([id, inband.get(id)?.message ?? '']).toEqual([id, expect.stringMatching(/\S/)]);
    console.log(`protocol version ${version}: in-band judges ${judgedInband.length} of the ${judgedWithControl.length} clauses judged with the control adapter (${(share * 100).toFixed(1)} %)`);
    expect(share).toBeGreaterThanOrEqual(FLOOR[version]);
  }, 900_000);
});
