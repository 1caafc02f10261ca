// Several active nodes and the cluster security descriptor over the wire: the reference served as two
// nodes of one cluster (serve --listen ... --node node1 --listen ... --node node2), judged by the
// command line at packet privacy with --node-target and --read-user. Every several-node clause and
// every security-descriptor clause the sequences judge is PASS in both protocol versions; without
// --node-target the several-node ones are NOT-TESTED saying why; NodeDown closes the lost node's
// endpoint and NodeUp reopens it; a refused caller's connection is ended (3.1.3/R7); the wire mutant
// ignoring the descriptor is caught by its clauses.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdapterTargetFromSpec } from '../../../harness/target/adapter';
import { clausesIn } from '../../../harness/sequence/interpret';
import { loadAllSequences } from '../../../harness/sequence/load';
import type { Sequence } from '../../../harness/sequence/types';
import { createDcerpcTarget, type DcerpcAuth } from '../../../harness/target/dcerpc';
import { RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, credentials, parseAccount, Secret } from '../../../wire/auth';
import { TargetError } from '../../../cmrp/contract';
import type { Target } from '../../../cmrp/contract';
import { startServe, type ServedProcess } from './served-process';
import { expectNotTestedNaming, notPassed } from './support';
import { scaled } from '../../support/time-scale';

const CLI = join(__dirname, 'fixtures/cli.js');
const PASSWORD = `S3cret-${randomBytes(9).toString('base64url')}`;
const READ_PASSWORD = `R3ad-${randomBytes(9).toString('base64url')}`;
const USER = 'CLUSTER\\tester';
const READER = 'CLUSTER\\reader';
const ENV = { CMRP_PASSWORD: PASSWORD, CMRP_READ_PASSWORD: READ_PASSWORD };
const ACCOUNTS = ['--control-listen', 'tcp:127.0.0.1:0', '--user', USER, '--read-user', READER];
const TWO_NODES = ['--listen', 'dcerpc:127.0.0.1:0', '--node', 'node1', '--listen', 'dcerpc:127.0.0.1:0', '--node', 'node2', ...ACCOUNTS];

const named = (steps: Sequence['steps']): boolean => steps.some((s) => ('reconnect' in s && typeof s.reconnect === 'string') || ('repeat' in s && named(s.steps)));
const security = (s: Sequence) => s.steps.some((step) => 'control' in step && step.control.verb === 'SetClusterSecurity');
const clausesOf = (pick: (s: Sequence) => boolean, version: 2 | 3) => [...new Set(loadAllSequences().filter(pick).flatMap((s) => clausesIn(s, version)))].sort();

const auth = (user: string, password: string): DcerpcAuth => ({
  authType: RPC_C_AUTHN.GSS_NEGOTIATE,
  authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY,
  credentials: credentials(parseAccount(user), new Secret(password)),
});

interface Results {
  clauses: { id: string; verdict: string; message?: string }[];
}

