// UUIDs on the wire (C706 appendix A, NDR little-endian): the first three fields are integers in the
// data representation's byte order, the last eight bytes are a byte string.
import { RpcProtocolError } from './errors';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

export function encodeUuid(text: string): Buffer {
  if (!UUID_RE.test(text)) throw new RangeError(`not a UUID: ${JSON.stringify(text)}`);
  const hex = text.replace(/-/g, '');
  const raw = Buffer.from(hex, 'hex');
  const out = Buffer.alloc(16);
  out.writeUInt32LE(raw.readUInt32BE(0), 0);
  out.writeUInt16LE(raw.readUInt16BE(4), 4);
  out.writeUInt16LE(raw.readUInt16BE(6), 6);
  raw.copy(out, 8, 8, 16);
  return out;
}

export function decodeUuid(bytes: Buffer, offset = 0): string {
  if (offset < 0 || offset + 16 > bytes.length) throw new RpcProtocolError(`a UUID at offset ${offset} runs past the end (${bytes.length} bytes)`);
  const raw = Buffer.alloc(16);
  raw.writeUInt32BE(bytes.readUInt32LE(offset), 0);
  raw.writeUInt16BE(bytes.readUInt16LE(offset + 4), 4);
  raw.writeUInt16BE(bytes.readUInt16LE(offset + 6), 6);
  bytes.copy(raw, 8, offset + 8, offset + 16);
  const h = raw.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
