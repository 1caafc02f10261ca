// The floor plan, checked: the top-level packages depend on each other only downwards
// (cmrp <- wire <- reference <- harness <- suites, tools beside), no module imports itself back through
// a chain (no import cycle), and no folder imports a folder that imports it back. README.md of each
// package says the same in words; this test is what keeps it true.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PACKAGES = ['cmrp', 'wire', 'reference', 'harness', 'suites', 'tools'] as const;
type Package = (typeof PACKAGES)[number];

/** What each top-level package may import (besides itself and node_modules). */
const MAY_IMPORT: Record<Package, readonly Package[]> = {
  cmrp: [],
  wire: ['cmrp'],
  reference: ['cmrp', 'wire'],
  harness: ['cmrp', 'wire', 'reference'],
  suites: ['cmrp', 'harness'],
  tools: ['cmrp', 'wire', 'reference', 'harness'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.ts$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Relative import specifiers of a file: import/export ... from, import(), require(). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)(['"])(\.{1,2}\/[^'"]*)\1/gm)) {
    const base = path.resolve(path.dirname(file), m[2]);
    const target = [base, `${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!target) throw new Error(`${path.relative(ROOT, file)}: import '${m[2]}' resolves to no file`);
    found.push(target);
  }
  return found;
}

const files = PACKAGES.flatMap((p) => (fs.existsSync(path.join(ROOT, p)) ? sourceFiles(path.join(ROOT, p)) : []));
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(ROOT, f);
const packageOf = (f: string) => rel(f).split(path.sep)[0] as Package;

test('the layout has the packages of the floor plan', () => {
  for (const p of ['cmrp', 'wire', 'reference', 'harness', 'suites']) expect(fs.existsSync(path.join(ROOT, p))).toBe(true);
  expect(files.length).toBeGreaterThan(100);
});

test('each top-level package imports only the packages below it', () => {
  const offending: string[] = [];
  for (const [file, targets] of graph) {
    for (const t of targets) {
      const from = packageOf(file);
      const to = packageOf(t);
      if (from !== to && !MAY_IMPORT[from].includes(to)) offending.push(`${rel(file)} -> ${rel(t)}`);
    }
  }
  expect(offending).toEqual([]);
});

test('no import cycle between modules', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' -> '));
      else if (!state.has(t) && graph.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});

test('no folder imports a folder that imports it back', () => {
  const edges = new Set<string>();
  for (const [file, targets] of graph) {
    for (const t of targets) {
      const a = rel(path.dirname(file));
      const b = rel(path.dirname(t));
      if (a !== b) edges.add(`${a} -> ${b}`);
    }
  }
  const twoWay = [...edges].filter((e) => {
    const [a, b] = e.split(' -> ');
    return a < b && edges.has(`${b} -> ${a}`);
  });
  expect(twoWay).toEqual([]);
});
