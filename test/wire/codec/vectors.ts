// Reading and writing vectors/wire/<method>.json: per protocol version, named cases with the request
// stub (hex) and its arguments, the response stub (hex) and its reply.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSAPI, type ProtocolVersion, type WireMethodName } from '../../../wire/clusapi';
import { CASES, fromJson, toJson } from './cases';

export const VECTOR_DIR = path.join(__dirname, '../../../vectors/wire');

export interface VectorCase {
  name: string;
  request: { args: Record<string, unknown>; hex: string };
  response: { reply: Record<string, unknown>; hex: string };
}

export interface VectorFile {
  method: WireMethodName;
  opnum: number;
  source: string;
  versions: Partial<Record<'2' | '3', VectorCase[]>>;
}

const SOURCE =
  'Parameter lists from [MS-CMRP] Appendix A (A.1 clusapi2.idl for version 2, A.2 clusapi3.idl for version 3); ' +
  'NDR20 little-endian stub data (no PDU header). Values: handles as 40 hex digits, NULL handle/pointer as null, ' +
  'LONGLONG as {"bigint": "decimal"}, BOOL as a boolean. Checked in both directions by test/wire/codec/vectors.test.ts, ' +
  'and against ndrdump (Samba) and impacket by test/wire/codec/crosscheck.test.ts.';

export function vectorPath(method: string): string {
  return path.join(VECTOR_DIR, `${method}.json`);
}

export function loadVector(method: WireMethodName): VectorFile {
  const raw = JSON.parse(fs.readFileSync(vectorPath(method), 'utf8')) as VectorFile;
  for (const cases of Object.values(raw.versions)) {
    for (const c of cases ?? []) {
      c.request.args = fromJson(c.request.args) as Record<string, unknown>;
      c.response.reply = fromJson(c.response.reply) as Record<string, unknown>;
    }
  }
  return raw;
}

/** Every (method, version, case) in the checked-in vectors. */
export function allVectorCases(): { method: WireMethodName; version: ProtocolVersion; c: VectorCase }[] {
  const out: { method: WireMethodName; version: ProtocolVersion; c: VectorCase }[] = [];
  for (const method of Object.keys(CLUSAPI) as WireMethodName[]) {
    if (!fs.existsSync(vectorPath(method))) continue;
    const file = loadVector(method);
    for (const [v, cases] of Object.entries(file.versions)) for (const c of cases ?? []) out.push({ method, version: Number(v) as ProtocolVersion, c });
  }
  return out;
}

/** Rewrites every vector file from CASES with the current encoders (UPDATE_VECTORS=1). */
export function writeVectors(): void {
  fs.mkdirSync(VECTOR_DIR, { recursive: true });
  for (const [method, codec] of Object.entries(CLUSAPI) as [WireMethodName, (typeof CLUSAPI)[WireMethodName]][]) {
    const make = CASES[method];
    if (!make) continue;
    const versions: VectorFile['versions'] = {};
    for (const v of codec.versions) {
      versions[String(v) as '2' | '3'] = make(v).map((c) => ({
        name: c.name,
        request: { args: toJson(c.args) as Record<string, unknown>, hex: codec.encodeRequest(v, codec.argNames(v).map((n) => c.args[n])).toString('hex') },
        response: { reply: toJson(c.reply) as Record<string, unknown>, hex: codec.encodeResponse(v, c.reply as { status: number }).toString('hex') },
      }));
    }
    const file: VectorFile = { method, opnum: codec.opnum, source: SOURCE, versions };
    fs.writeFileSync(vectorPath(method), JSON.stringify(file, null, 2) + '\n');
  }
}
