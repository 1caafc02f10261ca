// Independent peers against the reference served on the wire: Wireshark's clusapi dissector decodes a
// capture of a suite run, a client built on python3-impacket's NDR classes reads a catch-up event, and
// Samba's smbtorture passes its clusapi open/close/get-state tests. Each check runs when its tool is
// installed and is skipped, with the reason in its name, when not; with CMRP_INTEROP_REQUIRED=1
// (.ci/interop.sh) a missing tool is a failure instead.
import { scaled } from '../../support/time-scale';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAllSequences } from '../../../harness/sequence/run-all';
import { defaultTimeouts } from '../../../harness/session/session';
import { CLUSTER_CHANGE, ERROR } from '../../../cmrp/constants';
import type { GetNotifyOut, Target } from '../../../cmrp/contract';
import { createTarget } from '../../../harness/target/resolve';
import { startServe, type ServedProcess } from './served-process';
import {
  missing, NOTIFICATION_OPNUMS, PYTHON, samba32BitBoolWarning, sambaNotificationRpcMalformed, sambaNotificationRpcWarning, startCapture, TORTURE_TESTS, tsharkFields,
} from './interop/tools';

const REQUIRED = process.env.CMRP_INTEROP_REQUIRED === '1';
// External tools talk to what we serve only inside the loopback-only namespace .ci/interop.sh makes.
const IN_NAMESPACE = process.env.CMRP_INTEROP_NETNS === '1';

/** A test that needs `tool`: skipped with the reason when it is missing (failed, when required). */
function withTool(tool: Parameters<typeof missing>[0], title: string, fn: () => Promise<void>, timeoutMs: number): void {
  const reason = IN_NAMESPACE ? missing(tool) : 'runs only inside the loopback-only namespace of .ci/interop.sh';
  if (!reason) return void it(title, fn, timeoutMs);
  if (REQUIRED) return void it(title, () => Promise.reject(new Error(`required interop check cannot run: ${reason}`)));
  it.skip(`${title} (skipped: ${reason})`, () => undefined);
}

const CLUSAPI_UUID = 'b97db8b2-4c63-11cf-bff6-08002be23f2f';

let served: ServedProcess;
beforeAll(async () => {
  served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--auth', 'none']);
});
afterAll(async () => {
  await served?.stop();
});

function wire(): Promise<Target> {
  return createTarget(`dcerpc:127.0.0.1:${served.port}`, { auth: 'none', control: `tcp:127.0.0.1:${served.controlPort}` });
}

withTool(
  'smbtorture',
  `smbtorture passes rpc.clusapi ${TORTURE_TESTS.join(' ')}`,
  async () => {
    const run = spawnSync('smbtorture', [`ncacn_ip_tcp:127.0.0.1[${served.port}]`, '-U%', ...TORTURE_TESTS.map((t) => `rpc.clusapi.${t}`)], { encoding: 'utf8', timeout: scaled(120_000) });
    const succeeded = [...run.stdout.matchAll(/^success: (\S+)$/gm)].map((m) => m[1]);
    const problems = run.stdout.split('\n').filter((line) => /^(failure|error|skip):/.test(line));
    expect(problems).toEqual([]);
    expect(succeeded.sort()).toEqual([...TORTURE_TESTS].sort());
    expect(run.status).toBe(0);
  },
  150_000,
);

withTool(
  'impacket',
  'an impacket NDR client creates a port, opens a net interface, re-adds it with a stale StateSequence and reads the catch-up event',
  async () => {
    const run = spawnSync(PYTHON, [join(__dirname, 'interop/impacket_client.py'), String(served.port), 'node1 - Ethernet'], { encoding: 'utf8', timeout: scaled(60_000) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      readdStatus: ERROR.SUCCESS,
      status: ERROR.SUCCESS,
      dwNotifyKey: 0x1ce1ce,
      dwFilter: CLUSTER_CHANGE.NETINTERFACE_STATE,
      dwStateSequence: expect.any(Number),
      Name: 'node1 - Ethernet',
      closeStatus: ERROR.SUCCESS,
      closedHandleIsNull: true,
    });
  },
  90_000,
);

/** Calls with values a capture can be searched for, and what the server answered to them. */
async function distinctiveSession(target: Target): Promise<{ addSequence: number; event: GetNotifyOut }> {
  const c = await target.connect({ protocolVersion: 3 });
  try {
    const port = await c.ApiCreateNotify();
    const nic = await c.ApiOpenNetInterface('node2 - Ethernet 2');
    if (port.fault !== undefined || nic.fault !== undefined) throw new Error('setup faulted');
    const add = await c.ApiAddNotifyNetInterface(port.hNotify, nic.hNetInterface, CLUSTER_CHANGE.NETINTERFACE_STATE, 0x5eed0001);
    if (add.fault !== undefined) throw new Error('ApiAddNotifyNetInterface faulted');
    expect(await c.ApiReAddNotifyNetInterface(port.hNotify, nic.hNetInterface, CLUSTER_CHANGE.NETINTERFACE_STATE, 0x5eed0002, 0x0badcafe)).toEqual({ status: 0, rpc_status: 0 });
    const event = await c.ApiGetNotify(port.hNotify);
    if (event.fault !== undefined || event.status !== 0) throw new Error(`no catch-up event: ${JSON.stringify(event)}`);
    await c.ApiCloseNotify(port.hNotify);
    return { addSequence: add.dwStateSequence, event };
  } finally {
    await c.close();
  }
}

