// The constructed types the notification methods carry ([MS-CMRP] 2.2.3.x, Appendix A.2):
// CLUSTER_OPERATIONAL_VERSION_INFO, NOTIFY_FILTER_AND_TYPE_RPC and the NOTIFICATION_RPC array of
// ApiGetNotifyV2. Layouts are NDR20: a struct is aligned to its largest member (8 once a LONGLONG is
// inside), DWORD_PTR is 32 bits (MS-DTYP __int3264), embedded pointers are unique (the IDL has no
// pointer_default, and MIDL's default for embedded pointers is unique) and their referents follow
// the whole array, element by element.
import type { NdrReader } from '../ndr/reader';
import type { NdrWriter } from '../ndr/writer';
import type { EnumEntry } from '../../cmrp/contract';
import type { ClusterOperationalVersionInfo, NotificationRpc } from './types';

/** Bytes of one NOTIFICATION_RPC in the array body: key, pad, filter (dword, pad, hyper), 6 dwords. */
const NOTIFICATION_RPC_SIZE = 48;

const OP_VER_FIELDS = ['dwSize', 'dwClusterHighestVersion', 'dwClusterLowestVersion', 'dwFlags', 'dwReserved'] as const;

export function readOpVerInfo(r: NdrReader, what: string): ClusterOperationalVersionInfo | null {
  if (r.referent(what) === 0) return null;
  const info = {} as ClusterOperationalVersionInfo;
  for (const f of OP_VER_FIELDS) info[f] = r.u32(`${what}.${f}`);
  return info;
}

export function writeOpVerInfo(w: NdrWriter, value: unknown, what: string): void {
  if (value === null || value === undefined) {
    w.referent(false);
    return;
  }
  if (typeof value !== 'object') w.fail(`${what}: expected an object or null`);
  w.referent(true);
  const info = value as Record<string, unknown>;
  for (const f of OP_VER_FIELDS) w.u32(info[f] ?? 0, `${what}.${f}`);
}

/** NOTIFY_FILTER_AND_TYPE_RPC: { DWORD dwObjectType; LONGLONG FilterFlags } aligned to 8. */
export function readFilterAndType(r: NdrReader, what: string): { dwObjectType: number; FilterFlags: bigint } {
  r.align(8);
  const dwObjectType = r.u32(`${what}.dwObjectType`);
  const FilterFlags = r.i64(`${what}.FilterFlags`);
  return { dwObjectType, FilterFlags };
}

export function writeFilterAndType(w: NdrWriter, dwObjectType: unknown, FilterFlags: unknown, what: string): void {
  w.align(8);
  w.u32(dwObjectType, `${what}.dwObjectType`);
  w.i64(FilterFlags, `${what}.FilterFlags`);
}

const STRING_FIELDS = ['ObjectId', 'ParentId', 'Name', 'Type'] as const;

/**
 * [out, size_is(,*dwNumNotifications)] PNOTIFICATION_RPC *Notifications: a unique pointer to a
 * conformant array. Its count comes back again in the next parameter, dwNumNotifications, which
 * the caller reads and compares with the returned length (they must agree).
 */
export function readNotifications(r: NdrReader, what: string): NotificationRpc[] | null {
  if (r.referent(what) === 0) return null;
  const at = r.offset;
  const count = r.u32(`${what} max_count`);
  r.align(8);
  // Every element takes 48 bytes of the array body before any pointee: a count the stub cannot
  // hold is rejected before the array is allocated.
  if (count * NOTIFICATION_RPC_SIZE > r.remaining) r.fail(`${what}: ${count} notifications cannot fit in ${r.remaining} bytes`, at);
  const items: { n: NotificationRpc; size: number; ptrs: Record<string, boolean> }[] = [];
  for (let i = 0; i < count; i++) {
    const el = `${what}[${i}]`;
    r.align(8);
    const dwNotifyKey = r.u32(`${el}.dwNotifyKey`);
    const { dwObjectType, FilterFlags } = readFilterAndType(r, `${el}.NotificationData.FilterAndType`);
    const ptrs: Record<string, boolean> = { buffer: r.referent(`${el}.buffer`) !== 0 };
    const size = r.u32(`${el}.dwBufferSize`);
    for (const f of STRING_FIELDS) ptrs[f] = r.referent(`${el}.${f}`) !== 0;
    items.push({ n: { dwNotifyKey, dwObjectType, FilterFlags, buffer: null, ObjectId: null, ParentId: null, Name: null, Type: null }, size, ptrs });
  }
  for (const [i, { n, size, ptrs }] of items.entries()) {
    const el = `${what}[${i}]`;
    if (ptrs.buffer) n.buffer = r.conformantBytes(`${el}.buffer`, size).toString('hex');
    for (const f of STRING_FIELDS) if (ptrs[f]) n[f] = r.wstring(`${el}.${f}`);
  }
  return items.map((i) => i.n);
}

