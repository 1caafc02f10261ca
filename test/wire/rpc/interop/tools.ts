// The external tools of the interop checks (Debian packages tshark, samba-testsuite, python3-impacket):
// whether each is usable here, and thin wrappers to run it with a deadline.
import { spawn, spawnSync } from 'node:child_process';
import { scaled } from '../../../support/time-scale';

export const PYTHON = '/usr/bin/python3';

/** Why a tool cannot be used here, or undefined when it can. */
export function missing(tool: 'tshark' | 'smbtorture' | 'impacket'): string | undefined {
  if (tool === 'impacket') {
    const probe = spawnSync(PYTHON, ['-c', 'import impacket.dcerpc.v5.ndr'], { encoding: 'utf8', timeout: scaled(20_000) });
    return probe.status === 0 ? undefined : `python3-impacket is not installed (${PYTHON} -c 'import impacket' failed)`;
  }
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8', timeout: scaled(20_000) });
  if (probe.error) return `${tool} is not installed (package ${tool === 'tshark' ? 'tshark' : 'samba-testsuite'})`;
  if (tool === 'tshark') {
    // Capturing needs CAP_NET_RAW: without it the loopback is not among the interfaces tshark lists.
    const interfaces = spawnSync('tshark', ['-D'], { encoding: 'utf8', timeout: scaled(20_000) });
    if (!/\blo\b/.test(interfaces.stdout ?? '')) return 'tshark cannot capture on lo here (no CAP_NET_RAW; .ci/interop.sh runs it in a namespace of its own)';
  }
  return undefined;
}

export interface Capture {
  /** Stops capturing and resolves once the file is complete. */
  stop(): Promise<void>;
}

/** tshark capturing TCP port `port` on the loopback into `file`; resolves once it is capturing. */
export function startCapture(port: number, file: string, timeoutMs = 15_000): Promise<Capture> {
  const child = spawn('tshark', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tshark did not start capturing within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited with ${code} before capturing: ${err}`));
    });
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      // "Capturing on" comes before dumpcap is ready; "File:" follows "Capture started". A short
      // grace after it keeps the first packets of the test in the capture.
      if (!/Capturing on/.test(err) || !/File: /.test(err)) return;
      clearTimeout(timer);
      const ready = new Promise((r) => setTimeout(r, 500));
      void ready.then(() => resolve({
        stop: async () => {
          // Let the last segments reach the capture before asking tshark to finish the file.
          await new Promise((r) => setTimeout(r, 500));
          child.kill('SIGINT');
          await exited;
        },
      }));
    });
  });
}

/**
 * Rows of `fields` for the packets of `file` matching `filter`, with `port` decoded as DCE/RPC.
 * `options` go before the rest (-o preferences: they may hold a password, so an error never shows them).
 */
export function tsharkFields(file: string, port: number, filter: string, fields: string[], options: string[] = []): string[][] {
  const run = spawnSync('tshark', [...options, '-r', file, '-d', `tcp.port==${port},dcerpc`, '-Y', filter, '-T', 'fields', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    timeout: scaled(120_000),
    maxBuffer: 64 * 1024 * 1024,
  });
  const secrets = options.flatMap((o) => [o, o.slice(o.indexOf(':') + 1)]).filter((x) => x.length >= 4);
  const hidden = (text: string) => secrets.reduce((t, o) => t.split(o).join('[option]'), text);
  if (run.status !== 0) throw new Error(`tshark -Y '${filter}' failed (${run.status}): ${hidden(run.stderr)}`);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

/** The open/close/get-state tests of rpc.clusapi the served reference must pass (issues 7 and 8). */
export const TORTURE_TESTS = [
  'cluster.OpenCluster',
  'cluster.CloseCluster',
  'cluster.GetClusterName',
  'cluster.GetClusterVersion2',
  'node.OpenNode',
  'node.CloseNode',
  'node.GetNodeState',
  'group.OpenGroup',
  'group.CloseGroup',
  'group.GetGroupState',
  'resource.OpenResource',
  'resource.CloseResource',
  'resource.GetResourceState',
  'network.OpenNetwork',
  'network.CloseNetwork',
  'network.GetNetworkState',
  'netinterface.OpenNetInterface',
  'netinterface.CloseNetInterface',
  'netinterface.GetNetInterfaceState',
  'registry.GetRootKey',
  'registry.CloseKey',
];

/** Every version 1 notification opnum ([MS-CMRP] 3.1.4.2.56-66, 90, 91, 99, 100, 107). */
export const NOTIFICATION_OPNUMS = [55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 90, 91, 99, 100, 107];

/**
 * Where Wireshark's clusapi dissector (generated from Samba's librpc/idl/clusapi.idl) reads a frame
 * differently from [MS-CMRP] Appendix A, checked against a capture of a suite run (wire/README.md):
 * Samba declares BOOL parameters as 1-byte boolean8 (WatchSubTree of ApiAddNotifyKey, opnum 61;
 * isTargetedAtObject of ApiAddNotifyV2, opnum 138: a "Long frame" warning on the request, 3 bytes
 * left over) and NOTIFICATION_RPC.dwNotifyKey as a pointer (uint32 *) where MS-CMRP has a DWORD_PTR,
 * 4 bytes inline under NDR20: every ApiGetNotifyV2 response (opnum 139) carrying notifications is
 * malformed to it. ApiCreateNotifyV2 (opnum 137) decodes cleanly both ways.
 */
export function samba32BitBoolWarning(opnum: string, message: string): boolean {
  return (opnum === '61' || opnum === '138') && message === 'Long frame';
}

/** A malformed frame Samba's NOTIFICATION_RPC explains: an ApiGetNotifyV2 response (pkt_type 2). */
export function sambaNotificationRpcMalformed(opnum: string, pktType: string): boolean {
  return opnum === '139' && pktType === '2';
}

/** The expert message of such a frame, as the warnings query sees it (no pkt_type there). */
export function sambaNotificationRpcWarning(opnum: string, message: string): boolean {
  return opnum === '139' && message.startsWith('Malformed Packet');
}
