// The hex vectors in vectors/wire/ decode to their values and the values encode to the same hex, for
// every method and protocol version; a few are derived here by hand from the IDL, field by field, so
// the vectors do not rest on the encoder alone.
import * as fs from 'node:fs';
import { CLUSAPI, byOpnum, type WireMethodName } from '../../../wire/clusapi';
import { CASES } from './cases';
import { allVectorCases, loadVector, vectorPath, writeVectors } from './vectors';

if (process.env.UPDATE_VECTORS === '1') writeVectors();

const METHODS = Object.keys(CLUSAPI) as WireMethodName[];

describe('vector files', () => {
  it.each(METHODS)('%s has request and response vectors for every protocol version it exists in', (method) => {
    expect(fs.existsSync(vectorPath(method))).toBe(true);
    const file = loadVector(method);
    expect(file.opnum).toBe(CLUSAPI[method].opnum);
    for (const v of CLUSAPI[method].versions) {
      const cases = file.versions[String(v) as '2' | '3'] ?? [];
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        expect(c.request.hex).toMatch(/^([0-9a-f]{2})*$/);
        expect(c.response.hex).toMatch(/^([0-9a-f]{8})+$/); // every response ends on a 4-byte status
      }
    }
    expect(CASES[method]).toBeDefined();
  });

  it('opnums are unique and byOpnum finds each method, honouring the version', () => {
    for (const m of METHODS) expect(byOpnum(CLUSAPI[m].opnum)?.name).toBe(m);
    expect(byOpnum(139, 2)).toBeUndefined();
    expect(byOpnum(139, 3)?.name).toBe('ApiGetNotifyV2');
    expect(byOpnum(80)).toBeUndefined();
  });
});

describe.each(allVectorCases().map((x) => [`${x.method} v${x.version}: ${x.c.name}`, x] as const))('%s', (_label, { method, version, c }) => {
  const codec = CLUSAPI[method];
  const args = codec.argNames(version).map((n) => c.request.args[n]);

  it('request: decode(hex) == args and encode(args) == hex', () => {
    expect(codec.decodeRequest(version, Buffer.from(c.request.hex, 'hex'))).toEqual(args);
    expect(codec.encodeRequest(version, args).toString('hex')).toBe(c.request.hex);
  });

  it('response: decode(hex) == reply and encode(reply) == hex', () => {
    expect(codec.decodeResponse(version, Buffer.from(c.response.hex, 'hex'))).toEqual(c.response.reply);
    expect(codec.encodeResponse(version, c.response.reply as { status: number }).toString('hex')).toBe(c.response.hex);
    expect([...codec.replyNames(version)].sort()).toEqual(Object.keys(c.response.reply).sort());
  });
});

/** Hex from a list of annotated chunks: the annotation says which IDL field each chunk is. */
const hex = (...chunks: [string, string][]): string => chunks.map(([h]) => h.replace(/ /g, '')).join('');

const HNOTIFY = '00000000 3f2504e0 4f8941d3 9a0c0305 e82c3306';
const HKEY = '00000000 3f2504e0 4f8941d3 9a0c0305 e82c3305';
const HNETIF = '00000000 3f2504e0 4f8941d3 9a0c0305 e82c3308';
const utf16 = (s: string): string => Buffer.from(s + '\0', 'utf16le').toString('hex');

