// MD4, RC4 and HMAC-MD5 against their RFCs' published test vectors.
import { md4 } from '../../../wire/auth/crypto/md4';
import { Rc4, rc4k } from '../../../wire/auth/crypto/rc4';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { HmacMd5Key, hmacMd5 } from '../../../wire/auth/crypto/hmac-md5';
import { Md5 } from '../../../wire/auth/crypto/md5';
import { randomBytesPooled } from '../../../wire/auth/crypto/random';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('MD4 (RFC 1320 appendix A.5)', () => {
  const suite: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  it.each(suite)('MD4("%s")', (input, digest) => {
    expect(md4(Buffer.from(input, 'latin1')).toString('hex')).toBe(digest);
  });
  it('handles every padding boundary (lengths 0..130) without throwing and with 16-byte output', () => {
    for (let n = 0; n <= 130; n++) expect(md4(Buffer.alloc(n, n)).length).toBe(16);
  });
});

describe('RC4 (RFC 6229 section 2)', () => {
  // key 0x0102030405: key stream at each published offset.
  const key40: [number, string][] = [
    [0, 'b2 39 63 05 f0 3d c0 27 cc c3 52 4a 0a 11 18 a8'],
    [16, '69 82 94 4f 18 fc 82 d5 89 c4 03 a4 7a 0d 09 19'],
    [240, '28 cb 11 32 c9 6c e2 86 42 1d ca ad b8 b6 9e ae'],
    [256, '1c fc f6 2b 03 ed db 64 1d 77 df cf 7f 8d 8c 93'],
    [496, '42 b7 d0 cd d9 18 a8 a3 3d d5 17 81 c8 1f 40 41'],
    [512, '64 59 84 44 32 a7 da 92 3c fb 3e b4 98 06 61 f6'],
    [752, 'ec 10 32 7b de 2b ee fd 18 f9 27 76 80 45 7e 22'],
    [768, 'eb 62 63 8d 4f 0b a1 fe 9f ca 20 e0 5b f8 ff 2b'],
    [1008, '45 12 90 48 e6 a0 ed 0b 56 b4 90 33 8f 07 8d a5'],
    [1024, '30 ab bc c7 c2 0b 01 60 9f 23 ee 2d 5f 6b b7 df'],
    [1520, '32 94 f7 44 d8 f9 79 05 07 e7 0f 62 e5 bb ce ea'],
    [1536, 'd8 72 9d b4 18 82 25 9b ee 4f 82 53 25 f5 a1 30'],
    [2032, '1e b1 4a 0c 13 b3 bf 47 fa 2a 0b a9 3a d4 5b 8b'],
    [2048, 'cc 58 2f 8b a9 f2 65 e2 b1 be 91 12 e9 75 d2 d7'],
    [3056, 'f2 e3 0f 9b d1 02 ec bf 75 aa ad e9 bc 35 c4 3c'],
    [3072, 'ec 0e 11 c4 79 dc 32 9d c8 da 79 68 fe 96 56 81'],
    [4080, '06 83 26 a2 11 84 16 d2 1f 9d 04 b2 cd 1c a0 50'],
    [4096, 'ff 25 b5 89 95 99 67 07 e5 1f bd f0 8b 34 d8 75'],
  ];
  it('key 0x0102030405 at every published offset', () => {
    const stream = rc4k(hex('0102030405'), Buffer.alloc(4112));
    for (const [offset, bytes] of key40) expect(stream.subarray(offset, offset + 16).toString('hex')).toBe(hex(bytes).toString('hex'));
  });
  it('128-bit and 256-bit keys at offset 0', () => {
    expect(rc4k(hex('0102030405060708090a0b0c0d0e0f10'), Buffer.alloc(16)).toString('hex')).toBe('9ac7cc9a609d1ef7b2932899cde41b97');
    expect(rc4k(hex('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20'), Buffer.alloc(16)).toString('hex')).toBe(
      'eaa6bd25880bf93d3f5d1e4ca2611d91',
    );
  });
  it('the 256-bit key 1ada31d5... at offset 4096', () => {
    const stream = rc4k(hex('1ada31d5cf688221c109163908ebe51debb46227c6cc8b37641910833222772a'), Buffer.alloc(4112));
    expect(stream.subarray(4096).toString('hex')).toBe('370b1c1fe655916d97fd0d47ca1d72b8');
  });
  it('a handle keeps its stream across calls, and a clone continues from the same state', () => {
    const whole = rc4k(hex('0102030405'), Buffer.alloc(64));
    const h = new Rc4(hex('0102030405'));
    const first = h.update(Buffer.alloc(20));
    const copy = h.clone();
    expect(Buffer.concat([first, h.update(Buffer.alloc(44))])).toEqual(whole);
    expect(copy.update(Buffer.alloc(44))).toEqual(whole.subarray(20));
  });
});

