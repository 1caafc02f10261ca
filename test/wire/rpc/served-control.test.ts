// Api*Control on the wire, served: the [out] lpOutBuffer is size_is(nOutBufferSize), so its max_count must
// be the request's nOutBufferSize whatever the bytes returned (Samba's client refuses anything else:
// "Bad array size"); and the property a SET_COMMON_PROPERTIES sets comes back from GET_COMMON_PROPERTIES.
import { CLUSAPI } from '../../../wire/clusapi';
import { RpcAssociation } from '../../../wire/rpc/client/association';
import { propertyListPayload, readPropertyList } from '../../../wire/clusapi/payload';
import { clusapiSyntax } from '../../../harness/target/dcerpc';
import { serveReference, type Served } from './support';

let served: Served;
beforeAll(async () => {
  served = await serveReference();
});
afterAll(async () => {
  await served.close();
});

test.each([2, 3] as const)('version %i: ApiClusterControl sets and gets a property; the buffer max_count is nOutBufferSize', async (version) => {
  const association = await RpcAssociation.open({ host: '127.0.0.1', port: served.port }, clusapiSyntax(version), { connectTimeoutMs: 2000 });
  const control = CLUSAPI.ApiClusterControl;
  try {
    const open = await association.call(CLUSAPI.ApiOpenCluster.opnum, Buffer.alloc(0), 2000);
    const hCluster = CLUSAPI.ApiOpenCluster.decodeResponse(version, open.stub!).hCluster as string;
    const list = propertyListPayload([{ name: 'Description', value: 'wire' }]);
    const set = await association.call(control.opnum, control.encodeRequest(version, [hCluster, 0x0740005e, list, list.length / 2, 0]), 2000);
    expect(control.decodeResponse(version, set.stub!)).toMatchObject({ status: 0, nOutBufferSize: 0, lpBytesReturned: 0 });
    const small = await association.call(control.opnum, control.encodeRequest(version, [hCluster, 0x07000059, null, 0, 8]), 2000);
    const tooSmall = control.decodeResponse(version, small.stub!) as unknown as { status: number; lpcbRequired: number; nOutBufferSize: number };
    expect(tooSmall).toMatchObject({ status: 234, nOutBufferSize: 8 });
    const big = await association.call(control.opnum, control.encodeRequest(version, [hCluster, 0x07000059, null, 0, 0xffff]), 2000);
    const got = control.decodeResponse(version, big.stub!) as unknown as { status: number; lpOutBuffer: string; lpBytesReturned: number; nOutBufferSize: number };
    expect(got).toMatchObject({ status: 0, nOutBufferSize: 0xffff, lpBytesReturned: tooSmall.lpcbRequired });
    expect(readPropertyList(got.lpOutBuffer)).toEqual([{ name: 'Description', value: 'wire' }]);
  } finally {
    association.close();
  }
});
