// Makes the worker bundle (worker-bundle.ts) from the build output, as the last step of `npm run build`:
// the compiled modules a Jest worker of a run can load, found by following their literal relative
// requires from the worker's entry, copied unchanged into one CommonJS file, each wrapped in a function.
// No bundler: the build output is already CommonJS, and only our own modules go in (packages stay in
// node_modules, loaded by Node).
import { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { BUNDLE_ENTRY, BUNDLE_FILE, MANIFEST_FILE, bundleDir, type BundleManifest } from './worker-bundle';

/**
 * Modules that require a path they compute, and why that is safe outside the bundle: what they load
 * requires no module of ours, so Node loading it makes no second instance of a bundled module.
 */
const COMPUTED_REQUIRES: Readonly<Record<string, { dir: string; why: string }>> = {
  'harness/schema/validator.js': { dir: 'schemas', why: 'the precompiled schemas, which require only ajv' },
};

const LITERAL = /\brequire\((["'])(\.{1,2}\/[^"']*)\1\)/g;
const COMPUTED = /\brequire\((?!["'])/g;
const RELATIVE_ANYWHERE = /\brequire\(["']\.{1,2}\//;

export class BundleBuildError extends Error {}

function toId(distDir: string, file: string): string {
  return relative(distDir, file).split(sep).join('/');
}

/** The file under dist/ a literal relative request names, as a module id, or undefined (not one of ours: JSON, outside dist). */
function resolveFile(distDir: string, from: string, request: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), request));
  if (base.startsWith('../')) return undefined;
  for (const candidate of [base, `${base}.js`, `${base}/index.js`]) {
    if (candidate.endsWith('.js') && existsSync(join(distDir, candidate)) && statSync(join(distDir, candidate)).isFile()) return candidate;
  }
  return undefined;
}

/** The sources of every module reachable from `entry` by literal relative requires, in load order. */
export function closure(distDir: string, entry: string = BUNDLE_ENTRY): Map<string, string> {
  const sources = new Map<string, string>();
  const pending = [entry];
  while (pending.length) {
    const id = pending.shift() as string;
    if (sources.has(id)) continue;
    const path = join(distDir, id);
    if (!existsSync(path)) throw new BundleBuildError(`${path}: not built (run tsc first)`);
    const source = readFileSync(path, 'utf8');
    sources.set(id, source);
    const computed = [...source.matchAll(COMPUTED)].length;
    if (computed) {
      const allowed = COMPUTED_REQUIRES[id];
      if (!allowed) throw new BundleBuildError(`${path}: requires a computed path, which the worker bundle cannot follow`);
      checkStandalone(distDir, allowed.dir);
    }
    for (const match of source.matchAll(LITERAL)) {
      const target = resolveFile(distDir, id, match[2] as string);
      if (target && !sources.has(target)) pending.push(target);
    }
  }
  return sources;
}

/** Every file under dist/<dir> requires no relative path (so loading it through Node splits nothing). */
function checkStandalone(distDir: string, dir: string): void {
  const root = join(distDir, dir);
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    if (!name.endsWith('.js')) continue;
    if (RELATIVE_ANYWHERE.test(readFileSync(join(root, name), 'utf8'))) {
      throw new BundleBuildError(`${join(root, name)}: requires a module of ours, so it cannot stay outside the worker bundle`);
    }
  }
}

/** A compiled module's body as the bundle holds it: the same code, less its source-map comment. */
function body(source: string): string {
  return source.replace(/^#!.*/, '').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
}

/** Writes dist/harness/runner/worker-modules.{js,json} for the build in `distDir` (after its build-id). */
export function buildBundle(distDir: string): { modules: number; bytes: number } {
  const idPath = join(distDir, 'build-id');
  if (!existsSync(idPath)) throw new BundleBuildError(`${idPath}: missing (the bundle is made after the build id)`);
  const sources = closure(distDir);
  const parts = ['"use strict";\n// Made by `npm run build` (harness/runner/worker-bundle-build.ts) from the files beside it; never edit.\nmodule.exports = {\n'];
  const startLines: Record<string, number> = {};
  let lines = 3;
  for (const [id, source] of sources) {
    const part = `${JSON.stringify(id)}: function (exports, require, module, __filename, __dirname) {\n${body(source)}\n},\n`;
    startLines[id] = lines + 1;
    lines += part.split('\n').length - 1;
    parts.push(part);
  }
  parts.push('};\n');
  const text = parts.join('');
  const manifest: BundleManifest = {
    format: 1,
    buildId: readFileSync(idPath, 'utf8'),
    bundleSize: Buffer.byteLength(text),
    modules: Object.fromEntries([...sources.keys()].map((id) => [id, statSync(join(distDir, id)).size])),
    startLines,
  };
  const dir = bundleDir(distDir);
  // Bundle first, manifest last, each whole: a build stopped midway leaves no manifest that fits.
  const write = (name: string, content: string) => {
    writeFileSync(join(dir, `${name}.tmp`), content);
    renameSync(join(dir, `${name}.tmp`), join(dir, name));
  };
  write(BUNDLE_FILE, text);
  write(MANIFEST_FILE, `${JSON.stringify(manifest)}\n`);
  return { modules: sources.size, bytes: manifest.bundleSize };
}

if (require.main === module) {
  try {
    const distDir = join(__dirname, '..', '..');
    const { modules, bytes } = buildBundle(distDir);
    process.stdout.write(`worker bundle: ${modules} modules, ${Math.round(bytes / 1024)} KiB (${toId(distDir, join(bundleDir(distDir), BUNDLE_FILE))})\n`);
  } catch (error) {
    process.stderr.write(`worker bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
