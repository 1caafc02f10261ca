// Whether a server on the wire has version 2 notification ports. ApiCreateNotifyV2 is only a SHOULD
// (3.1.4.2.136-138 tie the three methods to Windows Server 2012 and later): a server without them
// rejects the opnum, and its version 2 port clauses are then NOT-TESTED for that reason, not FAILed.
// A probe that gets no answer at all (the server hung, crashed or sent garbage) proves nothing either
// way, so it is a fault of the target, never a quiet "no version 2 ports".
import { TargetError } from '../../cmrp/contract';
import { asTargetError } from './dcerpc-connection';
import { CLUSAPI, CLUSAPI_UUID, CLUSAPI_VERSIONS } from '../../wire/clusapi';
import { RpcAssociation } from '../../wire/rpc/client/association';
import type { ClientSecurity, ConnectionLimits, Endpoint } from '../../wire/rpc/client/connection';

/**
 * One ApiCreateNotifyV2 on a fresh clusapi 3.0 association: a fault (nca_s_op_rng_error or any other)
 * means no version 2 ports; any status means the method exists. A port the probe gets is closed at once.
 * No association, no answer in time or an undecodable answer throws a TargetError naming the probe.
 */
export async function offersNotifyV2(
  endpoint: Endpoint,
  options: ConnectionLimits & { security?: () => ClientSecurity },
  callTimeoutMs: number,
): Promise<boolean> {
  let association: RpcAssociation;
  try {
    association = await RpcAssociation.open(endpoint, { uuid: CLUSAPI_UUID, ...CLUSAPI_VERSIONS[3] }, options);
  } catch (e) {
    throw probeFault(e);
  }
  try {
    const create = CLUSAPI.ApiCreateNotifyV2;
    const outcome = await association.call(create.opnum, create.encodeRequest(3, []), callTimeoutMs);
    if (outcome.fault !== undefined) return false;
    const reply = create.decodeResponse(3, outcome.stub);
    if (typeof reply.hNotify === 'string') {
      const close = CLUSAPI.ApiCloseNotify;
      await association.call(close.opnum, close.encodeRequest(3, [reply.hNotify]), callTimeoutMs).catch(() => undefined);
    }
    return true;
  } catch (e) {
    throw probeFault(e);
  } finally {
    association.close();
  }
}

function probeFault(e: unknown): TargetError {
  const detail = e instanceof Error ? e.message : String(e);
  return new TargetError('ApiCreateNotifyV2', asTargetError('ApiCreateNotifyV2', e).fault, `the probe for version 2 ports got no usable answer: ${detail}`);
}
