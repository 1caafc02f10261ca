// The vectors against two independent NDR implementations:
// - impacket (python3-impacket): test/wire/codec/impacket_clusapi.py describes every call with
//   impacket's NDR classes, transcribed separately from MS-CMRP Appendix A; it must read every
//   vector stub as the vector's values, and our decoders must read impacket's encoding of those
//   values the same way (its padding bytes and referent ids differ from ours, the values may not).
// - ndrdump (samba-testsuite): Samba's clusapi.idl is interface 3.0 only, so the version 3 stubs;
//   `--validate` re-marshals what it parsed and reports any byte that differs from ours. Samba's
//   IDL departs from MS-CMRP in three places we trust the spec on (BOOL is a 32-bit long in
//   MS-DTYP 2.2.3, while Samba reads boolean8; NOTIFICATION_RPC.dwNotifyKey is a DWORD_PTR, 32 bits
//   in NDR20, while Samba declares a uint32 pointer): those stubs must show exactly that divergence.
// Each half runs when its tool is installed and is skipped with the reason in its name otherwise.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLUSAPI } from '../../../wire/clusapi';
import { fromJson, toJson } from './cases';
import { allVectorCases } from './vectors';
import { scaled } from '../../support/time-scale';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'impacket_clusapi.py');

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { timeout: scaled(20000), stdio: 'ignore' });
  return r.status === 0;
}

const HAVE_IMPACKET = has(PYTHON, ['-c', 'import impacket.dcerpc.v5.ndr']);
const HAVE_NDRDUMP = spawnSync('ndrdump', ['--help'], { timeout: scaled(20000), stdio: 'ignore' }).error === undefined;

type Part = 'request' | 'response';
const ITEMS = allVectorCases().flatMap(({ method, version, c }) =>
  (['request', 'response'] as Part[]).map((part) => ({
    label: `${method} v${version} ${part}: ${c.name}`,
    method,
    version,
    part,
    hex: c[part].hex,
    /** The same case's request: what ndrdump parses first (-c) for a response whose [out] size_is names an [in] parameter. */
    requestHex: c.request.hex,
    values: part === 'request' ? c.request.args : c.response.reply,
  })),
);

const describeImpacket = HAVE_IMPACKET ? describe : describe.skip;
describeImpacket(
  HAVE_IMPACKET ? 'impacket cross-check' : 'impacket cross-check (SKIPPED: /usr/bin/python3 cannot import impacket; apt-get install python3-impacket)',
  () => {
    let results: ({ decoded: Record<string, unknown>; encoded: string } | { error: string })[] = [];

    beforeAll(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmrp-impacket-'));
      const input = path.join(dir, 'items.json');
      fs.writeFileSync(input, JSON.stringify(ITEMS.map((i) => ({ ...i, values: toJson(i.values) }))));
      const r = spawnSync(PYTHON, [SCRIPT, input], { encoding: 'utf8', timeout: scaled(60000), maxBuffer: 64 * 1024 * 1024 });
      fs.rmSync(dir, { recursive: true, force: true });
      if (r.status !== 0) throw new Error(`impacket_clusapi.py failed: ${r.stderr || r.error}`);
      results = JSON.parse(r.stdout);
    });

    it.each(ITEMS.map((item, i) => [item.label, item, i] as const))('%s', (_l, item, i) => {
      const res = results[i];
      if ('error' in res) throw new Error(`impacket could not handle ${item.label}: ${res.error}`);
      // impacket reads our stub as the vector's values...
      const decoded = fromJson(res.decoded) as Record<string, unknown>;
      const expected = Object.fromEntries(Object.keys(decoded).map((k) => [k, item.values[k] ?? null]));
      expect(decoded).toEqual(expected);
      // ...and we read impacket's stub for the same values the same way.
      const codec = CLUSAPI[item.method];
      const stub = Buffer.from(res.encoded, 'hex');
      if (item.part === 'request') expect(codec.decodeRequest(item.version, stub)).toEqual(codec.argNames(item.version).map((n) => item.values[n]));
      else expect(codec.decodeResponse(item.version, stub)).toEqual(item.values);
    });
  },
);

