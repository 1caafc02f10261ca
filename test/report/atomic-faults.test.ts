// The writing of reports under faults: directories that cannot be made (without the spin of Node's
// recursive mkdir under /proc), paths checked before a run, and temp files of killed writers.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDir, writableProblem, writeFileAtomic } from '../../harness/report/atomic';
import { tempDir } from '../support/cli-fixtures';

describe('ensureDir and writableProblem', () => {
  it('makes missing levels, and fails at once where the system refuses (no spin under /proc)', () => {
    const dir = tempDir();
    ensureDir(path.join(dir, 'a', 'b', 'c'));
    expect(fs.statSync(path.join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(() => ensureDir('/proc/nope/deeper')).toThrow(/ENOENT/);
  });

  it.each([
    ['/proc/nope/x.xml', 'cannot create its directory /proc/nope (ENOENT)'],
    ['DIR', 'it is a directory; name a file'],
    ['FILE/x.json', 'a part of its path is a file, not a directory (ENOTDIR)'],
    ['new/sub/ok.json', undefined],
  ])('%s: %s', (given, problem) => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'DIR'));
    fs.writeFileSync(path.join(dir, 'FILE'), '');
    const file = given.startsWith('/') ? given : path.join(dir, given);
    expect(writableProblem(file)).toBe(problem);
    // The probe leaves nothing behind.
    if (!problem) expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('writeFileAtomic under /proc fails with the system error instead of spinning', () => {
    expect(() => writeFileAtomic('/proc/nope/x.xml', 'x')).toThrow(/ENOENT/);
  });
});

describe('temp files of writers killed halfway', () => {
  it('are removed by the next write of the same report, unless their writer lives', () => {
    const dir = tempDir();
    const file = path.join(dir, 'results.json');
    // A pid that is certainly gone: a child that has exited.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const orphan = path.join(dir, `.results.json.${gone}.0badf00d.tmp`);
    const live = path.join(dir, `.results.json.${process.ppid}.0badf00d.tmp`);
    const other = path.join(dir, `.junit.xml.${gone}.0badf00d.tmp`);
    for (const f of [orphan, live, other]) fs.writeFileSync(f, '{"half');
    writeFileAtomic(file, '{}\n');
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(live), path.basename(other), 'results.json'].sort());
  });
});
