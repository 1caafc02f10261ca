// Hostile stubs: every decoder of every method, in both versions, given random bytes and mutated
// valid stubs, either decodes or throws NdrError, quickly, and whatever it decodes re-encodes to a
// stub that decodes to the same values (the decoders never invent what the encoders cannot say).
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { CLUSAPI, NdrError, type MethodCodec, type ProtocolVersion, type WireMethodName } from '../../../wire/clusapi';
import { allVectorCases } from './vectors';
import { slowTwice } from '../../support/hidden-loop';
import { scaled } from '../../support/time-scale';

/** A decode slower than this on a stub of a few hundred bytes, twice, is a hidden loop (support/hidden-loop.ts). */
const SLOW_MS = scaled(200);

type Part = 'request' | 'response';

function decode(codec: MethodCodec, version: ProtocolVersion, part: Part, stub: Buffer): unknown {
  return part === 'request' ? codec.decodeRequest(version, stub) : codec.decodeResponse(version, stub);
}

function reencode(codec: MethodCodec, version: ProtocolVersion, part: Part, value: unknown): Buffer {
  return part === 'request' ? codec.encodeRequest(version, value as unknown[]) : codec.encodeResponse(version, value as { status: number });
}

/** Decodes; anything thrown must be an NdrError; a success must survive a round trip. */
function checkHostile(codec: MethodCodec, version: ProtocolVersion, part: Part, stub: Buffer): void {
  const started = performance.now();
  let value: unknown;
  let error: unknown;
  try {
    value = decode(codec, version, part, stub);
  } catch (e) {
    error = e;
  }
  const took = performance.now() - started;
  const slow = slowTwice(took, SLOW_MS, () => decode(codec, version, part, stub));
  if (slow) throw new Error(`${codec.name} v${version} ${part} ${slow} on ${stub.length} bytes`);
  // The checks run tens of thousands of times: each is tested plainly first, and only one that does not
  // hold goes through expect (the same matcher as always, for its message). A strict deep equality
  // implies toEqual's; anything short of it is left to toEqual to judge.
  if (error !== undefined) {
    if (!(error instanceof NdrError)) throw new Error(`${codec.name} v${version} ${part} threw ${String(error)} on ${stub.toString('hex')}`);
    if (!error.message.includes(codec.name)) expect(error.message).toContain(codec.name);
    if (!(error.offset >= 0)) expect(error.offset).toBeGreaterThanOrEqual(0);
    if (!(error.offset <= stub.length + 8)) expect(error.offset).toBeLessThanOrEqual(stub.length + 8);
    return;
  }
  const again = decode(codec, version, part, reencode(codec, version, part, value));
  if (!isDeepStrictEqual(again, value)) expect(again).toEqual(value);
}

const TARGETS: [string, MethodCodec, ProtocolVersion, Part][] = (Object.values(CLUSAPI) as MethodCodec[]).flatMap((codec) =>
  codec.versions.flatMap((v) => (['request', 'response'] as Part[]).map((p): [string, MethodCodec, ProtocolVersion, Part] => [`${codec.name} v${v} ${p}`, codec, v, p])),
);

describe('random bytes', () => {
  it.each(TARGETS)('%s: only NdrError', (_l, codec, version, part) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), (bytes) => checkHostile(codec, version, part, Buffer.from(bytes))),
      { numRuns: 150 },
    );
  });
});

/** Values a hostile peer puts where a count, a referent or a status goes. */
const NASTY_U32 = fc.oneof(fc.constantFrom(0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x00020000, 0x10000, 0x1000), fc.nat({ max: 0xffffffff }));

type Mutation = (b: Buffer) => Buffer;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n): Mutation => (b) => b.subarray(0, b.length === 0 ? 0 : n % b.length)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, x]): Mutation => (b) => {
    if (b.length === 0) return b;
    const c = Buffer.from(b);
    c[n % c.length] ^= x;
    return c;
  }),
  fc.tuple(fc.nat(), NASTY_U32).map(([n, v]): Mutation => (b) => {
    if (b.length < 4) return b;
    const c = Buffer.from(b);
    c.writeUInt32LE(v >>> 0, (n % Math.floor(c.length / 4)) * 4);
    return c;
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 12 })).map(([n, ins]): Mutation => (b) => {
    const at = b.length === 0 ? 0 : n % (b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.from(ins), b.subarray(at)]);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })).map(([n, len]): Mutation => (b) => {
    const at = b.length === 0 ? 0 : n % b.length;
    return Buffer.concat([b.subarray(0, at), b.subarray(at + len)]);
  }),
);

const SEEDS = allVectorCases();

describe('mutated valid stubs', () => {
  it.each(TARGETS)('%s: only NdrError', (_l, codec, version, part) => {
    const seeds = SEEDS.filter((s) => s.method === codec.name && s.version === version).map((s) => Buffer.from(s.c[part].hex, 'hex'));
    expect(seeds.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, ms) => {
        checkHostile(codec, version, part, ms.reduce<Buffer>((b, m) => m(b), seed));
      }),
      { numRuns: 300 },
    );
  });
});

