// A run checks the data its suites read (every sequence file, through the catalogue's clause names)
// before Jest starts, so that a broken file refuses the run (exit 2) naming file and place. That check
// is the same function of the same bytes every time: one build checking one set of files always gets
// the same answer. So a check that passed is remembered under a digest of what decides it (the build's
// id, and the bytes and names of every data and schema file), and a run that finds the digest skips it:
// about a fifth of a one-clause run's CPU, on the path before Jest starts. A changed, added or removed
// file, or a new build, makes a new digest and the check runs again; a check that failed is never
// remembered. Only the build records passes (the sources have no build id of their own).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../cmrp/package-info';

/** Written by `npm run build`: a new random id for every build. */
export const BUILD_ID_FILE = join('dist', 'build-id');

/** The directories and files (under the package root) whose bytes the check reads. */
const INPUTS = ['vectors/catalogue', 'vectors/sequences', 'vectors', 'docs'];

function filesOf(dir: string, recurse: boolean): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => (e.isDirectory() ? (recurse ? filesOf(join(dir, e.name), true) : []) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
    .sort();
}

/** The digest of the build and the data, or undefined where a pass cannot be remembered. */
export function dataDigest(root = packageRoot()): string | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  let buildId: string;
  try {
    buildId = readFileSync(join(root, BUILD_ID_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(`build ${buildId}\n`);
  for (const input of INPUTS) {
    // vectors/ and docs/ hold the schemas (their own files only); the catalogue and sequences, everything.
    const recurse = input !== 'vectors' && input !== 'docs';
    for (const file of filesOf(join(root, input), recurse)) {
      if (!recurse && !file.endsWith('.schema.json')) continue;
      const bytes = readFileSync(file);
      hash.update(`${file.slice(root.length)} ${bytes.length}\n`).update(bytes);
    }
  }
  return hash.digest('hex');
}

function cacheDir(): string {
  let user: string;
  try {
    user = String(userInfo().uid);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `cmrp-notify-conformance-${user}`, 'checked');
}

/**
 * The most passes remembered: one marker is written per build (and per change of the data), so without
 * a bound they pile up for as long as the machine lives. The oldest go first; one that is gone only
 * costs its build one more check.
 */
export const MAX_MARKERS = 32;

/** Removes all but the `keep` newest markers in `cache`. */
function prune(cache: string, keep: number): void {
  const names = readdirSync(cache);
  if (names.length <= keep) return;
  const byAge = names
    .map((name) => {
      try {
        return { name, at: statSync(join(cache, name)).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((m): m is { name: string; at: number } => m !== undefined)
    .sort((a, b) => b.at - a.at);
  for (const old of byAge.slice(keep)) rmSync(join(cache, old.name), { force: true });
}

/** Runs `check` (which throws on a broken file) unless a check of the same build and bytes passed before. */
export function checkedOnce(check: () => void, root = packageRoot(), cache = cacheDir()): void {
  const digest = dataDigest(root);
  const marker = digest && join(cache, digest);
  if (marker && existsSync(marker)) return;
  check();
  if (!marker) return;
  try {
    mkdirSync(cache, { recursive: true });
    writeFileSync(marker, '');
    prune(cache, MAX_MARKERS);
  } catch {
    // Nowhere to remember it: the next run checks again.
  }
}
