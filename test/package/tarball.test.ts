// The package a pipeline installs: `npm pack`, then `npm install <tarball>` into an empty folder outside
// this repository (runtime dependencies only), then the commands a pipeline uses, from there: the CI
// snippets and `serve` through npx, as a pipeline calls them; the other commands through the bin link npm
// made (node_modules/.bin, what npx runs), since npx's own start (about 0.6 s of CPU a call) proves
// nothing more once the snippets have found the command through it. Bounded: every step has a timeout,
// the install prefers npm's cache.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scaled } from '../support/time-scale';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const ROOT = resolve(__dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const BIN = process.platform === 'win32' ? 'cmrp-notify-conformance.cmd' : 'cmrp-notify-conformance';

/** The environment of a user's shell: nothing npm set for this repository's own scripts. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) continue;
    if (k === 'CMRP_RUN_CONFIG' || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return env;
}

describe('the npm package, installed from its tarball into an empty folder', () => {
  let work: string;
  let app: string;
  let tarball: string;
  let files: string[];

  const cli = (args: string[], timeout = 240_000): SpawnSyncReturns<string> =>
    spawnSync(join(app, 'node_modules', '.bin', BIN), args, { cwd: app, encoding: 'utf8', timeout, env: cleanEnv() });

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/harness/cli/main.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does it through pretest)');
    work = mkdtempSync(join(tmpdir(), 'cmrp-pack-'));
    app = join(work, 'app');
    // The build is what pretest just made; packing must not rebuild it (prepare) on a shared machine.
    const pack = spawnSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', timeout: scaled(120_000), env: cleanEnv() });
    expect(pack.status).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, info.filename);
    files = info.files.map((f) => f.path);
    spawnSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pipeline', version: '1.0.0', private: true }));
    const install = spawnSync(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', tarball], { cwd: app, encoding: 'utf8', timeout: scaled(420_000), env: cleanEnv() });
    if (install.status !== 0) throw new Error(`npm install of the tarball failed (${install.status ?? install.signal}): ${install.stderr.slice(-2000)}`);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the CLI, its data and schemas, the worker bundle, and nothing of the project’s own tests and tools', () => {
    // The worker bundle and its manifest too (harness/runner/worker-bundle.ts): without them a run's Jest
    // workers load dist/ module by module.
    const bundle = ['dist/harness/runner/worker-modules.js', 'dist/harness/runner/worker-modules.json', 'dist/harness/runner/worker-environment-bundled.js'];
    for (const needed of ['bin/cmrp-notify-conformance.js', 'dist/harness/cli/main.js', 'vectors/catalogue.schema.json', 'docs/results.schema.json', 'docs/cli.md', 'README.md', 'package.json', ...bundle]) {
      expect(files).toContain(needed);
    }
    expect(files.some((f) => f.startsWith('vectors/catalogue/') && f.endsWith('.json'))).toBe(true);
    expect(files.some((f) => f.startsWith('vectors/sequences/'))).toBe(true);
    for (const f of files) expect(f).not.toMatch(/^(test|tools|reports|node_modules|\.ci|examples)\/|\.test\.ts$|\.map$/);
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules/cmrp-notify-conformance/package.json'), 'utf8')) as { private?: boolean };
    expect(pkg.private).toBeUndefined();
    // Only runtime dependencies came along.
    const installed = readdirSync(join(app, 'node_modules'));
    for (const dev of ['eslint', 'fast-xml-parser', 'typescript-eslint']) expect(installed).not.toContain(dev);
  });

  it('answers --version, --help, list and mutants', () => {
    const version = cli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(cli(['--help']).status).toBe(0);
    const list = cli(['list', '--section', '3.1.4.2.58']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^\d+ clauses$/m);
    const mutants = cli(['mutants']);
    expect(mutants.status).toBe(0);
    expect(mutants.stdout).toContain('merge-filters');
  }, 180_000);

  it('serves the reference over the adapter protocol on the loopback', async () => {
    const child = spawn(NPX, ['--no-install', 'cmrp-notify-conformance', 'serve', '--listen', 'tcp:127.0.0.1:0'], { cwd: app, env: cleanEnv(), detached: true });
    try {
      const line = await new Promise<string>((done, fail) => {
        let out = '';
        const timer = setTimeout(() => fail(new Error(`serve printed no address within 60 s: ${out}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /^listening on tcp:127\.0\.0\.1:\d+$/m.exec(out);
          if (m) {
            clearTimeout(timer);
            done(m[0]);
          }
        });
        child.on('exit', (code) => fail(new Error(`serve exited (${code}): ${out}`)));
      });
      expect(line).toMatch(/^listening on tcp:127\.0\.0\.1:[1-9]\d*$/);
    } finally {
      // npx runs the bin in a child of its own: end the whole group we started.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  }, 90_000);

  // The pipeline snippets of examples/ci, run as their CI would: every command in order (a step marked
  // `if: always()` runs even after a failure), with their variables. Two changes only, both by the
  // environment: CMRP_PACKAGE names the tarball (the snippets install "${CMRP_PACKAGE:-...}"), and the
  // run is cut to one section and a small property budget (--runs) to keep the test bounded.
  const ONE_SECTION = ' --section 3.1.4.2.58 --runs 4';

  interface Step {
    command: string;
    always: boolean;
  }

  function snippet(file: string): { steps: Step[]; env: Record<string, string> } {
    const doc = yaml.load(readFileSync(join(ROOT, 'examples/ci', file), 'utf8')) as Record<string, unknown>;
    if (file === 'github-actions.yml') {
      const [job] = Object.values(doc.jobs as Record<string, { env?: Record<string, string>; steps: { run?: string; uses?: string; if?: string }[] }>);
      const steps = job.steps.filter((s) => s.run !== undefined).map((s) => ({ command: s.run!, always: s.if === 'always()' }));
      return { steps, env: job.env ?? {} };
    }
    const [job] = Object.values(doc).filter((v): v is { script: string[]; variables?: Record<string, string> } => typeof v === 'object' && v !== null && 'script' in v);
    return { steps: job.script.map((command) => ({ command, always: false })), env: job.variables ?? {} };
  }

  it.each(['github-actions.yml', 'gitlab-ci.yml'])('the %s snippet runs', (file) => {
    const { steps, env } = snippet(file);
    expect(steps.some((s) => /npx cmrp-notify-conformance run /.test(s.command))).toBe(true);
    const summary = join(work, `${file}.summary.md`);
    writeFileSync(summary, '');
    const ciEnv = { ...cleanEnv(), ...env, CMRP_PACKAGE: tarball, ...(file.startsWith('github') ? { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } : { GITLAB_CI: 'true' }) };
    rmSync(join(app, 'reports'), { recursive: true, force: true });
    let failed = false;
    for (const step of steps) {
      if (failed && !step.always) continue;
      const command = step.command.replace(/(npx cmrp-notify-conformance run [^\n]*)/g, `$1${ONE_SECTION}`);
      const r = spawnSync('bash', ['-eo', 'pipefail', '-c', command], { cwd: app, encoding: 'utf8', timeout: scaled(420_000), env: ciEnv });
      expect({ command, status: r.status, stderr: r.status === 0 ? '' : r.stderr.slice(-1500) }).toEqual({ command, status: 0, stderr: '' });
      failed ||= r.status !== 0;
    }
    expect(existsSync(join(app, 'reports/junit.xml'))).toBe(true);
    expect(existsSync(join(app, 'reports/report.html'))).toBe(true);
    if (file.startsWith('github')) expect(readFileSync(summary, 'utf8')).toMatch(/^## MS-CMRP notification conformance: CONFORMANT/);
    expect(readFileSync(join(app, 'reports/summary.md'), 'utf8')).toMatch(/CONFORMANT/);
    cpSync(join(app, 'reports'), join(app, `ci-${file}`), { recursive: true });
  }, 600_000);

  // After the snippets: their conformant run is the "before" of compare and the shard of merge.
  it('runs a mutant: exit 1, a replay that reproduces; merge and compare read the results', () => {
    const pass = join(app, 'ci-gitlab-ci.yml');
    expect(existsSync(join(pass, 'results.json'))).toBe(true);
    const mutant = cli(['run', '--target', 'builtin:mutant=merge-filters', '--section', '3.1.4.2.58', '--seed', '1']);
    expect(mutant.status).toBe(1);
    const replays = readdirSync(join(app, 'reports/replays'));
    expect(replays.length).toBeGreaterThan(0);
    expect(mutant.stdout).toContain(`replays: reports/replays/${replays[0]}`);
    const replay = cli(['replay', `reports/replays/${replays[0]}`]);
    expect(replay.status).toBe(1);
    expect(replay.stdout).toMatch(/^reproduced: /m);

    // The JUnit of real runs, against Jenkins xUnit's schema (xmllint: Debian's libxml2-utils, which .ci/run installs).
    if (spawnSync('xmllint', ['--version']).status === 0) {
      for (const junit of [join(pass, 'junit.xml'), join(app, 'reports/junit.xml')]) {
        const lint = spawnSync('xmllint', ['--noout', '--schema', join(ROOT, 'test/report/junit-10.xsd'), junit], { encoding: 'utf8' });
        expect({ junit, status: lint.status, stderr: lint.stderr.trim() }).toEqual({ junit, status: 0, stderr: `${junit} validates` });
      }
    }

    const merged = cli(['merge', 'ci-gitlab-ci.yml/results.json', '--json', 'merged/results.json', '--junit', 'merged/junit.xml', '--markdown', 'merged/summary.md', '--html', 'merged/report.html']);
    expect(merged.status).toBe(0);
    expect(existsSync(join(app, 'merged/report.html'))).toBe(true);
    const compared = cli(['compare', 'ci-gitlab-ci.yml/results.json', 'reports/results.json']);
    expect(compared.status).toBe(1);
    expect(compared.stdout).toContain('### New failures');
  }, 600_000);
});
