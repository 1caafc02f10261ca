// The several-node flags: run's --node-target (dcerpc: only, reaching the suites and replay commands)
// and serve's --listen/--node pairs; every mistake a one-line usage error naming the flag.
import { PassThrough } from 'node:stream';
import { UsageError } from '../../cmrp/errors';
import { serveCommand } from '../../harness/cli/serve';
import { reachFlags, reachOf } from '../../harness/run-config/config';
import { createTarget } from '../../harness/target/resolve';

const deps = { stdout: new PassThrough(), stderr: new PassThrough(), env: { CMRP_PASSWORD: 'Pa55word' } } as never;
const io = { stdin: new PassThrough(), stdout: new PassThrough(), stopped: () => Promise.resolve() };
const serve = (argv: string[]) => serveCommand(argv, deps, io);

describe('run --node-target', () => {
  it('goes with a dcerpc target, and names a dcerpc endpoint', async () => {
    await expect(createTarget('builtin', { nodeTargets: ['dcerpc:127.0.0.1:1'] })).rejects.toThrow(UsageError);
    await expect(createTarget('dcerpc:127.0.0.1:1', { auth: 'none', nodeTargets: ['tcp:127.0.0.1:2'] })).rejects.toThrow(new UsageError('--node-target tcp:127.0.0.1:2: expected dcerpc:HOST[:PORT], another node of the same cluster'));
  });

  it('reaches the suites, replay files and replay commands', () => {
    const reach = reachOf({ user: 'CLUSTER\\tester', nodeTargets: ['dcerpc:127.0.0.1:2', 'dcerpc:127.0.0.1:3'] });
    expect(reach).toEqual({ user: 'CLUSTER\\tester', nodeTargets: ['dcerpc:127.0.0.1:2', 'dcerpc:127.0.0.1:3'] });
    expect(reachFlags(reach)).toEqual(["--user 'CLUSTER\\tester'", "--node-target 'dcerpc:127.0.0.1:2'", "--node-target 'dcerpc:127.0.0.1:3'"]);
  });
});

describe('serve --listen ... --node ...', () => {
  it.each([
    [['--listen', 'dcerpc:127.0.0.1:0', '--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none'], 'several --listen need a --node each'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--node', 'node1', '--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none'], '2 --listen but 1 --node'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--node', 'node9', '--auth', 'none'], "--node node9: the cluster has no such node (its nodes: node1, node2)"],
    [['--listen', 'dcerpc:127.0.0.1:0', '--node', 'node1', '--listen', 'dcerpc:127.0.0.1:0', '--node', 'NODE1', '--auth', 'none'], '--node NODE1: given twice'],
    [['--listen', 'stdio', '--node', 'node1'], '--node goes with --listen dcerpc:'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--listen', 'tcp:127.0.0.1:0', '--auth', 'none'], 'each must be dcerpc:127.0.0.1:PORT'],
  ])('%j is refused in one line', async (argv, message) => {
    await expect(serve(argv)).rejects.toThrow(UsageError);
    await expect(serve(argv)).rejects.toThrow(message);
  });
});
