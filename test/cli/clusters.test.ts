// Several equivalent clusters for one dcerpc: run: --target and --control once per cluster, paired in
// order; each worker keeps to one cluster (its lane); clusters that offer different things are refused.
import { parseArgs } from '../../harness/cli/args';
import { RUN_FLAGS, targetFlags, targetText } from '../../harness/cli/flags';
import { laneOf, type RunConfig } from '../../harness/run-config/config';
import { inequivalence } from '../../harness/runner/run';
import type { Capabilities } from '../../cmrp/contract';

const flagsOf = (argv: string[]) => targetFlags(parseArgs('run', argv, RUN_FLAGS).flags, 'builtin');

describe('targetFlags', () => {
  it('takes one --target and --control as before, and builtin when none is given', () => {
    expect(flagsOf([])).toEqual({ target: 'builtin' });
    expect(flagsOf(['--target', 'dcerpc:h:1', '--control', 'tcp:127.0.0.1:9'])).toEqual({ target: 'dcerpc:h:1', control: 'tcp:127.0.0.1:9' });
  });

  it('pairs each dcerpc: cluster with its control adapter, in the order given', () => {
    expect(flagsOf(['--target', 'dcerpc:a:1', '--control', 'tcp:127.0.0.1:11', '--target', 'dcerpc:b:2', '--control', 'tcp:127.0.0.1:12', '--target', 'dcerpc:c:3', '--control', 'tcp:127.0.0.1:13'])).toEqual({
      target: 'dcerpc:a:1',
      control: 'tcp:127.0.0.1:11',
      moreClusters: [
        { target: 'dcerpc:b:2', control: 'tcp:127.0.0.1:12' },
        { target: 'dcerpc:c:3', control: 'tcp:127.0.0.1:13' },
      ],
    });
    expect(flagsOf(['--target', 'dcerpc:a:1', '--target', 'dcerpc:b:2'])).toEqual({ target: 'dcerpc:a:1', moreClusters: [{ target: 'dcerpc:b:2' }] });
  });

  it.each([
    [['--target', 'builtin', '--target', 'dcerpc:b:2'], '--target given 2 times: several clusters are for dcerpc: targets (builtin is not)'],
    [['--target', 'dcerpc:a:1', '--target', 'dcerpc:b:2', '--control', 'tcp:127.0.0.1:11'], '--control given 1 time(s) for 2 --target: give one for each cluster, in the same order'],
    [['--target', 'dcerpc:a:1', '--control', 'tcp:127.0.0.1:11', '--control', 'tcp:127.0.0.1:12'], '--control given twice: one control adapter a cluster (give --target once for each cluster)'],
    [['--target', 'dcerpc:a:1', '--target', 'dcerpc:b:2', '--node-target', 'dcerpc:n:3'], '--node-target names nodes of one cluster: it goes with a single --target'],
    [['--target', 'dcerpc:a:1', '--target', 'dcerpc:a:1'], '--target dcerpc:a:1 given twice: each cluster once'],
  ])('refuses %j with one line', (argv, message) => {
    expect(() => flagsOf(argv)).toThrow(message);
  });

  it('names every cluster in a plan or a dry run', () => {
    expect(targetText('dcerpc:a:1', undefined)).toBe('target dcerpc:a:1');
    expect(targetText('dcerpc:a:1', [{ target: 'dcerpc:b:2' }])).toBe('2 equivalent clusters dcerpc:a:1, dcerpc:b:2 (one suite file at a time on each)');
  });
});

describe('laneOf', () => {
  const config: RunConfig = {
    target: 'dcerpc:a:1',
    control: 'tcp:127.0.0.1:11',
    user: 'D\\u',
    moreClusters: [{ target: 'dcerpc:b:2', control: 'tcp:127.0.0.1:12' }],
    protocolVersion: 3,
    timeoutMultiplier: 1,
    seed: 1,
  };

  it("gives each Jest worker one cluster with its own control, and nothing of another's", () => {
    const lanes = ['1', '2', '3'].map((id) => laneOf(config, id));
    expect(lanes.map((l) => [l.target, l.control])).toEqual([
      ['dcerpc:a:1', 'tcp:127.0.0.1:11'],
      ['dcerpc:b:2', 'tcp:127.0.0.1:12'],
      ['dcerpc:a:1', 'tcp:127.0.0.1:11'],
    ]);
    for (const lane of lanes) {
      expect(lane.moreClusters).toBeUndefined();
      expect(lane.user).toBe('D\\u');
    }
  });

  it('keeps to the first cluster in band (no worker id), and leaves a run of one cluster as it is', () => {
    expect(laneOf(config, undefined).target).toBe('dcerpc:a:1');
    const { moreClusters: _more, ...one } = config;
    expect(laneOf(one, '2')).toEqual(one);
  });

  it('drops the control where the lane has none', () => {
    expect(laneOf({ ...config, moreClusters: [{ target: 'dcerpc:b:2' }] }, '2')).not.toHaveProperty('control');
  });
});

describe('inequivalence', () => {
  const capabilities: Capabilities = { protocolVersions: [2, 3], notifyV2: true, accessLevels: ['full'], rpcRuntime: true, management: true, nodeEndpoints: 1 };
  it('passes clusters that offer the same, and names the first that does not', () => {
    expect(inequivalence([{ description: 'A', capabilities }, { description: 'B', capabilities: { ...capabilities } }])).toBeUndefined();
    expect(inequivalence([{ description: 'A', capabilities }, { description: 'B', capabilities: { ...capabilities, notifyV2: false } }])).toMatch(/^the clusters are not equivalent: B offers .*"notifyV2":false.*, A offers .*"notifyV2":true/);
  });
});