describe('several nodes and the cluster security descriptor over dcerpc: at packet privacy', () => {
  let dir: string;
  let cluster: ServedProcess;
  let mutant: ServedProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cmrp-nodes-'));
    [cluster, mutant] = await Promise.all([startServe(TWO_NODES, scaled(90000), ENV), startServe(['--listen', 'dcerpc:127.0.0.1:0', ...ACCOUNTS, '--mutant', 'ignore-cluster-security'], scaled(90000), ENV)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([cluster?.stop(), mutant?.stop()]);
    const text = `${cluster?.stdout()}${cluster?.stderr()}${mutant?.stdout()}${mutant?.stderr()}`;
    rmSync(dir, { recursive: true, force: true });
    expect(text.includes(PASSWORD) || text.includes(READ_PASSWORD)).toBe(false);
  });

  const run = (label: string, served: ServedProcess, args: string[]): { status: number | null; results: Results } => {
    const json = join(dir, `${label}.json`);
    const target = ['--target', `dcerpc:127.0.0.1:${served.port}`, '--control', `tcp:127.0.0.1:${served.controlPort}`, '--user', USER, '--read-user', READER];
    const result = spawnSync(process.execPath, [CLI, 'run', ...target, ...args, '--json', json, '--junit', join(dir, `${label}.xml`), '--markdown', join(dir, `${label}.md`)], {
      cwd: dir,
      encoding: 'utf8',
      timeout: scaled(600_000),
      env: { ...process.env, ...ENV },
    });
    if (result.status !== 0 && result.status !== 1) throw new Error(`run ${label} ended with ${result.status ?? result.signal}: ${result.stderr}`);
    return { status: result.status, results: JSON.parse(readFileSync(json, 'utf8')) as Results };
  };
  const verdicts = (results: Results, ids: string[]) => Object.fromEntries(ids.map((id) => [id, results.clauses.find((c) => c.id === id)?.verdict]));
  const select = (ids: string[]) => ids.flatMap((id) => ['--clause', id]);

  // What a previous sequence or run may leave behind on a shared cluster (a group failed over to the node the
  // run connects to): role discovery restores the cluster before binding, so the run judges the same.
  const leaveGroupMoved = async () => {
    const control = (await createAdapterTargetFromSpec(`tcp:127.0.0.1:${cluster.controlPort}`, {}))!;
    try {
      await control.control!.apply({ verb: 'MoveGroup', name: 'App Group', node: 'node1' });
    } finally {
      await control.dispose();
    }
  };

  it.each([3, 2] as const)('protocol version %s: every several-node and security-descriptor clause PASS, whatever the cluster was left like', async (version) => {
    await leaveGroupMoved();
    const ids = [...new Set([...clausesOf((s) => named(s.steps), version), ...clausesOf(security, version)])];
    expect(ids).toEqual(expect.arrayContaining(version === 3 ? ['3.1.1/R5', '3.1.4.2/R7', '3.1.4.2/R8', '3.1.1.8/R19', '2.1/R21', '2.1/R22', '3.1.3/R6'] : ['3.1.4.1/R4', '3.1.4.1/R6', '3.1.4.1/R7', '2.1/R21', '3.1.3/R6']));
    const { status, results } = run(`nodes-v${version}`, cluster, ['--node-target', `dcerpc:127.0.0.1:${cluster.nodePorts.node2}`, '--protocol-version', String(version), ...select(ids)]);
    expect(notPassed(results, ids)).toEqual([]);
    expect(verdicts(results, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 'PASS'])));
    expect(status).toBe(0);
  }, 700_000);

  it('without --node-target: the several-node clauses are NOT-TESTED, naming the flag', () => {
    // Those no one-node sequence judges as well (the read-only rules a per-node sequence checks again are judged on one node too).
    const oneNode = new Set(clausesOf((s) => !named(s.steps), 3));
    const ids = clausesOf((s) => named(s.steps) && !security(s), 3).filter((id) => (id.startsWith('3.1.4.2/') || id.startsWith('3.1.1/')) && !oneNode.has(id));
    expect(ids).toEqual(expect.arrayContaining(['3.1.4.2/R7', '3.1.4.2/R12']));
    const { results } = run('one-node', cluster, ['--clause', '3.1.4.2.56/R8', ...select(ids)]);
    expectNotTestedNaming(results, ids, '--node-target');
  }, 700_000);

  it('the served mutant ignoring the cluster security descriptor is caught by its clauses', () => {
    const { results } = run('ignore-sd', mutant, select(clausesOf(security, 3)));
    expect(verdicts(results, ['2.1/R21', '3.1.3/R6'])).toEqual({ '2.1/R21': 'FAIL', '3.1.3/R6': 'FAIL' });
  }, 700_000);

  describe('on the wire itself', () => {
    let control: Target;
    let target: Target;
    beforeAll(async () => {
      control = (await createAdapterTargetFromSpec(`tcp:127.0.0.1:${cluster.controlPort}`, {}))!;
      target = await createDcerpcTarget('dcerpc', { host: '127.0.0.1', port: cluster.nodePorts.node1 }, {
        auth: auth(USER, PASSWORD),
        readAuth: auth(READER, READ_PASSWORD),
        nodeEndpoints: [{ host: '127.0.0.1', port: cluster.nodePorts.node2 }],
      });
    }, 60_000);
    afterAll(async () => {
      await control?.control?.apply({ verb: 'Reset' });
      await Promise.all([target?.dispose(), control?.dispose()]);
    });

    const accepts = (port: number) =>
      new Promise<boolean>((resolve) => {
        const socket = tcpConnect({ host: '127.0.0.1', port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });

    it('each endpoint is the node ApiGetClusterName names; a node no endpoint serves is refused, saying what each said', async () => {
      expect(target.capabilities.nodeEndpoints).toBe(2);
      const c = await target.connect({ protocolVersion: 3, node: 'NODE2' });
      expect((await c.ApiOpenCluster()).status).toBe(0);
      await c.close();
      await expect(target.connect({ protocolVersion: 3, node: 'node9' })).rejects.toThrow(/no node endpoint serves node 'node9'.*is node 'node1'.*is node 'node2'/);
    }, 60_000);

    it('NodeDown closes the lost node\'s endpoint and drops its connections; NodeUp reopens it on the same port', async () => {
      const c = await target.connect({ protocolVersion: 3, node: 'node1' });
      expect((await c.ApiOpenCluster()).status).toBe(0);
      await control.control!.apply({ verb: 'NodeDown', name: 'node1' });
      expect(await accepts(cluster.nodePorts.node1)).toBe(false);
      expect(await accepts(cluster.nodePorts.node2)).toBe(true);
      const after = await c.ApiOpenCluster().catch((e: unknown) => e);
      expect(after instanceof TargetError || (typeof after === 'object' && after !== null && 'fault' in after && after.fault !== undefined)).toBe(true);
      await control.control!.apply({ verb: 'NodeUp', name: 'node1' });
      expect(await accepts(cluster.nodePorts.node1)).toBe(true);
      await c.close();
    }, 60_000);

    it('a caller the descriptor no longer permits gets access denied, and its connection is ended (3.1.3/R7)', async () => {
      await control.control!.apply({ verb: 'SetClusterSecurity', account: 'read', access: 'none' });
      const c = await target.connect({ protocolVersion: 3, accessLevel: 'read' }).catch((e: unknown) => e);
      // The refusal may come at the connect's own first call or at the first method.
      if (c instanceof Error) {
        expect(c.message).toMatch(/access_denied|0x5|closed/);
      } else {
        const connection = c as Awaited<ReturnType<Target['connect']>>;
        expect(await connection.ApiCreateNotify()).toEqual({ fault: 5 });
        const next = await connection.ApiCreateNotify().catch((e: unknown) => e);
        expect(next instanceof TargetError ? next.message : JSON.stringify(next)).toMatch(/closed|fault/);
        await connection.close();
      }
      await control.control!.apply({ verb: 'SetClusterSecurity', account: 'read', access: 'read' });
    }, 60_000);
  });
});
