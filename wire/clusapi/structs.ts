// The constructed types the notification methods carry ([MS-CMRP] 2.2.3.x, Appendix A.2):
// CLUSTER_OPERATIONAL_VERSION_INFO, NOTIFY_FILTER_AND_TYPE_RPC and the NOTIFICATION_RPC array of
// ApiGetNotifyV2. Layouts are NDR20: a struct is aligned to its largest member (8 once a LONGLONG is
// inside), DWORD_PTR is 32 bits (MS-DTYP __int3264), embedded pointers are unique (the IDL has no
// pointer_default, and MIDL's default for embedded pointers is unique) and their referents follow
// the whole array, element by element.
import type { NdrReader } from '../ndr/reader';
import type { NdrWriter } from '../ndr/writer';
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