describe('sizes a hostile peer claims', () => {
  const huge = (counts: number[]): Buffer => Buffer.concat(counts.map((c) => Buffer.from(new Uint32Array([c]).buffer)));

  it('a string claiming 2^31 characters fails at once, without allocating them', () => {
    const stub = Buffer.concat([huge([0x7fffffff, 0, 0x7fffffff]), Buffer.alloc(8)]);
    expect(() => CLUSAPI.ApiOpenNode.decodeRequest(3, stub)).toThrow(/only 8 bytes left/);
  });

  it('a string whose actual_count exceeds its max_count, or with an offset, or without a NUL', () => {
    const s = (max: number, off: number, actual: number, chars: string) => Buffer.concat([huge([max, off, actual]), Buffer.from(chars, 'utf16le')]);
    expect(() => CLUSAPI.ApiOpenNode.decodeRequest(2, s(2, 0, 3, 'ab\0'))).toThrow(/exceeds max_count/);
    expect(() => CLUSAPI.ApiOpenNode.decodeRequest(2, s(3, 1, 2, 'b\0'))).toThrow(/offset 1/);
    expect(() => CLUSAPI.ApiOpenNode.decodeRequest(2, s(2, 0, 2, 'ab'))).toThrow(/not NUL/);
    expect(() => CLUSAPI.ApiOpenNode.decodeRequest(2, s(0, 0, 0, ''))).toThrow(/no terminating NUL/);
    expect(CLUSAPI.ApiOpenNode.decodeRequest(2, s(9, 0, 3, 'ab\0'))).toEqual(['ab']);
  });

  it('a NOTIFICATION_RPC array claiming 2^32-1 elements fails before allocating', () => {
    const stub = Buffer.concat([huge([0x00020000, 0xffffffff]), Buffer.alloc(64)]);
    const started = performance.now();
    expect(() => CLUSAPI.ApiGetNotifyV2.decodeResponse(3, stub)).toThrow(/cannot fit/);
    expect(performance.now() - started).toBeLessThan(SLOW_MS);
  });

  it('dwNumNotifications must agree with the array it sizes, and dwBufferSize with its buffer', () => {
    const good = CLUSAPI.ApiGetNotifyV2.encodeResponse(3, {
      Notifications: [{ dwNotifyKey: 1, dwObjectType: 1, FilterFlags: 1n, buffer: 'aa', ObjectId: null, ParentId: null, Name: 'n', Type: null }],
      status: 0,
    });
    const count = Buffer.from(good);
    count.writeUInt32LE(2, good.length - 8);
    expect(() => CLUSAPI.ApiGetNotifyV2.decodeResponse(3, count)).toThrow(/dwNumNotifications 2 differs/);
    const size = Buffer.from(good);
    size.writeUInt32LE(3, 8 + 28); // element 0's dwBufferSize
    expect(() => CLUSAPI.ApiGetNotifyV2.decodeResponse(3, size)).toThrow(/max_count 1 differs from its size_is value 3/);
  });

  it('a truncated stub names the method, the part and the offset', () => {
    const stub = CLUSAPI.ApiGetNotify.encodeResponse(3, { dwNotifyKey: 1, dwFilter: 2, dwStateSequence: 3, Name: 'x', rpc_status: 0, status: 0 });
    expect(() => CLUSAPI.ApiGetNotify.decodeResponse(3, stub.subarray(0, stub.length - 2))).toThrow(
      new NdrError('ApiGetNotify response', stub.length - 4, 'status needs 4 bytes, 2 left'),
    );
  });
});

describe('encoders refuse what the IDL cannot carry', () => {
  const c = (m: WireMethodName) => CLUSAPI[m];
  it('handles must be 40 hex digits or null', () => {
    expect(() => c('ApiGetNodeState').encodeRequest(3, ['c0ffee'])).toThrow(NdrError);
    expect(c('ApiGetNodeState').encodeRequest(3, [null]).toString('hex')).toBe('00'.repeat(20));
  });
  it('DWORDs must be 32-bit integers; a negative status is its two complement', () => {
    expect(() => c('ApiReAddNotifyNode').encodeRequest(3, ['00'.repeat(20), '00'.repeat(20), 1, 2, 2 ** 32])).toThrow(/out of range/);
    expect(() => c('ApiReAddNotifyNode').encodeRequest(3, ['00'.repeat(20), '00'.repeat(20), 1, 2])).toThrow(/StateSequence: expected an integer/);
    expect(c('ApiUnblockGetNotifyCall').encodeResponse(3, { status: -1 }).toString('hex')).toBe('ffffffff');
  });
  it('BOOL takes a boolean', () => {
    expect(() => c('ApiAddNotifyKey').encodeRequest(2, ['00'.repeat(20), '00'.repeat(20), 1, 2, 1])).toThrow(/WatchSubTree: expected a boolean/);
  });
  it('a version 2 GetNotify without Timeout waits INFINITE; version 3 ignores a Timeout', () => {
    expect(c('ApiGetNotify').encodeRequest(2, ['00'.repeat(20)]).subarray(20).toString('hex')).toBe('ffffffff');
    expect(c('ApiGetNotify').encodeRequest(3, ['00'.repeat(20), 5]).length).toBe(20);
  });
  it('the version 2 ports do not exist in protocol version 2', () => {
    expect(() => c('ApiGetNotifyV2').encodeRequest(2, ['00'.repeat(20)])).toThrow(/not in protocol version 2/);
  });
  it('a server reply without its [out] values gets zeros and NULLs', () => {
    expect(c('ApiGetNotify').encodeResponse(3, { status: 6 }).toString('hex')).toBe('00000000'.repeat(5) + '06000000');
  });
});
