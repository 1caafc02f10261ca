// The worker bundle runs the build's own modules as Node runs their files (one instance each, their own
// __filename and __dirname, packages through Node), holds every module the worker's entry can reach by a
// literal relative require, refuses a computed one it cannot follow, and is used only while it is exactly
// the current build's output: any other state loads the files.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { dirname, join, sep } from 'node:path';
import { requireBuild } from '../faults/support';
import { BundleBuildError, buildBundle, closure } from '../../harness/runner/worker-bundle-build';
import { BUNDLE_ENTRY, BUNDLE_FILE, MANIFEST_FILE, bundleDir, loadBundled, resolveBundled, staleReason, unbundler } from '../../harness/runner/worker-bundle';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function write(dist: string, id: string, text: string): void {
  mkdirSync(dirname(join(dist, id)), { recursive: true });
  writeFileSync(join(dist, id), text);
}

/** A small build output: the entry, a shared module, an index module, a lazy single-quoted require, a cycle. */
function fakeDist(): string {
  const dist = join(mkdtempSync(join(tmpdir(), 'cmrp-bundle-')), 'dist');
  roots.push(dirname(dist));
  write(dist, BUNDLE_ENTRY, [
    '"use strict";',
    'const shared = require("../shared");',
    'const other = require("./other.js");',
    'const lib = require("../lib");',
    'exports.where = { filename: __filename, dirname: __dirname };',
    'exports.sameShared = shared === other.shared;',
    'exports.count = () => shared.count;',
    "exports.lazy = () => require('../lazy').value;",
    'exports.lib = lib.name;',
    'exports.path = require("node:path").sep;',
    'exports.resolved = require.resolve("../shared");',
    'exports.strict = (function () { return this === undefined; })();',
    'exports.cycle = other.cycle;',
    '//# sourceMappingURL=worker-environment.js.map',
  ].join('\n'));
  write(dist, 'harness/shared.js', '"use strict";\nexports.count = (globalThis.__bundleCount = (globalThis.__bundleCount || 0) + 1);\n');
  write(dist, 'harness/runner/other.js', '"use strict";\nexports.shared = require("../shared");\nexports.cycle = require("./cycle-a").done;\n');
  write(dist, 'harness/runner/cycle-a.js', '"use strict";\nexports.done = false;\nconst b = require("./cycle-b");\nexports.done = b.sawA === false;\n');
  write(dist, 'harness/runner/cycle-b.js', '"use strict";\nexports.sawA = require("./cycle-a").done;\n');
  write(dist, 'harness/lib/index.js', '"use strict";\nexports.name = "lib";\n');
  write(dist, 'harness/lazy.js', '"use strict";\nexports.value = 42;\n');
  write(dist, 'harness/unused.js', '"use strict";\nthrow new Error("never loaded");\n');
  writeFileSync(join(dist, 'build-id'), 'build-1');
  // The build writes its files before the build id: keep them older, as a real build leaves them.
  const before = new Date(Date.now() - 60_000);
  for (const id of [BUNDLE_ENTRY, 'harness/shared.js', 'harness/runner/other.js', 'harness/runner/cycle-a.js', 'harness/runner/cycle-b.js', 'harness/lib/index.js', 'harness/lazy.js']) {
    utimesSync(join(dist, id), before, before);
  }
  return dist;
}

type Entry = {
  where: { filename: string; dirname: string };
  sameShared: boolean;
  count: () => number;
  lazy: () => number;
  lib: string;
  path: string;
  resolved: string;
  strict: boolean;
  cycle: boolean;
};

test('the bundle holds what the entry reaches by literal relative requires, and nothing else', () => {
  const dist = fakeDist();
  expect([...closure(dist).keys()].sort()).toEqual(
    [BUNDLE_ENTRY, 'harness/shared.js', 'harness/runner/other.js', 'harness/runner/cycle-a.js', 'harness/runner/cycle-b.js', 'harness/lib/index.js', 'harness/lazy.js'].sort(),
  );
});

test('bundled modules run as their files would: one instance each, their own paths, strict, packages through Node, cycles as Node has them', () => {
  const dist = fakeDist();
  buildBundle(dist);
  expect(staleReason(dist)).toBeUndefined();
  const before = (globalThis as { __bundleCount?: number }).__bundleCount ?? 0;
  const entry = loadBundled(dist, BUNDLE_ENTRY) as Entry;
  expect(entry.where).toEqual({ filename: join(dist, BUNDLE_ENTRY), dirname: join(dist, 'harness/runner') });
  expect(entry.sameShared).toBe(true);
  expect(entry.count()).toBe(before + 1);
  expect(entry.lazy()).toBe(42);
  expect(entry.lib).toBe('lib');
  expect(entry.path).toBe(sep);
  expect(entry.resolved).toBe(join(dist, 'harness/shared.js'));
  expect(entry.strict).toBe(true);
  // As in Node: cycle-b sees cycle-a's exports as they were when it was required, then cycle-a completes.
  expect(entry.cycle).toBe(true);
  const bundle = readFileSync(join(bundleDir(dist), BUNDLE_FILE), 'utf8');
  expect(bundle).not.toContain('sourceMappingURL');
  expect(bundle).not.toContain('never loaded');
});

