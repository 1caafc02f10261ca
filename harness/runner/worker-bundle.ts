// The compiled modules a Jest worker of a run loads, in one file made by `npm run build`
// (worker-bundle-build.ts), and the loader that runs them. Through Node's own loader each of the ~190
// modules costs a resolution (stats, package.json lookups), a read and a compile of its own; from one
// file it is one read and one compile. The code is the same build output, copied byte for byte: the
// bundle is used only while it is exactly that output (fresh), otherwise the worker loads the files.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';

/** A module of the bundle: its compiled body, wrapped as Node wraps a CommonJS file. */
export type ModuleBody = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/** dist/harness/runner/worker-modules.json: what the bundle was made from, to tell whether it is fresh. */
export interface BundleManifest {
  format: 1;
  /** dist/build-id of the build that made the bundle. */
  buildId: string;
  /** The bundle file's size in bytes (a truncated copy is not used). */
  bundleSize: number;
  /** Each bundled module (path under dist/, "/"-separated) and its size in bytes when bundled. */
  modules: Record<string, number>;
  /** The line of the bundle that opens each module (its file's line N is the bundle's start + N). */
  startLines: Record<string, number>;
}

export const BUNDLE_FILE = 'worker-modules.js';
export const MANIFEST_FILE = 'worker-modules.json';
/** The module a worker starts from: Jest's test environment of a run. */
export const BUNDLE_ENTRY = 'harness/runner/worker-environment.js';

/** Where the bundle lives, under dist/ (inside dist/harness/, so the package's files carry it). */
export function bundleDir(distDir: string): string {
  return join(distDir, 'harness', 'runner');
}

/** The path under dist/ that a relative request from module `from` names, among the bundled ones. */
export function resolveBundled(modules: ReadonlySet<string>, from: string, request: string): string | undefined {
  if (!request.startsWith('./') && !request.startsWith('../')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), request));
  for (const candidate of [base, `${base}.js`, `${base}/index.js`]) if (modules.has(candidate)) return candidate;
  return undefined;
}

function numbers(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && Object.values(value).every((n) => typeof n === 'number');
}

function isManifest(value: unknown): value is BundleManifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const keys = Object.keys(m).sort().join(',');
  return (
    keys === 'buildId,bundleSize,format,modules,startLines' &&
    m.format === 1 &&
    typeof m.buildId === 'string' &&
    typeof m.bundleSize === 'number' &&
    numbers(m.modules) &&
    numbers(m.startLines)
  );
}

/**
 * Why the bundle under `distDir` is not exactly the build output it was made from, or undefined when it
 * is: made by the current build (dist/build-id), whole, and every bundled file still the size it had and
 * not written after the build ended (a `tsc` alone after `npm run build` rewrites them).
 */
