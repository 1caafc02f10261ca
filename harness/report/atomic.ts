// Reports are read by CI right after the run, sometimes while an interrupted run is being killed: a
// reader must see either the previous file or the whole new one. So we write a temp file in the same
// directory (rename is atomic only within one file system), flush it, then rename it over the target.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Content as a whole string, or produced piecewise by a function that may throw halfway. */
export type Content = string | ((write: (chunk: string) => void) => void);

/**
 * Creates `dir` and its missing parents. Not fs.mkdirSync(..., { recursive: true }): under /proc (and
 * other pseudo file systems answering ENOENT to every mkdir) Node's recursive mkdir retries forever at
 * 100 % CPU. Here each level is made once, from the nearest existing ancestor down, and any error ends it.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    try {
      if (!fs.statSync(at).isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at });
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = path.dirname(at);
      if (parent === at) throw err;
      missing.push(at);
      at = parent;
    }
  }
  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level);
    } catch (err) {
      // Another writer (a parallel shard) may have made it in between.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(level).isDirectory()) throw err;
    }
  }
}

function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Checks, before a run, that `file` can later be written by writeFileAtomic: its directory exists or can
 * be made, a file can be created there, and `file` itself is not a directory. Returns the problem in
 * words (with the system's code), or undefined when the file can be written.
 */
export function writableProblem(file: string): string | undefined {
  const resolved = path.resolve(file);
  try {
    if (fs.statSync(resolved).isDirectory()) return 'it is a directory; name a file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return 'a part of its path is a file, not a directory (ENOTDIR)';
    if (code !== 'ENOENT') return `cannot use it (${code ?? (err as Error).message})`;
  }
  const dir = path.dirname(resolved);
  try {
    ensureDir(dir);
  } catch (err) {
    return `cannot create its directory ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  const probe = tempNameFor(resolved);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
  } catch (err) {
    return `cannot write in ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  } finally {
    fs.rmSync(probe, { force: true });
  }
  return undefined;
}

/**
 * Removes the temp files of earlier writes of `file` whose writer is gone (killed with -9 halfway): they
 * are never mistaken for reports, but would pile up in a CI workspace that persists.
 */
function removeOrphans(file: string): void {
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeFileAtomic(file: string, content: Content): void {
  const dir = path.dirname(path.resolve(file));
  ensureDir(dir);
  removeOrphans(path.resolve(file));
  const temp = tempNameFor(path.resolve(file));
  const fd = fs.openSync(temp, 'wx');
  let renamed = false;
  try {
    try {
      const write = (chunk: string) => {
        fs.writeSync(fd, chunk);
      };
      if (typeof content === 'string') write(content);
      else content(write);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    renamed = true;
  } finally {
    if (!renamed) fs.rmSync(temp, { force: true });
  }
}
