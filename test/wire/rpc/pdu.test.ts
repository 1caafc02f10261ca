// The PDU layer: every PDU type round-trips, a hand-checked bind matches C706 byte for byte, and the
// decoder meets hostile bytes (random, truncated, mutated) with RpcProtocolError only, quickly.
import fc from 'fast-check';
import { HEADER_SIZE, NDR20, PTYPE } from '../../../wire/rpc/constants';
import { RpcProtocolError } from '../../../wire/rpc/errors';
import { decodeHeader, decodePdu, encodePdu, type Pdu } from '../../../wire/rpc/pdu';
import { authValueOffset, SEC_TRAILER_SIZE } from '../../../wire/rpc/sec-trailer';
import { decodeUuid, encodeUuid } from '../../../wire/rpc/uuid';
import { FieldWriter } from '../../../wire/rpc/bytes';
import { slowTwice } from '../../support/hidden-loop';
import { scaled } from '../../support/time-scale';
import { expectedDecode, pduArb, uuidArb } from './arbitraries';

const CLUSAPI_V3 = { uuid: 'b97db8b2-4c63-11cf-bff6-08002be23f2f', major: 3, minor: 0 };

/** A decode of a small input slower than this, twice, is a hidden loop (support/hidden-loop.ts). */
const SLOW_MS = scaled(100);

/** Decodes, allowing only RpcProtocolError, and fails a decode that hangs on a small input. */
function decodeHostile(bytes: Buffer): Pdu | RpcProtocolError {
  const started = performance.now();
  let outcome: Pdu | RpcProtocolError;
  try {
    outcome = decodePdu(bytes);
  } catch (error) {
    if (!(error instanceof RpcProtocolError)) throw new Error(`decodePdu threw ${String(error)} on ${bytes.toString('hex')}`);
    outcome = error;
  }
  const slow = slowTwice(performance.now() - started, SLOW_MS, () => decodePdu(bytes));
  if (slow) throw new Error(`decodePdu ${slow} on ${bytes.length} bytes`);
  return outcome;
}

describe('UUIDs', () => {
  it('round-trip and use the NDR little-endian layout', () => {
    fc.assert(fc.property(uuidArb, (u) => expect(decodeUuid(encodeUuid(u))).toBe(u)));
    expect(encodeUuid(NDR20.uuid).toString('hex')).toBe('045d888aeb1cc9119fe808002b104860');
  });
});