/** Where Samba's clusapi.idl and MS-CMRP Appendix A disagree, and what ndrdump then shows. */
const SAMBA_DIVERGES: Record<string, { why: string; shows: RegExp }> = {
  'ApiAddNotifyKey request': { why: 'BOOL WatchSubTree is boolean8 in Samba', shows: /WARNING! 3 unread bytes/ },
  'ApiAddNotifyV2 request': { why: 'BOOL isTargetedAtObject is boolean8 in Samba', shows: /WARNING! 3 unread bytes/ },
  'ApiGetNotifyV2 response': { why: 'NOTIFICATION_RPC.dwNotifyKey is a uint32 pointer in Samba', shows: /pull returned (?!Success)|^[-+]\[/m },
  'ApiDeleteGroup request': { why: 'BOOL force is boolean8 in Samba', shows: /orig bytes:24 validated pushed bytes:21/ },
};

/** Byte buffers (hex in the vectors): ndrdump prints them as arrays, so they are not looked for as quoted text. */
const BYTE_FIELDS = new Set(['lpData', 'lpSecurityAttributes', 'pRpcSecurityDescriptor', 'lpInBuffer', 'lpOutBuffer']);

const describeNdrdump = HAVE_NDRDUMP ? describe : describe.skip;
describeNdrdump(
  HAVE_NDRDUMP ? 'ndrdump cross-check (Samba clusapi 3.0)' : 'ndrdump cross-check (SKIPPED: ndrdump not on PATH; apt-get install samba-testsuite)',
  () => {
    let dir = '';
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmrp-ndrdump-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const v3 = ITEMS.filter((i) => i.version === 3);
    it.each(v3.map((item, i) => [item.label, item, i] as const))('%s', (_l, item, i) => {
      const file = path.join(dir, `${i}.bin`);
      fs.writeFileSync(file, Buffer.from(item.hex, 'hex'));
      const fn = `clusapi_${item.method.replace(/^Api/, '')}`;
      // Api*Control's [out] lpOutBuffer is size_is(nOutBufferSize), an [in] parameter: ndrdump reads it from the request.
      const context = item.part === 'response' && /Control$/.test(item.method) ? path.join(dir, `${i}.in.bin`) : undefined;
      if (context) fs.writeFileSync(context, Buffer.from(item.requestHex, 'hex'));
      const args = ['--validate', ...(context ? ['-c', context] : []), 'clusapi', fn, item.part === 'request' ? 'in' : 'out', file];
      const r = spawnSync('ndrdump', args, { encoding: 'utf8', timeout: scaled(20000) });
      const out = `${r.stdout}\n${r.stderr}`;
      const divergence = SAMBA_DIVERGES[`${item.method} ${item.part}`];
      const emptyArray = item.method === 'ApiGetNotifyV2' && item.values.Notifications === null;
      if (divergence && !emptyArray) {
        // MS-CMRP is the authority here; the test pins down that Samba differs exactly as documented.
        expect({ why: divergence.why, matches: divergence.shows.test(out) }).toEqual({ why: divergence.why, matches: true });
        return;
      }
      expect(out).toContain('pull returned Success');
      expect(out).toContain('dump OK');
      expect(out).not.toMatch(/WARNING!/);
      expect(out).not.toMatch(/^[-+]\[/m); // --validate: Samba's re-marshalling differs from our bytes
      for (const [name, value] of Object.entries(item.values)) {
        if (typeof value === 'string' && !/^[0-9a-f]{40}$/.test(value) && !BYTE_FIELDS.has(name)) expect(out).toContain(`'${value}'`);
        // Samba prints enums (the State values) signed: 0xFFFFFFFF as (-1).
        // A response's nOutBufferSize is the [in] value the request gave (the buffer's max_count, which --validate re-marshalled the same): not printed.
        if (item.part === 'response' && name === 'nOutBufferSize') continue;
        if (typeof value === 'number' && !/status$/i.test(name)) expect([`(${value})`, `(${value | 0})`].some((s) => out.includes(s))).toBe(true);
      }
    });
  },
);