export function writeNotifications(w: NdrWriter, value: unknown, what: string): void {
  if (value === null || value === undefined) {
    w.referent(false);
    return;
  }
  if (!Array.isArray(value)) w.fail(`${what}: expected an array or null`);
  w.referent(true);
  w.u32(value.length, `${what} max_count`);
  const buffers: (Buffer | null)[] = [];
  for (const [i, item] of (value as Record<string, unknown>[]).entries()) {
    const el = `${what}[${i}]`;
    if (typeof item !== 'object' || item === null) w.fail(`${el}: expected an object`);
    w.align(8);
    w.u32(item.dwNotifyKey, `${el}.dwNotifyKey`);
    writeFilterAndType(w, item.dwObjectType, item.FilterFlags, `${el}.NotificationData.FilterAndType`);
    const buffer = item.buffer === null || item.buffer === undefined ? null : hexBytes(w, item.buffer, `${el}.buffer`);
    buffers.push(buffer);
    w.referent(buffer !== null);
    w.u32(buffer?.length ?? 0, `${el}.dwBufferSize`);
    for (const f of STRING_FIELDS) w.referent(item[f] !== null && item[f] !== undefined);
  }
  for (const [i, item] of (value as Record<string, unknown>[]).entries()) {
    const el = `${what}[${i}]`;
    const buffer = buffers[i];
    if (buffer) w.conformantBytes(buffer);
    for (const f of STRING_FIELDS) if (item[f] !== null && item[f] !== undefined) w.wstring(item[f], `${el}.${f}`);
  }
}

function hexBytes(w: NdrWriter, value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(value)) w.fail(`${what}: expected hex bytes`);
  return Buffer.from(value, 'hex');
}

/** [in, size_is(cbData)] const UCHAR *lpData: max_count, then the bytes (the contract's hex; null is no bytes). */
export function writeByteArray(w: NdrWriter, value: unknown, what: string): void {
  w.conformantBytes(value === null || value === undefined ? Buffer.alloc(0) : hexBytes(w, value, what));
}

export function readByteArray(r: NdrReader, what: string): string {
  return r.conformantBytes(what).toString('hex');
}

/** [in, unique, size_is(n)] UCHAR *: the NULL referent for null, else a referent id and the conformant bytes. */
export function writeUniqueByteArray(w: NdrWriter, value: unknown, what: string): void {
  if (w.referent(value !== null && value !== undefined)) w.conformantBytes(hexBytes(w, value, what));
}

export function readUniqueByteArray(r: NdrReader, what: string): string | null {
  return r.referent(what) === 0 ? null : r.conformantBytes(what).toString('hex');
}

/** [out, size_is(max), length_is(bytes)] UCHAR *: max_count, offset 0, actual_count, the bytes. */
export function writeOutBuffer(w: NdrWriter, value: unknown, max: unknown, what: string): void {
  const bytes = value === null || value === undefined ? Buffer.alloc(0) : hexBytes(w, value, what);
  const maxCount = max === undefined || max === null ? bytes.length : max;
  if (typeof maxCount !== 'number' || maxCount < bytes.length) w.fail(`${what}: max_count ${String(maxCount)} is below the ${bytes.length} bytes returned`);
  w.u32(maxCount, `${what} max_count`);
  w.u32(0, `${what} offset`);
  w.u32(bytes.length, `${what} actual_count`);
  w.bytes(bytes);
}

export function readOutBuffer(r: NdrReader, what: string): { bytes: string; max: number } {
  const at = r.offset;
  const max = r.u32(`${what} max_count`);
  const offset = r.u32(`${what} offset`);
  const actual = r.u32(`${what} actual_count`);
  if (offset !== 0 || actual > max) r.fail(`${what}: max_count ${max}, offset ${offset}, actual_count ${actual}`, at);
  return { bytes: r.copy(actual, what).toString('hex'), max };
}

