// The run's data check is skipped only for the very build and bytes a passed check saw: any changed,
// added or removed data or schema file, or a new build, checks again; a failed check is never
// remembered; the sources (no build of their own) always check. Runs the built module: the digest is
// the build's.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild } from '../faults/support';
import * as sources from '../../harness/runner/checked-once';

type CheckedOnce = typeof import('../../harness/runner/checked-once');

function built(): CheckedOnce {
  requireBuild();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../dist/harness/runner/checked-once.js') as CheckedOnce;
}

function fakePackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'cmrp-checked-'));
  for (const dir of ['dist', 'vectors/catalogue', 'vectors/sequences/families', 'docs']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'dist/build-id'), 'build-1');
  writeFileSync(join(root, 'vectors/catalogue/3.1.json'), '{"a":1}');
  writeFileSync(join(root, 'vectors/sequences/s.json'), '{"sequences":[]}');
  writeFileSync(join(root, 'vectors/sequences/families/f.json'), '{}');
  writeFileSync(join(root, 'vectors/sequences.schema.json'), '{}');
  writeFileSync(join(root, 'docs/adapter-protocol.schema.json'), '{}');
  return root;
}

describe('the data check, once per build and bytes', () => {
  // Where passes are remembered: a directory of each test's own.
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'cmrp-checked-cache-'));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  it('changes its digest with every byte, file and build that decides the check, and with nothing else', () => {
    const { dataDigest } = built();
    const root = fakePackage();
    const first = dataDigest(root);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(dataDigest(root)).toBe(first);
    const seen = new Set([first]);
    const changes: [string, () => void][] = [
      ['a sequence byte', () => writeFileSync(join(root, 'vectors/sequences/s.json'), '{"sequences":[ ]}')],
      ['a family template', () => writeFileSync(join(root, 'vectors/sequences/families/f.json'), '{ }')],
      ['a catalogue file', () => writeFileSync(join(root, 'vectors/catalogue/3.1.json'), '{"a":2}')],
      ['an added sequence file', () => writeFileSync(join(root, 'vectors/sequences/t.json'), '{}')],
      ['a data schema', () => writeFileSync(join(root, 'vectors/sequences.schema.json'), '{"type":"object"}')],
      ['the adapter protocol schema', () => writeFileSync(join(root, 'docs/adapter-protocol.schema.json'), '{"type":"object"}')],
      ['a new build', () => writeFileSync(join(root, 'dist/build-id'), 'build-2')],
      ['a removed file', () => rmSync(join(root, 'vectors/sequences/t.json'))],
    ];
    for (const [what, change] of changes) {
      change();
      const digest = dataDigest(root);
      expect({ what, fresh: !seen.has(digest) }).toEqual({ what, fresh: true });
      seen.add(digest);
    }
    // What the check does not read leaves it alone.
    const before = dataDigest(root);
    writeFileSync(join(root, 'docs/cli.md'), 'words');
    writeFileSync(join(root, 'vectors/wire-vector.bin.json.txt'), 'x');
    expect(dataDigest(root)).toBe(before);
    rmSync(root, { recursive: true, force: true });
  });

  it('skips only a check that passed on the same digest; a failed check is never remembered', () => {
    const { checkedOnce } = built();
    const root = fakePackage();
    let runs = 0;
    const pass = () => void runs++;
    checkedOnce(pass, root, cache);
    checkedOnce(pass, root, cache);
    expect(runs).toBe(1);
    writeFileSync(join(root, 'vectors/sequences/s.json'), '{"sequences": "broken"}');
    const fail = () => {
      runs++;
      throw new Error('vectors/sequences/s.json: broken');
    };
    expect(() => checkedOnce(fail, root, cache)).toThrow('broken');
    expect(() => checkedOnce(fail, root, cache)).toThrow('broken');
    expect(runs).toBe(3);
    rmSync(root, { recursive: true, force: true });
  });

  it('remembers at most MAX_MARKERS passes, dropping the oldest (one is written per build)', () => {
    const { checkedOnce, dataDigest, MAX_MARKERS } = built();
    const root = fakePackage();
    const old = Array.from({ length: MAX_MARKERS + 3 }, (_, i) => `old-${String(i).padStart(2, '0')}`);
    old.forEach((name, i) => {
      writeFileSync(join(cache, name), '');
      utimesSync(join(cache, name), 1_000_000 + i, 1_000_000 + i);
    });
    let runs = 0;
    checkedOnce(() => void runs++, root, cache);
    expect(runs).toBe(1);
    const left = readdirSync(cache);
    expect(left).toHaveLength(MAX_MARKERS);
    expect(existsSync(join(cache, dataDigest(root)!))).toBe(true);
    // The four oldest went: the newest MAX_MARKERS - 1 old ones stay beside the new pass.
    expect(left.filter((n) => n.startsWith('old-')).sort()).toEqual(old.slice(4));
    rmSync(root, { recursive: true, force: true });
  });

  it('always checks without a build id (a tree that was never built) and from the sources', () => {
    const { checkedOnce, dataDigest } = built();
    const root = fakePackage();
    rmSync(join(root, 'dist/build-id'));
    expect(dataDigest(root)).toBeUndefined();
    let runs = 0;
    checkedOnce(() => void runs++, root, cache);
    checkedOnce(() => void runs++, root, cache);
    expect(runs).toBe(2);
    writeFileSync(join(root, 'dist/build-id'), 'build-1');
    expect(sources.dataDigest(root)).toBeUndefined();
    rmSync(root, { recursive: true, force: true });
  });
});