describe('round trips', () => {
  it('decode(encode(pdu)) gives the pdu back, for every PDU type', () => {
    fc.assert(
      fc.property(pduArb, (pdu) => {
        const bytes = encodePdu(pdu);
        const header = decodeHeader(bytes);
        expect(header.fragLength).toBe(bytes.length);
        expect(header.ptype).toBe(PTYPE[pdu.type]);
        const decoded = decodePdu(bytes);
        const pad = decoded.auth ? (decoded.auth as { authPadLength: number }).authPadLength : undefined;
        expect(decoded).toEqual(expectedDecode(pdu, pad));
        if (pdu.auth) {
          // The sec_trailer starts on the boundary asked for, and auth_value is where the header says.
          const alignTo = 'alignTo' in pdu.auth ? (pdu.auth.alignTo ?? 4) : 4;
          const trailerAt = bytes.length - pdu.auth.authValue.length - SEC_TRAILER_SIZE;
          expect(trailerAt % alignTo).toBe(0);
          expect(bytes.subarray(authValueOffset(bytes))).toEqual(pdu.auth.authValue);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('known bytes', () => {
  it('a bind of clusapi 3.0 with NDR20 is laid out as C706 12.6.3.1 says', () => {
    const bytes = encodePdu({
      type: 'bind',
      callId: 1,
      maxXmitFrag: 4280,
      maxRecvFrag: 4280,
      assocGroupId: 0,
      contexts: [{ contextId: 0, abstractSyntax: CLUSAPI_V3, transferSyntaxes: [NDR20] }],
    });
    expect(bytes.toString('hex')).toBe(
      [
        '05000b03', // rpc_vers 5.0, bind, PFC_FIRST_FRAG|PFC_LAST_FRAG
        '10000000', // little-endian, ASCII, IEEE
        '4800', // frag_length 72
        '0000', // auth_length
        '01000000', // call_id
        'b810b810', // max_xmit_frag, max_recv_frag 4280
        '00000000', // assoc_group_id
        '01000000', // one context
        '0000', // p_cont_id 0
        '0100', // one transfer syntax
        'b2b87db9634ccf11bff608002be23f2f', // clusapi UUID, little-endian fields
        '03000000', // version 3.0
        '045d888aeb1cc9119fe808002b104860', // NDR20
        '02000000', // version 2.0
      ].join(''),
    );
  });

  it('a bind_ack aligns its result list to 4 after the secondary address', () => {
    const bytes = encodePdu({
      type: 'bind_ack',
      callId: 1,
      maxXmitFrag: 4280,
      maxRecvFrag: 4280,
      assocGroupId: 0x1234,
      secondaryAddress: '49152',
      results: [{ result: 0, reason: 0, transferSyntax: NDR20 }],
    });
    // 16 header + 8 + 2 (length) + 6 ("49152\0") = 32: already aligned, the result list follows.
    expect(bytes.readUInt16LE(24)).toBe(6);
    expect(bytes.subarray(26, 32).toString('latin1')).toBe('49152\0');
    expect(bytes.readUInt8(32)).toBe(1);
    const odd = encodePdu({ type: 'bind_ack', callId: 1, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 1, secondaryAddress: '135', results: [] });
    // 26 + 4 ("135\0") = 30 -> 2 bytes of padding before n_results at 32.
    expect(odd.length).toBe(36);
  });
});

describe('hostile bytes', () => {
  it('random bytes give an RpcProtocolError or a PDU, never another error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void decodeHostile(Buffer.from(b))), { numRuns: 2000 });
  });

  it('random bodies behind a valid header give an RpcProtocolError or a PDU', () => {
    const header = (ptype: number, length: number, authLength: number) => {
      const h = Buffer.from('05000003100000000000000001000000', 'hex');
      h[2] = ptype;
      h.writeUInt16LE(length, 8);
      h.writeUInt16LE(authLength, 10);
      return h;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25 }), fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 64 }), (ptype, body, authLength) => {
        const bytes = Buffer.concat([header(ptype, HEADER_SIZE + body.length, authLength), Buffer.from(body)]);
        void decodeHostile(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('every truncation and every single-byte change of valid PDUs is handled', () => {
    fc.assert(
      fc.property(pduArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (pdu, cutAt, at, value) => {
        const bytes = encodePdu(pdu);
        void decodeHostile(bytes.subarray(0, cutAt % (bytes.length + 1)));
        const changed = Buffer.from(bytes);
        changed[at % changed.length] = value;
        void decodeHostile(changed);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the PDU and the field that is wrong', () => {
    const bind = encodePdu({ type: 'bind', callId: 1, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 0, contexts: [{ contextId: 0, abstractSyntax: CLUSAPI_V3, transferSyntaxes: [NDR20] }] });
    // Claim three contexts where one is present.
    const lying = Buffer.from(bind);
    lying[24] = 3;
    expect(() => decodePdu(lying)).toThrow(/bind PDU: p_cont_elem\[1\]\.p_cont_id at offset 72 needs 2 byte\(s\), 0 left/);
    const wrongLength = Buffer.from(bind);
    wrongLength.writeUInt16LE(70, 8);
    expect(() => decodePdu(wrongLength)).toThrow(/frag_length 70 but 72 byte\(s\) given/);
    const bigEndian = Buffer.from(bind);
    bigEndian[4] = 0x00;
    expect(() => decodePdu(bigEndian)).toThrow(/not little-endian/);
    const version4 = Buffer.from(bind);
    version4[0] = 4;
    expect(() => decodePdu(version4)).toThrow(/rpc_vers 4\.0/);
    const connectionless = Buffer.from(bind);
    connectionless[2] = 1;
    expect(() => decodePdu(connectionless)).toThrow(/PTYPE 1: not a connection-oriented PDU type/);
    const authTooLong = Buffer.from(bind);
    authTooLong.writeUInt16LE(60, 10);
    expect(() => decodePdu(authTooLong)).toThrow(/auth_length 60 exceeds frag_length 72/);
    authTooLong.writeUInt16LE(50, 10);
    expect(() => decodePdu(authTooLong)).toThrow(/auth_length 50 leaves no room for the sec_trailer/);
  });
});

describe('the field writer', () => {
  // It writes into one buffer that it replaces with a bigger one as it fills: every field must land in
  // the buffer it ends up with, whatever size it started at.
  it.each([1, 2, 3, 7, 64])('gives the same bytes starting from %i byte(s) of room', (initial) => {
    const w = new FieldWriter(initial)
      .u8(0x1ff)
      .u16(0x1_2345)
      .u32(-1)
      .raw(Buffer.from('abc'))
      .align(8)
      .skip(3)
      .uuid('8a885d04-1ceb-11c9-9fe8-08002b104860')
      .syntax({ uuid: 'b97db8b2-4c63-11cf-bff6-08002be23f2f', major: 3, minor: 0 });
    expect(w.offset).toBe(55);
    expect(w.written().toString('hex')).toBe(
      'ff' + '4523' + 'ffffffff' + '616263' + '000000000000' + '000000' + '045d888aeb1cc9119fe808002b104860' + 'b2b87db9634ccf11bff608002be23f2f' + '0300' + '0000',
    );
  });
});
