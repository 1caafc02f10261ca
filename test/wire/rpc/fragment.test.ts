// Fragmentation both ways and the stream framing: any stub survives being cut to any negotiated
// fragment size and glued back; any chunking of the byte stream yields the same PDUs; fragments out
// of order, too large or lying about their size are errors, never a hang or a crash.
import fc from 'fast-check';
import { MUST_RECV_FRAG_SIZE, PFC } from '../../../wire/rpc/constants';
import { RpcProtocolError } from '../../../wire/rpc/errors';
import { fragmentRequest, fragmentResponse, Reassembly } from '../../../wire/rpc/fragment';
import { PduFramer } from '../../../wire/rpc/framing';
import { decodePdu, encodePdu, type RequestPdu, type ResponsePdu } from '../../../wire/rpc/pdu';
import { pduArb } from './arbitraries';

const stubArb = fc.uint8Array({ maxLength: 20000 }).map((b) => Buffer.from(b));
const fragArb = fc.integer({ min: MUST_RECV_FRAG_SIZE, max: 5840 });

function frame(bytes: Buffer[], maxFrag?: number): { pdus: Buffer[]; errors: RpcProtocolError[]; framer: PduFramer } {
  const pdus: Buffer[] = [];
  const errors: RpcProtocolError[] = [];
  const framer = new PduFramer({ pdu: (p) => pdus.push(p), error: (e) => errors.push(e) }, maxFrag);
  for (const b of bytes) framer.push(b);
  return { pdus, errors, framer };
}

describe('fragmentation and reassembly', () => {
  it('requests: every fragment fits, the flags and alloc_hint are right, the stub comes back whole', () => {
    fc.assert(
      fc.property(stubArb, fragArb, fc.integer({ min: 0, max: 200 }), (stub, maxFrag, opnum) => {
        const fragments = fragmentRequest({ callId: 7, contextId: 1, opnum, stub }, maxFrag);
        const reassembly = new Reassembly(1 << 20);
        let whole: Buffer | undefined;
        fragments.forEach((bytes, i) => {
          expect(bytes.length).toBeLessThanOrEqual(maxFrag);
          const pdu = decodePdu(bytes) as RequestPdu;
          expect(pdu.type).toBe('request');
          expect(Boolean(pdu.flags! & PFC.FIRST_FRAG)).toBe(i === 0);
          expect(Boolean(pdu.flags! & PFC.LAST_FRAG)).toBe(i === fragments.length - 1);
          if (i < fragments.length - 1) expect(pdu.stub.length % 8).toBe(0);
          expect(whole).toBeUndefined();
          whole = reassembly.add(pdu);
        });
        expect(whole).toEqual(stub);
        expect((decodePdu(fragments[0]) as RequestPdu).allocHint).toBe(stub.length);
      }),
      { numRuns: 200 },
    );
  });

  it('responses likewise', () => {
    fc.assert(
      fc.property(stubArb, fragArb, (stub, maxFrag) => {
        const reassembly = new Reassembly(1 << 20);
        const parts = fragmentResponse({ callId: 3, contextId: 0, stub }, maxFrag).map((b) => decodePdu(b) as ResponsePdu);
        const results = parts.map((p) => reassembly.add(p));
        expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
        expect(results[results.length - 1]).toEqual(stub);
      }),
      { numRuns: 200 },
    );
  });

  it('an empty stub is one fragment with both flags', () => {
    const [only, ...rest] = fragmentRequest({ callId: 1, contextId: 0, opnum: 55, stub: Buffer.alloc(0) }, MUST_RECV_FRAG_SIZE);
    expect(rest).toEqual([]);
    expect(decodePdu(only).flags).toBe(PFC.FIRST_FRAG | PFC.LAST_FRAG);
  });

  it('refuses fragments out of order, of another opnum or context, and stubs past the ceiling', () => {
    const parts = fragmentRequest({ callId: 9, contextId: 0, opnum: 65, stub: Buffer.alloc(5000, 1) }, MUST_RECV_FRAG_SIZE).map((b) => decodePdu(b) as RequestPdu);
    expect(() => new Reassembly(1 << 20).add(parts[1])).toThrow(/without PFC_FIRST_FRAG starts the call/);
    const twice = new Reassembly(1 << 20);
    twice.add(parts[0]);
    expect(() => twice.add(parts[0])).toThrow(/PFC_FIRST_FRAG again/);
    const otherOp = new Reassembly(1 << 20);
    otherOp.add(parts[0]);
    expect(() => otherOp.add({ ...parts[1], opnum: 66 })).toThrow(/opnum changed from 65 to 66/);
    const otherContext = new Reassembly(1 << 20);
    otherContext.add(parts[0]);
    expect(() => otherContext.add({ ...parts[1], contextId: 2 })).toThrow(/p_cont_id changed from 0 to 2/);
    const small = new Reassembly(2000);
    small.add(parts[0]);
    expect(() => small.add(parts[1])).toThrow(/grows past 2000 bytes/);
  });
});

describe('framing', () => {
  it('any chunking of a stream of PDUs yields the same PDUs', () => {
    fc.assert(
      fc.property(fc.array(pduArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (pdus, cuts) => {
        const encoded = pdus.map(encodePdu);
        const stream = Buffer.concat(encoded);
        const chunks: Buffer[] = [];
        for (let at = 0, i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length];
          chunks.push(stream.subarray(at, at + n));
          at += n;
        }
        const { pdus: out, errors, framer } = frame(chunks);
        expect(errors).toEqual([]);
        expect(out).toEqual(encoded);
        expect(framer.buffered).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a cut-short PDU stays buffered (the connection reports it when the peer closes)', () => {
    const bytes = encodePdu({ type: 'shutdown', callId: 1 });
    const { pdus, framer } = frame([bytes.subarray(0, 10)]);
    expect(pdus).toEqual([]);
    expect(framer.buffered).toBe(10);
  });

  it('a fragment past the negotiated size, a header below 16 bytes or a foreign version is an error, once', () => {
    const big = fragmentResponse({ callId: 1, contextId: 0, stub: Buffer.alloc(3000) }, 5840)[0];
    const tooBig = frame([big, big], 2000);
    expect(tooBig.errors.map((e) => e.message)).toEqual(['response PDU: frag_length 3024 exceeds the negotiated maximum of 2000']);
    expect(tooBig.pdus).toEqual([]);
    const short = Buffer.from(encodePdu({ type: 'shutdown', callId: 1 }));
    short.writeUInt16LE(8, 8);
    expect(frame([short, short]).errors.map((e) => e.message)).toEqual(['shutdown PDU: frag_length 8 is shorter than the header']);
    const garbage = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(frame([garbage]).errors[0].message).toMatch(/rpc_vers 71\.69/);
  });

  it('random bytes in any chunks never throw out of the framer', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 20 }), (chunks) => {
        const { pdus, errors } = frame(chunks.map((c) => Buffer.from(c)));
        expect(errors.length).toBeLessThanOrEqual(1);
        for (const p of pdus) expect(p.length).toBeLessThanOrEqual(0xffff);
      }),
      { numRuns: 1000 },
    );
  });
});