/**
 * RPC_SECURITY_DESCRIPTOR ([MS-CMRP] 2.2.3.1): { [size_is(cbIn), length_is(cbOut)] unsigned char
 * *lpSecurityDescriptor; cbInSecurityDescriptor; cbOutSecurityDescriptor }. The body here; the bytes
 * (conformant and varying: max_count, offset, actual_count) are deferred, written by the returned function.
 */
function writeDescriptorBody(w: NdrWriter, value: unknown, what: string): () => void {
  const bytes = value === null || value === undefined ? null : hexBytes(w, value, what);
  w.referent(bytes !== null);
  w.u32(bytes?.length ?? 0, `${what}.cbInSecurityDescriptor`);
  w.u32(bytes?.length ?? 0, `${what}.cbOutSecurityDescriptor`);
  return () => {
    if (!bytes) return;
    w.u32(bytes.length);
    w.u32(0);
    w.u32(bytes.length);
    w.bytes(bytes);
  };
}

function readDescriptorBody(r: NdrReader, what: string): () => string | null {
  const present = r.referent(`${what}.lpSecurityDescriptor`) !== 0;
  const cbIn = r.u32(`${what}.cbInSecurityDescriptor`);
  const cbOut = r.u32(`${what}.cbOutSecurityDescriptor`);
  return () => {
    if (!present) return null;
    const at = r.offset;
    const max = r.u32(`${what} max_count`);
    const offset = r.u32(`${what} offset`);
    const actual = r.u32(`${what} actual_count`);
    if (max !== cbIn || offset !== 0 || actual !== cbOut || actual > max) r.fail(`${what}: max_count ${max}, offset ${offset}, actual_count ${actual} disagree with cbIn ${cbIn}, cbOut ${cbOut}`, at);
    return r.copy(actual, what).toString('hex');
  };
}

/** [in] PRPC_SECURITY_DESCRIPTOR: a top-level [ref] pointer, so the struct itself, then its deferred bytes. */
export function writeSecurityDescriptor(w: NdrWriter, value: unknown, what: string): void {
  writeDescriptorBody(w, value, what)();
}

export function readSecurityDescriptor(r: NdrReader, what: string): string | null {
  return readDescriptorBody(r, what)();
}

/** ApiGetKeySecurity [in]: the struct offering a buffer of cbIn bytes (none sent: actual_count 0), or NULL for 0. */
export function writeDescriptorOffer(w: NdrWriter, cbIn: unknown, what: string): void {
  if (typeof cbIn !== 'number') w.fail(`${what}: expected the buffer size offered, a number`);
  w.referent(cbIn > 0);
  w.u32(cbIn, `${what}.cbInSecurityDescriptor`);
  w.u32(0, `${what}.cbOutSecurityDescriptor`);
  if (cbIn > 0) {
    w.u32(cbIn);
    w.u32(0);
    w.u32(0);
  }
}

export function readDescriptorOffer(r: NdrReader, what: string): number {
  const present = r.referent(`${what}.lpSecurityDescriptor`) !== 0;
  const cbIn = r.u32(`${what}.cbInSecurityDescriptor`);
  const cbOut = r.u32(`${what}.cbOutSecurityDescriptor`);
  if (present) {
    const at = r.offset;
    const max = r.u32(`${what} max_count`);
    const offset = r.u32(`${what} offset`);
    const actual = r.u32(`${what} actual_count`);
    if (max !== cbIn || offset !== 0 || actual !== cbOut || actual > max) r.fail(`${what}: max_count ${max}, offset ${offset}, actual_count ${actual} disagree with cbIn ${cbIn}, cbOut ${cbOut}`, at);
    r.copy(actual, what);
  }
  return cbIn;
}

/** ApiGetKeySecurity [out]: the descriptor's bytes (null: a NULL pointer) in a buffer of cbIn bytes. */
export function writeDescriptorAnswer(w: NdrWriter, value: unknown, cbIn: unknown, what: string): void {
  const bytes = value === null || value === undefined ? null : hexBytes(w, value, what);
  const size = typeof cbIn === 'number' ? cbIn : (bytes?.length ?? 0);
  if (bytes && bytes.length > size) w.fail(`${what}: ${bytes.length} bytes exceed cbInSecurityDescriptor ${size}`);
  w.referent(bytes !== null);
  w.u32(size, `${what}.cbInSecurityDescriptor`);
  w.u32(bytes?.length ?? 0, `${what}.cbOutSecurityDescriptor`);
  if (bytes) {
    w.u32(size);
    w.u32(0);
    w.u32(bytes.length);
    w.bytes(bytes);
  }
}