export function staleReason(distDir: string): string | undefined {
  const dir = bundleDir(distDir);
  let manifest: unknown;
  let buildId: string;
  let builtAt: number;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    const idPath = join(distDir, 'build-id');
    buildId = readFileSync(idPath, 'utf8');
    builtAt = statSync(idPath).mtimeMs;
  } catch (error) {
    return `no bundle: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!isManifest(manifest)) return `${MANIFEST_FILE} is not a bundle manifest`;
  if (manifest.buildId !== buildId) return 'the bundle was made by another build';
  try {
    if (statSync(join(dir, BUNDLE_FILE)).size !== manifest.bundleSize) return `${BUNDLE_FILE} is not the size it was made with`;
    for (const [id, size] of Object.entries(manifest.modules)) {
      const stat = statSync(join(distDir, id));
      if (stat.size !== size || stat.mtimeMs > builtAt) return `${id} changed after the bundle was made`;
    }
  } catch (error) {
    return `a bundled file is gone: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/**
 * Runs the bundle's modules as Node would run the files: one instance per module, each with its own
 * path as __filename and __dirname, relative requests between bundled modules served from the bundle,
 * everything else (packages, Node's modules, a file outside the bundle) through Node's require from
 * the module's own directory.
 */
export function instantiate(distDir: string, bodies: Readonly<Record<string, ModuleBody>>): (id: string) => unknown {
  const modules = new Set(Object.keys(bodies));
  const cache = new Map<string, { exports: unknown }>();
  const nodeRequires = new Map<string, NodeJS.Require>();
  const nodeRequire = (filename: string): NodeJS.Require => {
    const dir = dirname(filename);
    let r = nodeRequires.get(dir);
    if (!r) nodeRequires.set(dir, (r = createRequire(filename)));
    return r;
  };
  const load = (id: string): unknown => {
    const cached = cache.get(id);
    if (cached) return cached.exports;
    const body = bodies[id];
    if (!body) throw new Error(`${id} is not in the worker bundle`);
    const module = { exports: {} as unknown, id, filename: join(distDir, id), loaded: false };
    cache.set(id, module);
    const outside = nodeRequire(module.filename);
    const local = ((request: string) => {
      const inside = resolveBundled(modules, id, request);
      return inside === undefined ? outside(request) : load(inside);
    }) as NodeJS.Require;
    local.resolve = ((request: string) => {
      const inside = resolveBundled(modules, id, request);
      return inside === undefined ? outside.resolve(request) : join(distDir, inside);
    }) as NodeJS.RequireResolve;
    local.cache = outside.cache;
    local.main = outside.main;
    local.extensions = outside.extensions;
    try {
      body.call(module.exports, module.exports, local, module, module.filename, dirname(module.filename));
    } catch (error) {
      // As Node does: a module that threw is not left half-made for the next require.
      cache.delete(id);
      throw error;
    }
    module.loaded = true;
    return module.exports;
  };
  return load;
}

/**
 * The exports of `id` (a path under dist/) from the bundle, or undefined when there is no fresh bundle
 * (the caller then requires the file). Decided once: a process runs either all bundled modules from the
 * bundle or none, so no module ever has two instances.
 */
export function loadBundled(distDir: string, id: string): unknown {
  if (staleReason(distDir) !== undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bodies = require(join(bundleDir(distDir), BUNDLE_FILE)) as Record<string, ModuleBody>;
  if (!Object.prototype.hasOwnProperty.call(bodies, id)) return undefined;
  return instantiate(distDir, bodies)(id);
}

/**
 * A mapper of the texts workers wrote (a harness error's stack): each position in the bundle,
 * `.../worker-modules.js:LINE:COLUMN`, becomes the compiled file it was copied from,
 * `dist/<module>:LINE:COLUMN`, as a worker that loaded the files would have written it. Each file follows
 * its module's opening line byte for byte (the manifest says where each opens), so a line maps by
 * subtraction. The manifest is read once, when a text first names the bundle; without it (or with one that
 * cannot be read) texts are left as they are.
 */
export function unbundler(distDir: string): (text: string) => string {
  const dir = bundleDir(distDir);
  const bundlePath = join(dir, BUNDLE_FILE);
  let starts: [string, number][] | undefined;
  return (text) => {
    if (!text.includes(BUNDLE_FILE)) return text;
    starts ??= moduleStarts(dir);
    if (!starts.length) return text;
    return text.replace(/(\(?)(\S*worker-modules\.js):(\d+):(\d+)/g, (whole, paren: string, file: string, line: string, column: string) => {
      if (file !== bundlePath) return whole;
      const n = Number(line);
      // The last module to open before the line (they are in the bundle's order).
      let at: [string, number] | undefined;
      for (const start of starts!) if (start[1] < n) at = start;
      return at ? `${paren}${join(distDir, at[0])}:${n - at[1]}:${column}` : whole;
    });
  };
}

/** Each bundled module with the bundle line that opens it, in the bundle's order; none if the manifest is unreadable. */
function moduleStarts(dir: string): [string, number][] {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as unknown;
    return isManifest(manifest) ? Object.entries(manifest.startLines).sort((a, b) => a[1] - b[1]) : [];
  } catch {
    return [];
  }
}
