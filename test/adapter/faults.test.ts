// A misbehaving adapter never takes the run down: every fault gives the call that met it a
// TargetError naming the call and the fault, without hanging, and the adapter is started afresh for
// the next connection. An adapter that cannot start is one clear TargetUnreachableError (exit 2).
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { TargetUnreachableError } from '../../cmrp/errors';
import { runSequence } from '../../harness/sequence/interpret';
import type { Sequence } from '../../harness/sequence/types';
import { TargetError, type ClusapiConnection, type Target } from '../../cmrp/contract';
import { AdapterTarget } from '../../harness/target/adapter/target';
import { createTarget } from '../../harness/target/resolve';
import { FIXTURES, nodeSpec } from './helpers';
import { scaled, timeScale } from '../support/time-scale';

const FAKE = join(FIXTURES, 'fake-adapter.js');
/**
 * Adapter timeouts scaled down (on a quiet machine: handshake 1 s, Connect/Control 500 ms, Disconnect
 * 300 ms), and up again by the machine's factor so a loaded machine starts its adapters in time.
 */
const FAST = { timeoutMultiplier: 0.1 * timeScale() };
const ms = (atOne: number) => Math.round(atOne * FAST.timeoutMultiplier);
const CALL_MS = scaled(500);

const targets: Target[] = [];
async function fake(mode: string): Promise<AdapterTarget> {
  const target = (await createTarget(nodeSpec(FAKE, mode), FAST)) as AdapterTarget;
  targets.push(target);
  return target;
}
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.dispose()));
});

