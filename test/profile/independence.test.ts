// The suite judges by role, not by the reference's names: every scripted sequence, run in process (as
// test/suite/power.ts does) against the reference started with examples/clusters/other-names.json and
// bound through examples/profiles/other-names.json, gives the same verdict per clause as against the
// default cluster, with no FAIL, in both protocol versions.
import * as path from 'node:path';
import { loadCatalogue } from '../../harness/catalogue/load';
import { RoleBindings } from '../../harness/profile/bindings';
import { loadProfileFile } from '../../harness/profile/load';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts } from '../../harness/session/session';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { judge } from '../../harness/verdict/judge';
import { loadClusterFile } from '../../reference';
import type { ProtocolVersion } from '../../cmrp/constants';

const ROOT = path.resolve(__dirname, '../..');
const catalogue = loadCatalogue();
const catalogueIds = new Set(catalogue.map((c) => c.id));
const timeouts = defaultTimeouts(0.1);

async function verdicts(version: ProtocolVersion, otherNames: boolean): Promise<Map<string, string>> {
  const cluster = otherNames ? loadClusterFile(path.join(ROOT, 'examples/clusters/other-names.json')) : undefined;
  const target = createBuiltinTarget(cluster ? { cluster } : {});
  const roles = otherNames ? RoleBindings.of(loadProfileFile(path.join(ROOT, 'examples/profiles/other-names.json')), '--profile other-names.json') : undefined;
  try {
    const observations = await runAllSequences(target, version, timeouts, roles);
    const selection = catalogue.filter((c) => c.versions.includes(version));
    return new Map(judge(selection, observations, { catalogueIds }).map((v) => [v.id, `${v.verdict}${v.verdict === 'PASS' ? '' : `: ${(v.message ?? '').split('\n')[0]}`}`]));
  } finally {
    await target.dispose();
  }
}

describe.each([2, 3] as const)('protocol version %i', (version) => {
  test('a cluster sharing no name with the default one gets the same verdicts, and no FAIL', async () => {
    const usual = await verdicts(version, false);
    const other = await verdicts(version, true);
    const fails = [...other].filter(([, v]) => v.startsWith('FAIL') || v.startsWith('ERROR'));
    expect(fails).toEqual([]);
    const kind = (v: string | undefined) => v?.split(':')[0];
    const differing = [...usual.keys()].filter((id) => kind(usual.get(id)) !== kind(other.get(id))).map((id) => `${id}: default ${usual.get(id)} / other names ${other.get(id)}`);
    expect(differing).toEqual([]);
    // The comparison means something only if the suite judged: most clauses PASS on both.
    expect([...other.values()].filter((v) => v === 'PASS').length).toBeGreaterThan(100);
  }, 600_000);
});