withTool(
  'tshark',
  "tshark's clusapi dissector decodes a suite run without malformed packets, and the fields match what was sent",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmrp-capture-'));
    const file = join(dir, 'suite.pcapng');
    try {
      const capture = await startCapture(served.port, file);
      let session;
      try {
        const target = await wire();
        try {
          session = await distinctiveSession(target);
          const observations = await runAllSequences(target, 3, defaultTimeouts());
          expect(observations.filter((o) => o.outcome === 'fail' || o.outcome === 'error')).toEqual([]);
        } finally {
          await target.dispose();
        }
      } finally {
        await capture.stop();
      }
      const port = served.port;
      const rows = (filter: string, ...fields: string[]) => tsharkFields(file, port, filter, fields);

      // Nothing malformed, no expert warning, but where Wireshark's IDL (Samba's) differs from MS-CMRP's
      // (interop/tools.ts): "Long frame" on ApiAddNotifyKey and ApiAddNotifyV2 requests (a 1-byte boolean8
      // for a 32-bit BOOL), and ApiGetNotifyV2 responses carrying notifications (a pointer for the
      // DWORD_PTR dwNotifyKey). ApiCreateNotifyV2 is held to the same standard as every other call.
      expect(rows('_ws.malformed', 'frame.number', 'dcerpc.opnum', 'dcerpc.pkt_type').filter(([, opnum, type]) => !sambaNotificationRpcMalformed(opnum, type))).toEqual([]);
      const warnings = rows('_ws.expert.severity >= 6291456', 'frame.number', 'clusapi.opnum', '_ws.expert.message');
      expect(warnings.filter(([, opnum, message]) => !samba32BitBoolWarning(opnum, message) && !sambaNotificationRpcWarning(opnum, message))).toEqual([]);

      // The bind of clusapi 3.0, and every notification opnum, each request and its answer.
      const binds = rows('dcerpc.pkt_type == 11', 'dcerpc.cn_bind_to_uuid', 'dcerpc.cn_bind_if_ver');
      expect(binds.some(([uuid, version]) => uuid.split(',').includes(CLUSAPI_UUID) && version.split(',').includes('3'))).toBe(true);
      const seen = new Set(rows('clusapi && dcerpc.pkt_type == 0', 'clusapi.opnum').map(([op]) => Number(op)));
      expect(NOTIFICATION_OPNUMS.filter((op) => !seen.has(op))).toEqual([]);
      const answered = new Set(rows('clusapi && dcerpc.pkt_type == 2', 'clusapi.opnum').map(([op]) => Number(op)));
      expect(NOTIFICATION_OPNUMS.filter((op) => !answered.has(op))).toEqual([]);

      // The decoded values are the ones sent and received.
      const filter = String(CLUSTER_CHANGE.NETINTERFACE_STATE);
      expect(rows('clusapi.clusapi_AddNotifyNetInterface.dwNotifyKey == 0x5eed0001', 'clusapi.clusapi_AddNotifyNetInterface.dwFilter')).toEqual([[filter]]);
      expect(rows(`clusapi.opnum == 99 && dcerpc.pkt_type == 2 && clusapi.clusapi_AddNotifyNetInterface.dwStateSequence == ${session!.addSequence}`, 'frame.number').length).toBeGreaterThan(0);
      expect(
        rows('clusapi.clusapi_ReAddNotifyNetInterface.StateSequence == 0x0badcafe', 'clusapi.clusapi_ReAddNotifyNetInterface.dwNotifyKey', 'clusapi.clusapi_ReAddNotifyNetInterface.dwFilter'),
      ).toEqual([[String(0x5eed0002), filter]]);
      const { event } = session!;
      expect(
        rows(
          'clusapi.opnum == 65 && dcerpc.pkt_type == 2 && clusapi.clusapi_GetNotify.dwNotifyKey == 0x5eed0002',
          'clusapi.clusapi_GetNotify.dwFilter',
          'clusapi.clusapi_GetNotify.dwStateSequence',
          'clusapi.clusapi_GetNotify.Name',
        ),
      ).toEqual([[String(event.dwFilter), String(event.dwStateSequence), event.Name]]);
      expect(event).toMatchObject({ dwNotifyKey: 0x5eed0002, dwFilter: CLUSTER_CHANGE.NETINTERFACE_STATE, Name: 'node2 - Ethernet 2' });
    } finally {
      if (!process.env.KEEP_CAPTURE) rmSync(dir, { recursive: true, force: true });
    }
  },
  240_000,
);