async function targetError(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

async function connected(target: Target): Promise<ClusapiConnection> {
  return target.connect({ protocolVersion: 3 });
}

/** The adapter answers again, from a fresh process (or connection). */
async function expectRestarted(target: AdapterTarget, starts = 2): Promise<void> {
  const c = await connected(target);
  expect(await c.ApiOpenCluster()).toEqual({ status: 0, hCluster: 'cluster-1' });
  expect(target.supervisor.starts).toBe(starts);
  await c.close();
}

describe('an adapter that cannot start: the preflight fails with one clear line', () => {
  const unreachable = async (spec: string): Promise<string> => {
    const error = await createTarget(spec, FAST).then(
      (t) => {
        targets.push(t);
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetUnreachableError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  };

  it('exits at start: the exit code and its last stderr line', async () => {
    expect(await unreachable(nodeSpec(FAKE, 'exit-at-start'))).toMatch(
      /^target stdio:.*: no handshake: the adapter exited with code 3 \(stderr: fake-adapter: fatal: cannot open the cluster database\)$/,
    );
  });

  it('hangs at start: the handshake timeout', async () => {
    const started = Date.now();
    expect(await unreachable(nodeSpec(FAKE, 'hang-at-start'))).toMatch(new RegExp(`no handshake: the adapter did not answer Hello within ${ms(10000)} ms \\(if the target is only slow, give it more time with --timeout-multiplier\\)$`));
    // The handshake timeout ended it, not some longer wait (a bound against a hang, scaled for load).
    expect(Date.now() - started).toBeLessThan(scaled(5000));
  });

  it('speaks another protocol version', async () => {
    expect(await unreachable(nodeSpec(FAKE, 'bad-hello'))).toMatch(/bad handshake: the adapter speaks "cmrp-adapter\/9", this harness speaks "cmrp-adapter\/1"$/);
  });

  it('is not a command', async () => {
    expect(await unreachable('stdio:/nonexistent/cmrp-adapter --flag')).toBe("target stdio:/nonexistent/cmrp-adapter --flag: cannot start '/nonexistent/cmrp-adapter': no such command");
  });

  it('is a TCP address nobody listens on', async () => {
    const port = await freePort();
    expect(await unreachable(`tcp:127.0.0.1:${port}`)).toBe(`target tcp:127.0.0.1:${port}: connection refused by 127.0.0.1:${port} (is the adapter listening there?)`);
  });
});

describe('faults that break the stream: the pending call fails, the adapter is restarted', () => {
  it('crashes mid-call: the exit code and the stderr tail', async () => {
    const target = await fake('crash-mid-call');
    const c = await connected(target);
    const port = (await c.ApiCreateNotify()) as { hNotify: string };
    const error = await targetError(c.ApiGetNotify(port.hNotify));
    expect(error.call).toBe('ApiGetNotify');
    expect(error.fault).toBe('crash');
    expect(error.message).toMatch(/^ApiGetNotify: crash: the adapter exited with code 70\n {2}adapter stderr \(last 1 line\):\n {4}fake-adapter: segmentation fault in GetNotify$/);
    // Later calls on the dead connection fail at once, saying what happened before.
    expect((await targetError(c.ApiOpenCluster())).message).toMatch(/^ApiOpenCluster: crash: the adapter had already failed: the adapter exited with code 70/);
    await expectRestarted(target);
  });

  const streamFaults: [string, TargetError['fault'], RegExp][] = [
    ['non-json', 'malformed', /the adapter wrote a line that is not JSON: Segmentation fault \(core dumped\)/],
    ['unknown-id', 'malformed', /the adapter answered id \d+, which no pending request has/],
    ['oversized', 'malformed', /the adapter wrote a line longer than 1048576 bytes/],
    ['close-stdout', 'crash', /the adapter closed its stdout \(the process is still running\)/],
    ['partial-exit', 'crash', /the adapter exited with code 0 \(a line of \d+ bytes was cut short\)/],
    ['request', 'malformed', /the adapter sent a request \("Log"\); only the harness sends requests/],
  ];
  for (const [mode, fault, detail] of streamFaults) {
    it(`${mode}: ${fault}`, async () => {
      const target = await fake(mode);
      const c = await connected(target);
      const error = await targetError(c.ApiCreateNotify());
      expect(error.call).toBe('ApiCreateNotify');
      expect(error.fault).toBe(fault);
      expect(error.message).toMatch(detail);
      await expectRestarted(target);
    });
  }

  it('crashes in a control verb: the stimulus fails, the next one restarts the adapter', async () => {
    const target = await fake('crash-on-reset');
    const error = await targetError(target.control!.apply({ verb: 'Reset' }));
    expect(error.message).toMatch(/^Control\.Reset: crash: the adapter exited with code 71\n[\s\S]*reset blew up/);
    await expectRestarted(target);
  });

  it('hangs on everything: Disconnect times out, the adapter is stopped and restarted', async () => {
    const target = await fake('hang-all');
    const c = await connected(target);
    const pending = c.ApiCreateNotify();
    const error = await targetError(c.close());
    expect(error.message).toBe(`Disconnect: timeout: the adapter did not answer Disconnect within ${ms(3000)} ms (if the target is only slow, give it more time with --timeout-multiplier)`);
    expect((await targetError(pending)).message).toMatch(new RegExp(`^ApiCreateNotify: timeout: the adapter did not answer Disconnect within ${ms(3000)} ms`));
    // The fresh adapter hangs too after Connect: the point is that there is a fresh one.
    await (await connected(target)).close().catch(() => undefined);
    expect(target.supervisor.starts).toBe(2);
  });
});

describe('faults at Disconnect and at the end of a test: reported, never swallowed', () => {
  it('an adapter gone since the last reply: close() fails naming Disconnect', async () => {
    const target = await fake('ok');
    const c = await connected(target);
    expect(await c.ApiOpenCluster()).toEqual({ status: 0, hCluster: 'cluster-1' });
    // The adapter dies between two requests: no call of the connection saw it.
    target.supervisor['current']!.channel.abandon('crash', 'the adapter exited with code 9');
    const error = await targetError(c.close());
    expect(error.message).toMatch(/^Disconnect: crash: the adapter had already failed: the adapter exited with code 9/);
  });

  it('a fault a call of the connection already reported is not reported again at close()', async () => {
    const target = await fake('crash-mid-call');
    const c = await connected(target);
    await targetError(c.ApiGetNotify('port-1'));
    await expect(c.close()).resolves.toBeUndefined();
  });

  it('a call left unanswered after Disconnect: close() fails, the adapter is restarted', async () => {
    const target = await fake('hang-call');
    const c = await connected(target);
    const pending = c.ApiCreateNotify();
    const error = await targetError(c.close());
    expect(error.message).toBe('Disconnect: timeout: the adapter left ApiCreateNotify unanswered after the connection was closed');
    await targetError(pending);
    await expectRestarted(target);
  });

  it('a call in flight when the target is disposed (the test ran out of time) is named as slowness', async () => {
    const target = await fake('hang-call');
    const c = await connected(target);
    const failed = targetError(c.ApiCreateNotify());
    await target.dispose();
    const error = await failed;
    expect(error.fault).toBe('timeout');
    expect(error.message).toMatch(/^ApiCreateNotify: timeout: the test ran out of time and the target was closed with this call in flight; the slowest reply took \d+ ms \(if the target is only slow, give it more time with --timeout-multiplier\)/);
    const after = await targetError(target.connect({ protocolVersion: 3 }));
    expect(after.message).toMatch(/^Connect: timeout: the test ran out of time: the target was already closed \(.*--timeout-multiplier\)$/);
  });
});

describe('faults in one reply: that call fails, the adapter carries on', () => {
  const replyFaults: [string, TargetError['fault'], RegExp][] = [
    ['wrong-types', 'malformed', /^ApiCreateNotify: malformed: "status" is not an integer in 0\.\.4294967295: \{"status":"0","hNotify":"port-1"\}$/],
    ['wrong-handle', 'malformed', /^ApiCreateNotify: malformed: "hNotify" is not a string or null \(handles are opaque strings, null is NULL\)/],
    ['error-object', 'protocol', /^ApiCreateNotify: protocol: the adapter answered with error -32603: the port table is full$/],
  ];
  for (const [mode, fault, message] of replyFaults) {
    it(`${mode}: ${fault}`, async () => {
      const target = await fake(mode);
      const c = await connected(target);
      const error = await targetError(c.ApiCreateNotify());
      expect(error.fault).toBe(fault);
      expect(error.message).toMatch(message);
      expect(await c.ApiOpenCluster()).toEqual({ status: 0, hCluster: 'cluster-1' });
      expect(target.supervisor.starts).toBe(1);
    });
  }

  it('an unknown method is a protocol error (ApiGetRootKey is not in the fake)', async () => {
    const c = await connected(await fake('ok'));
    expect((await targetError(c.ApiGetRootKey(0))).message).toBe('ApiGetRootKey: protocol: the adapter answered with error -32601: unknown method ApiGetRootKey');
  });
});

describe('in a scripted sequence: ERROR verdicts naming the call, and the next sequence runs on a fresh adapter', () => {
  const sequence: Sequence = {
    id: 'fault/read',
    title: 'a read on a fresh port',
    versions: [3],
    clauses: { create: { '3': 'T/R1' }, read: { '3': 'T/R2' } },
    steps: [
      { call: 'ApiCreateNotify', save: { hNotify: 'port' }, check: 'create' },
      { call: 'ApiGetNotify', args: ['$port'], async: 'read' },
      { call: 'ApiUnblockGetNotifyCall', args: ['$port'] },
      { await: 'read', expect: { status: 'ERROR_INVALID_FUNCTION' }, check: 'read' },
    ],
  };
  const run = (target: Target) =>
    runSequence(sequence, { target, protocolVersion: 3, timeouts: { callMs: CALL_MS, readMs: scaled(200) }, replay: (id) => `replay ${id}` });

  it('a crash mid-call', async () => {
    const target = await fake('crash-mid-call');
    for (const round of [1, 2]) {
      const observations = await run(target);
      expect(observations.map((o) => `${o.clause} ${o.outcome}`)).toEqual(['T/R1 pass', 'T/R2 error']);
      // The unblock (or the read itself) is the call that meets the dead adapter.
      expect(observations[1].message).toMatch(/the target failed at step \d: Api(UnblockGetNotifyCall|GetNotify)\b.*: crash: the adapter (exited with code 70|had already failed)/);
      expect(target.supervisor.starts).toBe(round);
    }
  });

  it('a hung call: the session times out, the adapter is restarted after the connection closes', async () => {
    const target = await fake('hang-call');
    const observations = await run(target);
    expect(observations.map((o) => `${o.clause} ${o.outcome}`)).toEqual(['T/R1 error', 'T/R2 error']);
    expect(observations[0].message).toMatch(new RegExp(`ApiCreateNotify\\(\\): timeout: no reply within ${CALL_MS} ms`));
    // Disconnect was answered but ApiCreateNotify never was: the adapter is stopped, the next run gets a fresh one.
    await run(target);
    expect(target.supervisor.starts).toBe(2);
  });

  it('the control verb that starts every sequence (Reset) crashing', async () => {
    const target = await fake('crash-on-reset');
    const observations = await run(target);
    expect(observations.every((o) => o.outcome === 'error')).toBe(true);
    expect(observations[0].message).toMatch(/Control\.Reset: crash: the adapter exited with code 71/);
  });
});

describe('TCP: only the address given, and clear errors', () => {
  let server: Server;
  let connections = 0;
  let port: number;
  beforeAll(async () => {
    // A fake TCP adapter that resets the connection when asked to create a port.
    server = createServer((socket: Socket) => {
      connections++;
      let buffered = '';
      socket.on('data', (chunk) => {
        buffered += chunk.toString();
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const { id, method } = JSON.parse(buffered.slice(0, nl)) as { id: number; method: string };
          buffered = buffered.slice(nl + 1);
          const reply = (result: object) => socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
          if (method === 'Hello') {
            reply({ protocol: 'cmrp-adapter/1', protocolVersions: [3], capabilities: { notifyV2: false, accessLevels: ['full'] }, control: [] });
          } else if (method === 'Connect') reply({ connection: 'c1' });
          else if (method === 'ApiOpenCluster') reply({ status: 0, hCluster: 'cluster-1' });
          else if (method === 'ApiCreateNotify') socket.resetAndDestroy();
          else reply({});
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a reset mid-call fails the call; the next connection reconnects', async () => {
    const target = (await createTarget(`tcp:127.0.0.1:${port}`, FAST)) as AdapterTarget;
    targets.push(target);
    const c = await connected(target);
    const error = await targetError(c.ApiCreateNotify());
    expect(error.message).toMatch(new RegExp(`^ApiCreateNotify: crash: (connection reset by 127\\.0\\.0\\.1:${port}|the adapter at 127\\.0\\.0\\.1:${port} closed the connection)`));
    await expectRestarted(target);
    expect(connections).toBe(2);
  });

  it('a malformed address is a usage error', async () => {
    await expect(createTarget('tcp:localhost')).rejects.toThrow("--target tcp:localhost: 'localhost' is not HOST:PORT");
    await expect(createTarget('tcp:127.0.0.1:70000')).rejects.toThrow('port 70000 is not in 1..65535');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