test('a module that throws is not kept half-made: the next require runs it again', () => {
  const dist = fakeDist();
  write(dist, 'harness/runner/flaky.js', '"use strict";\nglobalThis.__flaky = (globalThis.__flaky || 0) + 1;\nif (globalThis.__flaky === 1) throw new Error("first time");\nexports.ok = true;\n');
  write(dist, BUNDLE_ENTRY, '"use strict";\nexports.get = () => require("./flaky").ok;\n');
  buildBundle(dist);
  const entry = loadBundled(dist, BUNDLE_ENTRY) as { get: () => boolean };
  expect(() => entry.get()).toThrow('first time');
  expect(entry.get()).toBe(true);
});

test("a stack from the bundle reads as the files' own: each position goes back to the module's file and line", () => {
  const dist = fakeDist();
  // Line 4 of its file throws; a line of the shared module looks like the opening of thrower's and must not
  // be taken for it (the manifest says where each module opens).
  write(dist, 'harness/runner/thrower.js', '"use strict";\n// line 2\nexports.boom = function boom() {\n  throw new Error("boom");\n};\n');
  write(dist, 'harness/shared.js', '"use strict";\nconst s = `\n"harness/runner/thrower.js": function (exports, require, module, __filename, __dirname) {\n`;\nexports.count = 1;\n');
  write(dist, BUNDLE_ENTRY, '"use strict";\nrequire("../shared");\nexports.run = () => require("./thrower").boom();\n');
  // A build id written after the files, as a build leaves it.
  writeFileSync(join(dist, 'build-id'), 'build-2');
  buildBundle(dist);
  const entry = loadBundled(dist, BUNDLE_ENTRY) as { run: () => void };
  let stack = '';
  try {
    entry.run();
  } catch (error) {
    stack = (error as Error).stack ?? '';
  }
  const bundlePath = join(bundleDir(dist), BUNDLE_FILE);
  expect(stack).toContain(`${bundlePath}:`);
  const unbundle = unbundler(dist);
  const mapped = unbundle(stack);
  expect(mapped).not.toContain(BUNDLE_FILE);
  expect(mapped).toMatch(new RegExp(`at (Object\\.)?boom \\(${join(dist, 'harness/runner/thrower.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+\\)`));
  expect(mapped).toContain(`${join(dist, BUNDLE_ENTRY)}:3:`);
  // Text without a bundle position, or another file's, stays as it is.
  expect(unbundle('no stack here')).toBe('no stack here');
  expect(unbundle('at x (/elsewhere/worker-modules.js:5:1)')).toBe('at x (/elsewhere/worker-modules.js:5:1)');
});

test('resolveBundled serves only relative requests that name a bundled module', () => {
  const modules = new Set(['harness/a.js', 'harness/b/index.js']);
  expect(resolveBundled(modules, 'harness/runner/x.js', '../a')).toBe('harness/a.js');
  expect(resolveBundled(modules, 'harness/runner/x.js', '../a.js')).toBe('harness/a.js');
  expect(resolveBundled(modules, 'harness/runner/x.js', '../b')).toBe('harness/b/index.js');
  expect(resolveBundled(modules, 'harness/runner/x.js', '../c')).toBeUndefined();
  expect(resolveBundled(modules, 'harness/runner/x.js', 'harness/a')).toBeUndefined();
});

describe('a bundle that is not exactly the current build output is not used', () => {
  const cases: [string, (dist: string) => void, RegExp][] = [
    ['no bundle made', (dist) => rmSync(join(bundleDir(dist), MANIFEST_FILE)), /no bundle/],
    ['a new build since', (dist) => writeFileSync(join(dist, 'build-id'), 'build-2'), /another build/],
    ['a module of another size', (dist) => writeFileSync(join(dist, 'harness/lazy.js'), '"use strict";\nexports.value = 4200;\n'), /harness\/lazy\.js changed/],
    [
      'a module of the same size written after the build (tsc alone)',
      (dist) => {
        const path = join(dist, 'harness/lazy.js');
        writeFileSync(path, readFileSync(path, 'utf8').replace('42', '43'));
      },
      /harness\/lazy\.js changed/,
    ],
    ['a module gone', (dist) => rmSync(join(dist, 'harness/lazy.js')), /gone/],
    ['a truncated bundle', (dist) => writeFileSync(join(bundleDir(dist), BUNDLE_FILE), 'module.exports = {'), /not the size/],
    [
      'a manifest with a key it does not know',
      (dist) => {
        const path = join(bundleDir(dist), MANIFEST_FILE);
        writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), extra: 1 }));
      },
      /not a bundle manifest/,
    ],
  ];
  test.each(cases)('%s', (_what, change, reason) => {
    const dist = fakeDist();
    buildBundle(dist);
    expect(staleReason(dist)).toBeUndefined();
    change(dist);
    expect(staleReason(dist)).toMatch(reason);
    expect(loadBundled(dist, BUNDLE_ENTRY)).toBeUndefined();
  });
});

