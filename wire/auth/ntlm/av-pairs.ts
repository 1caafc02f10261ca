// AV_PAIR lists ([MS-NLMP] 2.2.2.1): the TargetInfo of a CHALLENGE_MESSAGE and the AvPairs of the
// client's NTLMv2_CLIENT_CHALLENGE. Decoding keeps the pairs in wire order and checks that the list
// is terminated by MsvAvEOL inside the field.
import { ByteReader, fromUtf16, utf16 } from '../core/bytes';
import { malformed } from '../core/errors';

export const MsvAv = {
  EOL: 0x0000,
  NbComputerName: 0x0001,
  NbDomainName: 0x0002,
  DnsComputerName: 0x0003,
  DnsDomainName: 0x0004,
  DnsTreeName: 0x0005,
  Flags: 0x0006,
  Timestamp: 0x0007,
  SingleHost: 0x0008,
  TargetName: 0x0009,
  ChannelBindings: 0x000a,
} as const;

/** MsvAvFlags bits. */
export const MSV_AV_FLAG = {
  CONSTRAINED: 0x1,
  MIC_PRESENT: 0x2,
  UNVERIFIED_TARGET_NAME: 0x4,
} as const;

export interface AvPair {
  id: number;
  value: Buffer;
}

/** At most this many pairs: the spec defines 10 ids; a list of thousands is an attack, not a server. */
const MAX_PAIRS = 64;

/** Decodes an AV_PAIR sequence; pairs after MsvAvEOL are not part of the list. */
export function decodeAvPairs(field: Buffer, where: string): AvPair[] {
  const r = new ByteReader(field, where);
  const pairs: AvPair[] = [];
  for (;;) {
    const id = r.u16('AvId');
    const len = r.u16('AvLen');
    const value = r.bytes(len, `value of AV_PAIR ${id}`);
    if (id === MsvAv.EOL) {
      if (len !== 0) throw malformed(where, 'MsvAvEOL has a nonzero AvLen');
      return pairs;
    }
    if (pairs.length >= MAX_PAIRS) throw malformed(where, `more than ${MAX_PAIRS} AV_PAIRs`);
    pairs.push({ id, value });
  }
}

/** Encodes pairs and appends MsvAvEOL (the caller never includes it). */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of pairs) {
    if (p.value.length > 0xffff) throw new RangeError('AV_PAIR value longer than 65535 bytes');
    const head = Buffer.alloc(4);
    head.writeUInt16LE(p.id, 0);
    head.writeUInt16LE(p.value.length, 2);
    parts.push(head, p.value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

export function findAv(pairs: readonly AvPair[], id: number): Buffer | undefined {
  return pairs.find((p) => p.id === id)?.value;
}

export function avText(value: Buffer, where: string): string {
  return fromUtf16(value, where, 'AV_PAIR text');
}

export function textAv(id: number, text: string): AvPair {
  return { id, value: utf16(text) };
}