export function readDescriptorAnswer(r: NdrReader, what: string): { bytes: string | null; cbIn: number } {
  const present = r.referent(`${what}.lpSecurityDescriptor`) !== 0;
  const cbIn = r.u32(`${what}.cbInSecurityDescriptor`);
  const cbOut = r.u32(`${what}.cbOutSecurityDescriptor`);
  if (!present) return { bytes: null, cbIn };
  const at = r.offset;
  const max = r.u32(`${what} max_count`);
  const offset = r.u32(`${what} offset`);
  const actual = r.u32(`${what} actual_count`);
  if (max !== cbIn || offset !== 0 || actual !== cbOut || actual > max) r.fail(`${what}: max_count ${max}, offset ${offset}, actual_count ${actual} disagree with cbIn ${cbIn}, cbOut ${cbOut}`, at);
  return { bytes: r.copy(actual, what).toString('hex'), cbIn };
}

/** [in, unique] PRPC_SECURITY_ATTRIBUTES: { nLength; RPC_SECURITY_DESCRIPTOR; long bInheritHandle } or NULL. */
export function writeSecurityAttributes(w: NdrWriter, value: unknown, what: string): void {
  if (!w.referent(value !== null && value !== undefined)) return;
  // nLength: the size of the struct in its C form (a pointer and two DWORDs inside: 4 + 12 + 4 on 32 bits).
  w.u32(20, `${what}.nLength`);
  const deferred = writeDescriptorBody(w, value, `${what}.RpcSecurityDescriptor`);
  w.u32(0, `${what}.bInheritHandle`);
  deferred();
}

export function readSecurityAttributes(r: NdrReader, what: string): string | null {
  if (r.referent(what) === 0) return null;
  r.u32(`${what}.nLength`);
  const deferred = readDescriptorBody(r, `${what}.RpcSecurityDescriptor`);
  r.u32(`${what}.bInheritHandle`);
  return deferred() ?? '';
}

/**
 * [out] PENUM_LIST *ReturnEnum ([MS-CMRP] 2.2.3.5): a unique pointer to ENUM_LIST { EntryCount;
 * [size_is(EntryCount)] ENUM_ENTRY Entry[] }, a conformant struct (its max_count leads), each entry
 * { DWORD Type; [string] LPWSTR Name } with the names deferred after the array.
 */
export function writeEnumList(w: NdrWriter, value: unknown, what: string): void {
  if (!w.referent(value !== null && value !== undefined)) return;
  if (!Array.isArray(value)) w.fail(`${what}: expected an array or null`);
  const entries = value as Record<string, unknown>[];
  w.u32(entries.length, `${what} max_count`);
  w.u32(entries.length, `${what}.EntryCount`);
  for (const [i, e] of entries.entries()) {
    if (typeof e !== 'object' || e === null) w.fail(`${what}.Entry[${i}]: expected an object`);
    w.u32(e.Type, `${what}.Entry[${i}].Type`);
    w.referent(e.Name !== null && e.Name !== undefined);
  }
  for (const [i, e] of entries.entries()) if (e.Name !== null && e.Name !== undefined) w.wstring(e.Name, `${what}.Entry[${i}].Name`);
}

export function readEnumList(r: NdrReader, what: string): EnumEntry[] | null {
  if (r.referent(what) === 0) return null;
  const at = r.offset;
  const max = r.u32(`${what} max_count`);
  const count = r.u32(`${what}.EntryCount`);
  if (count !== max) r.fail(`${what}: EntryCount ${count} differs from max_count ${max}`, at);
  // Every entry takes 8 bytes of the array body before any name: a count the stub cannot hold is rejected first.
  if (count * 8 > r.remaining) r.fail(`${what}: ${count} entries cannot fit in ${r.remaining} bytes`, at);
  const heads: { Type: number; named: boolean }[] = [];
  for (let i = 0; i < count; i++) heads.push({ Type: r.u32(`${what}.Entry[${i}].Type`), named: r.referent(`${what}.Entry[${i}].Name`) !== 0 });
  // A NULL name reads as "": an entry names an object, and the harness judges an empty name itself.
  return heads.map((h, i) => ({ Type: h.Type, Name: h.named ? r.wstring(`${what}.Entry[${i}].Name`) : '' }));
}
