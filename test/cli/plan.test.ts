// `plan` prints the calls and stimuli a run would make, with the server's names and the suite's own
// prefix, and connects to nothing (the target named here does not exist).
import * as path from 'node:path';
import { main } from '../../harness/cli/main';
import { packageRoot } from '../../cmrp/package-info';
import { capture, fakeRunner, tempDir } from '../support/cli-fixtures';

const ROOT = packageRoot();

async function plan(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const executeRun = fakeRunner({});
  const code = await main(['plan', ...argv], { stdout, stderr, cwd: tempDir(), env: {}, executeRun, listMutants: () => [] });
  // Nothing is run: plan never calls the runner.
  expect(executeRun.calls).toEqual([]);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('prints each call and stimulus with the profile\'s names and the own prefix, around the run\'s cleanup', async () => {
  const profile = path.join(ROOT, 'examples/profiles/other-names.json');
  const r = await plan(['--target', 'dcerpc:127.0.0.1:9', '--auth', 'none', '--profile', profile, '--section', '2.2.2.7']);
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toMatch(/^before the run: control ListObjects prefix="cmrp-conf-"/m);
  expect(r.stdout).toContain('control SetState objectType="node" name="HB-NODE-B" state=2');
  expect(r.stdout).toMatch(/control AddObject objectType="node" name="cmrp-conf-[0-9a-z]{6}-doomed node"/);
  expect(r.stdout).toContain('ApiAddNotifyCluster($port, $cluster, "NODE_DELETED", 7)');
  expect(r.stdout).toMatch(/^after the run \(also after a fault, SIGINT or SIGTERM\): control ListObjects prefix="cmrp-conf-[0-9a-z]{6}-"/m);
  // No name of the default cluster anywhere.
  for (const name of ['App Group', 'App Service', 'node2', 'Cluster Disk', 'Parameters']) expect(r.stdout).not.toContain(name);
});

test('a role the profile does not make disposable is named as the reason a sequence may not run', async () => {
  const r = await plan(['--profile', path.join(ROOT, 'examples/profiles/windows-cluster.json'), '--section', '2.2.2.7']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/without it NOT-TESTED: role @node is not disposable/);
});

test('a broken profile or a selection matching nothing is exit 2 with one line', async () => {
  const missing = await plan(['--profile', '/nonexistent/p.json']);
  expect([missing.code, missing.stderr.trim().split('\n').length]).toEqual([2, 1]);
  const none = await plan(['--section', '9.9.9']);
  expect(none.code).toBe(2);
});