describe('MD5 (RFC 1321 appendix A.5)', () => {
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
  ])('MD5("%s")', (text, digest) => {
    expect(new Md5().update(Buffer.from(text)).digest().toString('hex')).toBe(digest);
  });
  it("agrees with Node's MD5 and HMAC-MD5 on every length around the block edges, in parts, and after resuming a state", () => {
    const wrong: number[] = [];
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(n);
      const cut = n >> 1;
      const part = new Md5().update(data.subarray(0, cut));
      const resumed = new Md5().update(Buffer.from('something else')).resume(part).update(data.subarray(cut)).digest();
      const key = randomBytes(n % 90);
      const mac = new HmacMd5Key(key);
      mac.mac(randomBytes(7));
      if (!resumed.equals(createHash('md5').update(data).digest())) wrong.push(n);
      if (!mac.mac(data.subarray(0, cut), data.subarray(cut)).equals(createHmac('md5', key).update(data).digest())) wrong.push(-n);
    }
    expect(wrong).toEqual([]);
  });
});

describe('HMAC-MD5 (RFC 2202 section 2)', () => {
  const cases: [string, Buffer, Buffer, string][] = [
    ['1', Buffer.alloc(16, 0x0b), Buffer.from('Hi There'), '9294727a3638bb1c13f48ef8158bfc9d'],
    ['2', Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), '750c783e6ab0b503eaa86e310a5db738'],
    ['3', Buffer.alloc(16, 0xaa), Buffer.alloc(50, 0xdd), '56be34521d144c88dbb8c733f0e8b3f6'],
    ['4', hex('0102030405060708090a0b0c0d0e0f10111213141516171819'), Buffer.alloc(50, 0xcd), '697eaf0aca3a3aea3a75164746ffaa79'],
    ['5', Buffer.alloc(16, 0x0c), Buffer.from('Test With Truncation'), '56461ef2342edc00f9bab995690efd4c'],
    ['6', Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'), '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd'],
    [
      '7',
      Buffer.alloc(80, 0xaa),
      Buffer.from('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      '6f630fad67cda0ee1fb1f562db3aa53e',
    ],
  ];
  it.each(cases)('test case %s', (_n, key, data, mac) => {
    expect(hmacMd5(key, data).toString('hex')).toBe(mac);
  });
  it.each(cases)('test case %s with the key made once (HmacMd5Key), twice in a row', (_n, key, data, mac) => {
    const k = new HmacMd5Key(key);
    expect(k.mac(data).toString('hex')).toBe(mac);
    expect(k.mac(data.subarray(0, 3), data.subarray(3)).toString('hex')).toBe(mac);
  });
  it('takes the message in parts as ConcatenationOf does', () => {
    expect(hmacMd5(Buffer.from('Jefe'), Buffer.from('what do ya '), Buffer.from('want for nothing?')).toString('hex')).toBe(
      '750c783e6ab0b503eaa86e310a5db738',
    );
  });
});

describe('random bytes from the pool (NTLM challenges and session keys)', () => {
  it('hands out the length asked for, fresh and never twice, across refills and past the pool size', () => {
    const seen = new Set<string>();
    // 16-byte values across several 4 KiB refills: a repeat would be a pool handing bytes out twice.
    for (let i = 0; i < 2000; i++) {
      const value = randomBytesPooled(16);
      expect(value.length).toBe(16);
      seen.add(value.toString('hex'));
    }
    expect(seen.size).toBe(2000);
    expect(randomBytesPooled(8).length).toBe(8);
    const big = randomBytesPooled(10_000);
    expect(big.length).toBe(10_000);
    expect(big.equals(Buffer.alloc(10_000))).toBe(false);
  });

  it('gives each caller a copy of its own', () => {
    const a = randomBytesPooled(16);
    const b = randomBytesPooled(16);
    const bAsHandedOut = Buffer.from(b);
    a.fill(0);
    expect(b.equals(bAsHandedOut)).toBe(true);
    expect(randomBytesPooled(16).equals(Buffer.alloc(16))).toBe(false);
  });
});