test('a package as npm installs it (every file the same old time, as npm pack sets it) keeps its bundle fresh', () => {
  const dist = fakeDist();
  buildBundle(dist);
  const packed = new Date('1985-10-26T08:15:00Z');
  const all = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of all(dist)) utimesSync(file, packed, packed);
  expect(staleReason(dist)).toBeUndefined();
});

describe('the build refuses what it cannot bundle soundly, naming the file', () => {
  test('a computed require in a reachable module', () => {
    const dist = fakeDist();
    write(dist, 'harness/lazy.js', '"use strict";\nconst name = "./shared";\nexports.value = require(name);\n');
    expect(() => buildBundle(dist)).toThrow(BundleBuildError);
    expect(() => buildBundle(dist)).toThrow(/harness\/lazy\.js: requires a computed path/);
  });

  test('an entry not built, or a build without its id', () => {
    const dist = fakeDist();
    rmSync(join(dist, 'build-id'));
    expect(() => buildBundle(dist)).toThrow(/build-id: missing/);
    writeFileSync(join(dist, 'build-id'), 'build-1');
    rmSync(join(dist, BUNDLE_ENTRY));
    expect(() => buildBundle(dist)).toThrow(/worker-environment\.js: not built/);
  });
});

describe('the build output', () => {
  const dist = join(__dirname, '..', '..', 'dist');

  test('`npm run build` leaves a fresh bundle holding the worker environment and the whole suite harness', () => {
    requireBuild();
    expect(staleReason(dist)).toBeUndefined();
    const manifest = JSON.parse(readFileSync(join(bundleDir(dist), MANIFEST_FILE), 'utf8')) as { modules: Record<string, number> };
    for (const id of [BUNDLE_ENTRY, 'harness/suite/suite-environment.js', 'harness/suite/entry.js', 'harness/suite/sequences.js', 'harness/suite/properties.js']) {
      expect(manifest.modules[id]).toBe(statSync(join(dist, id)).size);
    }
    // The suite files and the runner Jest loads by path stay out: Jest loads them itself.
    expect(Object.keys(manifest.modules).filter((id) => id.startsWith('suites/') || id === 'harness/runner/suite-runner.js')).toEqual([]);
  });

  // That the package carries the bundle and its manifest is checked on the packed tarball itself, by
  // test/package/tarball.test.ts (which packs anyway: a second `npm pack --dry-run` here cost 2 s of CPU).

  /** What a process that loads the run's test environment as Jest does reads of our files, and the class it gets. */
  function probe(asWorker: boolean): { name: string; read: string[] } {
    const worker = asWorker ? "process.argv[1] = '/x/node_modules/jest-worker/build/workers/processChild.js'; process.send = () => true;" : '';
    const code = `${worker}
      const s = require(${JSON.stringify(join(dist, 'harness/runner/worker-environment-bundled.js'))});
      const read = Object.keys(require.cache).filter((f) => /[\\/]dist[\\/](harness|cmrp|wire|reference)[\\/]/.test(f)).map((f) => f.split(/[\\/]dist[\\/]/)[1]);
      console.log(JSON.stringify({ name: s.default.name, read }));`;
    return JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' })) as { name: string; read: string[] };
  }

  test("a Jest worker gets the bundle's worker environment, without reading the bundled files", () => {
    requireBuild();
    const out = probe(true);
    expect(out.name).toBe('WorkerEnvironment');
    expect(out.read.sort()).toEqual([
      'harness/runner/jest-worker-child.js',
      // Loaded before the bundle, so that the bundle's code compiles under the worker's tiering.
      'harness/runner/tiering.js',
      'harness/runner/worker-bundle.js',
      'harness/runner/worker-environment-bundled.js',
      'harness/runner/worker-modules.js',
    ]);
  });

  test('a run in band (the CLI\'s own process, the harness already loaded from its files) gets the files', () => {
    requireBuild();
    const out = probe(false);
    expect(out.name).toBe('WorkerEnvironment');
    expect(out.read).toContain('harness/runner/worker-environment.js');
    expect(out.read).toContain('harness/suite/suite-environment.js');
    expect(out.read).not.toContain('harness/runner/worker-modules.js');
  });

});
