// The reference server behind the adapter protocol answers exactly like the in-process reference:
// over stdio (the serve command in a child process) and over TCP (in-process and as a CLI child).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { serveAdapter, type AdapterServer } from '../../reference/serve/serve';
import { createBuiltinTarget } from '../../harness/target/builtin';
import type { Target } from '../../cmrp/contract';
import { createTarget } from '../../harness/target/resolve';
import { FIXTURES, SLOW_START, runAllSequences, scriptedSession, servedReferenceSpec, verdictOf } from './helpers';

const versions = [2, 3] as const;

describe('the served reference', () => {
  let builtin: Target;
  let stdio: Target;
  let tcpServer: AdapterServer;
  let tcp: Target;

  beforeAll(async () => {
    builtin = createBuiltinTarget();
    stdio = await createTarget(servedReferenceSpec(), SLOW_START);
    tcpServer = await serveAdapter({ host: '127.0.0.1', port: 0 }, () => createBuiltinTarget());
    tcp = await createTarget(`tcp:127.0.0.1:${tcpServer.address!.port}`, SLOW_START);
  });
  afterAll(async () => {
    await Promise.all([builtin?.dispose(), stdio?.dispose(), tcp?.dispose()]);
    await tcpServer?.close();
  });

  it('declares what builtin declares', () => {
    for (const t of [stdio, tcp]) {
      expect(t.capabilities).toEqual(builtin.capabilities);
      expect([...t.control!.verbs].sort()).toEqual([...builtin.control!.verbs].sort());
    }
    expect(stdio.description).toMatch(/^stdio:.*\(cmrp-notify-conformance serve\)$/);
  });

  for (const version of versions) {
    it(`gives builtin's replies to a scripted session, protocol version ${version}`, async () => {
      const expected = await scriptedSession(builtin, version);
      expect(await scriptedSession(stdio, version)).toEqual(expected);
      expect(await scriptedSession(tcp, version)).toEqual(expected);
    });

    it(`gives builtin's verdicts on every scripted sequence, protocol version ${version}`, async () => {
      const expected = (await runAllSequences(builtin, version)).map(verdictOf);
      expect(expected.length).toBeGreaterThan(50);
      expect((await runAllSequences(stdio, version)).map(verdictOf)).toEqual(expected);
      expect((await runAllSequences(tcp, version)).map(verdictOf)).toEqual(expected);
    });
  }

  it('serves a mutant when asked, and the mutant differs from the reference', async () => {
    const mutant = await createTarget(servedReferenceSpec('--mutant', 'catch-up-wrong-key'), SLOW_START);
    try {
      const builtinMutant = createBuiltinTarget({ mutant: 'catch-up-wrong-key' });
      // A mutant whose every difference shows in an event that arrives (a catch-up with the wrong key),
      // not one that drops events: each dropped event is a read waited out (drop-catch-up: 17 s, this: 2 s).
      // The three passes are independent (a target each): they run together.
      const [expected, served, reference] = await Promise.all([
        runAllSequences(builtinMutant, 3).finally(() => builtinMutant.dispose()),
        runAllSequences(mutant, 3),
        runAllSequences(builtin, 3),
      ]);
      expect(served.map(verdictOf)).toEqual(expected.map(verdictOf));
      expect(served.map(verdictOf)).not.toEqual(reference.map(verdictOf));
    } finally {
      await mutant.dispose();
    }
  });
});

describe('serve --listen tcp (the CLI command in a child process)', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('prints the port it bound on 127.0.0.1, serves, and stops on SIGTERM', async () => {
    child = spawn(process.execPath, [join(FIXTURES, 'serve-reference.js'), '--listen', 'tcp:127.0.0.1:0']);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    while (!/listening on tcp:127\.0\.0\.1:(\d+)\n/.test(out)) await once(child.stdout, 'data');
    const port = Number(/:(\d+)\n/.exec(out)![1]);
    const target = await createTarget(`tcp:127.0.0.1:${port}`, SLOW_START);
    const builtin = createBuiltinTarget();
    try {
      expect(await scriptedSession(target, 3)).toEqual(await scriptedSession(builtin, 3));
    } finally {
      await target.dispose();
      await builtin.dispose();
    }
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses to bind anything but 127.0.0.1', async () => {
    child = spawn(process.execPath, [join(FIXTURES, 'serve-reference.js'), '--listen', 'tcp:0.0.0.0:0']);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toMatch(/binds only to 127\.0\.0\.1/);
  });
});
