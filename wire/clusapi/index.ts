// The clusapi interface on the wire: its UUID, and an NDR20 codec for every method the suite and the
// served reference use, in both protocol versions' shapes ([MS-CMRP] Appendix A: clusapi2.idl for
// version 2.0, clusapi3.idl for version 3.0).
import { CODECS } from './methods';
import type { MethodCodec, ProtocolVersion, WireMethodName } from './types';

export type { MethodCodec, ProtocolVersion, WireMethodName, ReplyRecord, NotificationRpc, ClusterOperationalVersionInfo } from './types';
export { NdrError } from '../ndr/errors';

export const CLUSAPI_UUID = 'b97db8b2-4c63-11cf-bff6-08002be23f2f';
/** Interface versions (major.minor) of the two protocol versions ([MS-CMRP] 2.1). */
export const CLUSAPI_VERSIONS: Record<ProtocolVersion, { major: number; minor: number }> = {
  2: { major: 2, minor: 0 },
  3: { major: 3, minor: 0 },
};

export const CLUSAPI: Readonly<Record<WireMethodName, MethodCodec>> = CODECS;

const opnums = new Map<number, MethodCodec>(Object.values(CODECS).map((c) => [c.opnum, c]));

/**
 * The codec of an opnum, or undefined when the suite has none for it (the server then answers
 * nca_s_op_rng_error). With a version, a method that version's IDL lacks is undefined too.
 */
export function byOpnum(opnum: number, version?: ProtocolVersion): MethodCodec | undefined {
  const codec = opnums.get(opnum);
  if (codec && version !== undefined && !codec.versions.includes(version)) return undefined;
  return codec;
}