/** Derived by hand from Appendix A and C706 chapter 14, not from our encoder. */
const HAND: { method: WireMethodName; version: '2' | '3'; caseName: string; part: 'request' | 'response'; hex: string }[] = [
  {
    method: 'ApiGetNotify',
    version: '2',
    caseName: 'an event',
    part: 'request',
    hex: hex([HNOTIFY, '[in] HNOTIFY_RPC hNotify: 4 attribute bytes + uuid'], ['88130000', '[in] DWORD Timeout = 5000']),
  },
  {
    method: 'ApiGetNotify',
    version: '3',
    caseName: 'an event',
    part: 'request',
    hex: hex([HNOTIFY, '[in] HNOTIFY_RPC hNotify (no Timeout in clusapi3.idl)']),
  },
  {
    method: 'ApiGetNotify',
    version: '3',
    caseName: 'an event',
    part: 'response',
    hex: hex(
      ['34120000', '[out] DWORD dwNotifyKey = 0x1234'],
      ['00100000', '[out] DWORD dwFilter = CLUSTER_CHANGE_GROUP_STATE'],
      ['08000000', '[out] DWORD dwStateSequence = 8'],
      ['00000200', '[out, string] LPWSTR *Name: unique referent id 0x00020000'],
      ['0e000000 00000000 0e000000', 'max_count 14, offset 0, actual_count 14'],
      [utf16('Cluster Group'), "'Cluster Group' + NUL, UTF-16LE (28 bytes, ends 4-aligned)"],
      ['00000000', '[out] error_status_t rpc_status'],
      ['00000000', 'return value'],
    ),
  },
  {
    method: 'ApiGetNotify',
    version: '2',
    caseName: 'Timeout expired: WAIT_TIMEOUT, NULL Name',
    part: 'response',
    hex: hex(['00000000 00000000 00000000', 'dwNotifyKey, dwFilter, dwStateSequence'], ['00000000', 'Name: NULL referent'], ['02010000', 'return WAIT_TIMEOUT (no rpc_status in v2)']),
  },
  {
    method: 'ApiAddNotifyKey',
    version: '3',
    caseName: 'key before filter, WatchSubTree TRUE as a 32-bit 1',
    part: 'request',
    hex: hex([HNOTIFY, 'hNotify'], [HKEY, 'hKey'], ['55000000', 'dwNotifyKey = 0x55'], ['40000000', 'Filter = CLUSTER_CHANGE_REGISTRY_VALUE'], ['01000000', 'BOOL WatchSubTree = TRUE: 4 bytes']),
  },
  {
    method: 'ApiReAddNotifyNetInterface',
    version: '3',
    caseName: 'stale state sequence',
    part: 'request',
    hex: hex([HNOTIFY, 'hNotify'], [HNETIF, 'hNetInterface'], ['00000001', 'dwFilter = NETINTERFACE_STATE'], ['34120000', 'dwNotifyKey'], ['03000000', 'StateSequence = 3']),
  },
  {
    method: 'ApiOpenNetInterface',
    version: '3',
    caseName: 'success',
    part: 'request',
    hex: hex(['11000000 00000000 11000000', '[in, string] LPCWSTR: a [ref] top-level pointer, no referent id; 17 units'], [utf16('NODE1 - Ethernet'), 'the name + NUL']),
  },
  {
    method: 'ApiOpenNetInterface',
    version: '3',
    caseName: 'success',
    part: 'response',
    hex: hex(['00000000', '[out] error_status_t Status'], ['00000000', '[out] rpc_status'], [HNETIF, 'return value: HNETINTERFACE_RPC']),
  },
  {
    method: 'ApiGetNotifyV2',
    version: '3',
    caseName: 'two notifications, one without payload or parent',
    part: 'response',
    hex: hex(
      ['00000200', 'Notifications: unique referent'],
      ['02000000', 'conformance (max_count) 2; elements start 8-aligned at offset 8'],
      ['77000000 00000000', '[0].dwNotifyKey (DWORD_PTR: 32 bits in NDR20), pad to 8'],
      ['02000000 00000000 1000000000000000', '[0].FilterAndType: dwObjectType, pad, LONGLONG FilterFlags'],
      ['04000200 04000000', '[0].buffer referent, dwBufferSize 4'],
      ['08000200 0c000200 10000200 14000200', '[0].ObjectId, ParentId, Name, Type referents'],
      ['78000000 00000000 03000000 00000000 0200000000000000', '[1] key, type, flags'],
      ['00000000 00000000', '[1].buffer NULL, dwBufferSize 0'],
      ['18000200 00000000 1c000200 20000200', '[1].ObjectId, ParentId NULL, Name, Type'],
      ['04000000 01000000', 'deferred [0].buffer: max_count 4, bytes'],
      ['05000000 00000000 05000000', '[0].ObjectId'],
      [utf16('a1b2') + '0000', "'a1b2', pad to 4"],
      ['06000000 00000000 06000000', '[0].ParentId'],
      [utf16('NODE1'), "'NODE1'"],
      ['0e000000 00000000 0e000000', '[0].Name'],
      [utf16('Cluster Group'), "'Cluster Group'"],
      ['01000000 00000000 01000000 0000', "[0].Type '' (just the NUL)"],
      ['0000', 'pad to 4'],
      ['03000000 00000000 03000000', '[1].ObjectId'],
      [utf16('c3') + '0000', "'c3', pad"],
      ['05000000 00000000 05000000', '[1].Name'],
      [utf16('Disk') + '0000', "'Disk', pad"],
      ['0e000000 00000000 0e000000', '[1].Type'],
      [utf16('Physical Disk'), "'Physical Disk'"],
      ['02000000', '[out] DWORD dwNumNotifications'],
      ['00000000', 'return value'],
    ),
  },
];

describe('hand-derived stubs', () => {
  it.each(HAND.map((h) => [`${h.method} v${h.version} ${h.part}: ${h.caseName}`, h] as const))('%s equals the vector', (_l, h) => {
    const c = loadVector(h.method).versions[h.version]?.find((x) => x.name === h.caseName);
    expect(c).toBeDefined();
    expect(c?.[h.part].hex).toBe(h.hex);
  });
});
