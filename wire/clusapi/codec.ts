// The generic NDR20 codec: walks a method's Shape to encode or decode its request and response
// stubs. Top-level parameters are marshalled in IDL order, each with its pointees right after it
// (C706 14.3.12: only embedded pointers' referents are deferred), then the return value.
// Bytes after the last parameter are ignored: NDR does not forbid them, and the stub's length is
// the PDU layer's business (it strips the auth padding and checks frag_length).
import { NdrError } from '../ndr/errors';
import { NdrReader } from '../ndr/reader';
import { NdrWriter } from '../ndr/writer';
import type { Field, Shape } from './shape';
import {
  readByteArray,
  readDescriptorAnswer,
  readDescriptorOffer,
  readOutBuffer,
  readUniqueByteArray,
  readEnumList,
  readFilterAndType,
  readNotifications,
  readOpVerInfo,
  readSecurityAttributes,
  readSecurityDescriptor,
  writeByteArray,
  writeDescriptorAnswer,
  writeDescriptorOffer,
  writeOutBuffer,
  writeUniqueByteArray,
  writeEnumList,
  writeFilterAndType,
  writeNotifications,
  writeOpVerInfo,
  writeSecurityAttributes,
  writeSecurityDescriptor,
} from './structs';
import type { MethodCodec, ProtocolVersion, ReplyRecord, WireMethodName } from './types';

export interface MethodDef {
  name: WireMethodName;
  opnum: number;
  versions: readonly ProtocolVersion[];
  shape(version: ProtocolVersion): Shape;
}

/** How many positional arguments an [in] field takes. */
function arity(f: Field): number {
  return f.kind === 'filterAndType' ? 2 : 1;
}

/** The argument names of a shape, flattened the way encodeRequest takes them. */
export function argNames(shape: Shape): string[] {
  return shape.ins.flatMap((f) => (f.kind === 'filterAndType' ? ['dwObjectType', 'FilterFlags'] : [f.name]));
}

/** The reply field names of a shape, in wire order (dwNumNotifications follows Notifications; an output buffer's max_count, nOutBufferSize, follows it). */
export function replyNames(shape: Shape): string[] {
  return [...shape.outs, shape.ret].flatMap((f) => (f.kind === 'notifications' ? [f.name, 'dwNumNotifications'] : f.kind === 'outBuffer' ? [f.name, 'nOutBufferSize'] : f.kind === 'securityDescriptorBuffer' ? [f.name, 'cbInSecurityDescriptor'] : [f.name]));
}

function writeField(w: NdrWriter, f: Field, value: unknown, next?: unknown): void {
  switch (f.kind) {
    case 'handle':
      return w.contextHandle(value, f.name);
    case 'dword':
      return w.u32(value ?? f.default, f.name);
    case 'word':
      return w.u16(value, f.name);
    case 'bool':
      return w.bool32(value ?? (f.default === undefined ? value : f.default !== 0), f.name);
    case 'wstring':
      return w.wstring(value, f.name);
    case 'uniqueWstring':
      return w.uniqueWstring(value, f.name);
    case 'filterAndType':
      return writeFilterAndType(w, value, next, 'filter');
    case 'opVerInfo':
      return writeOpVerInfo(w, value, f.name);
    case 'notifications': {
      writeNotifications(w, value, f.name);
      const count = next ?? (Array.isArray(value) ? value.length : 0);
      return w.u32(count, 'dwNumNotifications');
    }
    case 'byteArray':
      return writeByteArray(w, value, f.name);
    case 'uniqueByteArray':
      return writeUniqueByteArray(w, value, f.name);
    case 'outBuffer':
      return writeOutBuffer(w, value, next, f.name);
    case 'securityDescriptorBuffer':
      // A request's value is the size offered (a number); a reply's is the descriptor, `next` its cbIn.
      return typeof value === 'number' ? writeDescriptorOffer(w, value, f.name) : writeDescriptorAnswer(w, value, next, f.name);
    case 'securityDescriptor':
      return writeSecurityDescriptor(w, value, f.name);
    case 'securityAttributes':
      return writeSecurityAttributes(w, value, f.name);
    case 'enumList':
      return writeEnumList(w, value, f.name);
  }
}

