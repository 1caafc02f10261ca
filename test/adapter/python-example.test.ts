// The Python example (examples/python-adapter) run through every scripted sequence, over stdio and
// over TCP: whatever it claims it passes; what it does not offer (the MoveResource, SetQuorum,
// SetInterfaceLink, SetNodeActivity, SetClusterSecurity verbs, a second node) is NOT-TESTED with the
// reason, never PASS.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import type { Observation } from '../../harness/recorder/observation';
import type { Target } from '../../cmrp/contract';
import { createTarget } from '../../harness/target/resolve';
import { PYTHON, PYTHON_ADAPTER, SLOW_START, pythonSpec, runAllSequences } from './helpers';

/** A missing capability is the only acceptable reason for a clause not to pass. */
const CAPABILITY_GAP = /version 2 notification ports|control adapter lacks (MoveResource|SetQuorum|SetInterfaceLink|SetNodeActivity|SetClusterSecurity)|sees the RPC runtime|connections to two nodes of the cluster|does not serve the management methods/;

function expectPasses(observations: Observation[]): void {
  expect(observations.length).toBeGreaterThan(50);
  const wrong = observations.filter((o) => o.outcome !== 'pass' && !(o.outcome === 'not-tested' && CAPABILITY_GAP.test(o.message ?? '')));
  expect(wrong.map((o) => `${o.test} ${o.clause} ${o.outcome}: ${o.message}`)).toEqual([]);
  expect(observations.filter((o) => o.outcome === 'pass').length).toBeGreaterThan(observations.length / 2);
}

describe('the Python example adapter over stdio', () => {
  let target: Target;
  beforeAll(async () => {
    target = await createTarget(pythonSpec(), SLOW_START);
  });
  afterAll(() => target?.dispose());

  it('declares its capabilities in the handshake', () => {
    expect(target.description).toMatch(/python example adapter/);
    expect(target.capabilities).toEqual({ protocolVersions: [2, 3], notifyV2: true, accessLevels: ['full', 'read'], management: true });
    expect(target.control?.verbs.has('SetState')).toBe(true);
    expect(target.control?.verbs.has('SetQuorum')).toBe(false);
  });

  for (const version of [2, 3] as const) {
    it(`passes every sequence it has the capabilities for, protocol version ${version}`, async () => {
      expectPasses(await runAllSequences(target, version));
    });
  }
});

describe('the Python example adapter over TCP', () => {
  let child: ChildProcessWithoutNullStreams;
  let target: Target;
  beforeAll(async () => {
    child = spawn(PYTHON, [PYTHON_ADAPTER, '--listen', 'tcp:127.0.0.1:0']);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    while (!/listening on tcp:127\.0\.0\.1:\d+\n/.test(out)) await once(child.stdout, 'data');
    target = await createTarget(`tcp:127.0.0.1:${/:(\d+)\n/.exec(out)![1]}`, SLOW_START);
  });
  afterAll(async () => {
    await target?.dispose();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  for (const version of [2, 3] as const) {
    it(`passes every sequence it has the capabilities for, protocol version ${version}`, async () => {
      expectPasses(await runAllSequences(target, version));
    });
  }
});
