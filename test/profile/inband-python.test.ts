// The Python example adapter (examples/python-adapter) declares MS-CMRP's management methods
// (management.py): with --stimuli inband the suite discovers its objects and causes its events through
// MS-CMRP alone, with no FAIL and no ERROR, and judges at least FLOOR clauses that way. In-band, the suite
// changes only roles a profile marks disposable, so the run binds examples/profiles/builtin.json (the
// example serves the default cluster), which marks them all.
import * as path from 'node:path';
import { loadCatalogue } from '../../harness/catalogue/load';
import { bindRoles } from '../../harness/profile/resolve';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts } from '../../harness/session/session';
import { createTarget } from '../../harness/target/resolve';
import { judge } from '../../harness/verdict/judge';
import type { Target } from '../../cmrp/contract';
import { SLOW_START, pythonSpec } from '../adapter/helpers';

const catalogue = loadCatalogue();
const PROFILE = path.join(__dirname, '..', '..', 'examples', 'profiles', 'builtin.json');
const timeouts = defaultTimeouts(SLOW_START.timeoutMultiplier);
/** Clauses judged (PASS) in-band, at least: measured 224 (v3) and 176 (v2). */
const FLOOR = { 2: 170, 3: 215 } as const;

describe.each([3, 2] as const)('protocol version %i', (version) => {
  let target: Target;
  beforeAll(async () => {
    target = await createTarget(pythonSpec(), { ...SLOW_START, stimuli: 'inband' });
  });
  afterAll(() => target?.dispose());

  test('in-band stimuli and discovery through the example adapter: no FAIL, no ERROR', async () => {
    expect(target.control?.unsettled).toBeDefined();
    const roles = await bindRoles({ targetSpec: pythonSpec(), target, protocolVersion: version, callMs: timeouts.callMs });
    expect(roles.name('group')).toBe('App Group');
    // Discovered roles are not the suite's to change: without a profile the state-changing sequences are NOT-TESTED.
    expect(roles.disposable('group')).toBe(false);
    const profiled = await bindRoles({ targetSpec: pythonSpec(), target, protocolVersion: version, callMs: timeouts.callMs, profile: PROFILE });
    const selection = catalogue.filter((c) => c.versions.includes(version));
    const verdicts = judge(selection, await runAllSequences(target, version, timeouts, profiled));
    const bad = verdicts.filter((v) => v.verdict === 'FAIL' || v.verdict === 'ERROR').map((v) => `${v.id} ${v.verdict}: ${(v.message ?? '').split('\n')[0]}`);
    expect(bad).toEqual([]);
    const passed = verdicts.filter((v) => v.verdict === 'PASS').length;
    console.log(`protocol version ${version}: the Python example judged in-band: ${passed} PASS`);
    expect(passed).toBeGreaterThanOrEqual(FLOOR[version]);
  }, 300_000);
});