/** Reads one field into `into` (by name); filterAndType and notifications fill two names. */
function readField(r: NdrReader, f: Field, into: Record<string, unknown>): void {
  switch (f.kind) {
    case 'handle':
      into[f.name] = r.contextHandle(f.name);
      return;
    case 'dword':
      into[f.name] = r.u32(f.name);
      return;
    case 'word':
      into[f.name] = r.u16(f.name);
      return;
    case 'bool':
      into[f.name] = r.bool32(f.name);
      return;
    case 'wstring':
      into[f.name] = r.wstring(f.name);
      return;
    case 'uniqueWstring':
      into[f.name] = r.uniqueWstring(f.name);
      return;
    case 'filterAndType':
      Object.assign(into, readFilterAndType(r, 'filter'));
      return;
    case 'opVerInfo':
      into[f.name] = readOpVerInfo(r, f.name);
      return;
    case 'notifications': {
      const list = readNotifications(r, f.name);
      const at = r.offset;
      const count = r.u32('dwNumNotifications');
      // size_is(,*dwNumNotifications): the array's conformance and the count must agree.
      if (list !== null && list.length !== count) r.fail(`dwNumNotifications ${count} differs from the ${list.length} notifications sent`, at);
      into[f.name] = list;
      into.dwNumNotifications = count;
      return;
    }
    case 'byteArray':
      into[f.name] = readByteArray(r, f.name);
      return;
    case 'uniqueByteArray':
      into[f.name] = readUniqueByteArray(r, f.name);
      return;
    case 'securityDescriptorBuffer':
      // Only reply fields are read into a record with other outs; the request reader reads the offer (argNames).
      into[f.name] = readDescriptorOffer(r, f.name);
      return;
    case 'outBuffer': {
      const { bytes, max } = readOutBuffer(r, f.name);
      into[f.name] = bytes;
      into.nOutBufferSize = max;
      return;
    }
    case 'securityDescriptor':
      into[f.name] = readSecurityDescriptor(r, f.name);
      return;
    case 'securityAttributes':
      into[f.name] = readSecurityAttributes(r, f.name);
      return;
    case 'enumList':
      into[f.name] = readEnumList(r, f.name);
      return;
  }
}

/** Makes one MethodCodec from a definition. */
export function makeCodec(def: MethodDef): MethodCodec {
  // A method's shape depends only on the version: made once per version, not at every call.
  const shapes = new Map<ProtocolVersion, Shape & { replyFields: Field[]; names: readonly string[]; replyNames: readonly string[] }>();
  const shapeOf = (version: ProtocolVersion, part: string) => {
    let shape = shapes.get(version);
    if (!shape) {
      if (!def.versions.includes(version)) throw new NdrError(`${def.name} ${part}`, 0, `not in protocol version ${version}`);
      const made = def.shape(version);
      shape = { ...made, replyFields: [...made.outs, made.ret], names: argNames(made), replyNames: replyNames(made) };
      shapes.set(version, shape);
    }
    return shape;
  };
  return {
    name: def.name,
    opnum: def.opnum,
    versions: def.versions,
    argNames: (v) => shapeOf(v, 'arguments').names,
    replyNames: (v) => shapeOf(v, 'reply').replyNames,

    encodeRequest(version, args) {
      const shape = shapeOf(version, 'request');
      const w = new NdrWriter(`${def.name} request`);
      let i = 0;
      for (const f of shape.ins) {
        writeField(w, f, args[i], args[i + 1]);
        i += arity(f);
      }
      return w.toBuffer();
    },

    decodeRequest(version, stub) {
      const shape = shapeOf(version, 'request');
      const r = new NdrReader(stub, `${def.name} request`);
      const into: Record<string, unknown> = {};
      for (const f of shape.ins) readField(r, f, into);
      return shape.names.map((n) => into[n]);
    },

    encodeResponse(version, reply) {
      const shape = shapeOf(version, 'response');
      const w = new NdrWriter(`${def.name} response`);
      for (const f of shape.replyFields) {
        const value = reply[f.name];
        writeField(w, f, value === undefined ? missing(f) : value, f.kind === 'notifications' ? reply.dwNumNotifications : f.kind === 'outBuffer' ? reply.nOutBufferSize : f.kind === 'securityDescriptorBuffer' ? reply.cbInSecurityDescriptor : undefined);
      }
      return w.toBuffer();
    },

    decodeResponse(version, stub) {
      const shape = shapeOf(version, 'response');
      const r = new NdrReader(stub, `${def.name} response`);
      const into: Record<string, unknown> = {};
      for (const f of shape.replyFields) {
        if (f.kind === 'securityDescriptorBuffer') {
          const { bytes, cbIn } = readDescriptorAnswer(r, f.name);
          into[f.name] = bytes;
          into.cbInSecurityDescriptor = cbIn;
        } else readField(r, f, into);
      }
      return into as ReplyRecord;
    },
  };
}

/** What an [out] parameter the server left unset goes out as: zero, NULL, the NULL handle. */
function missing(f: Field): unknown {
  switch (f.kind) {
    case 'dword':
    case 'word':
      return 0;
    case 'bool':
      return false;
    default:
      return null;
  }
}
