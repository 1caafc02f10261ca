import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../harness/report/atomic';
import { tempDir } from '../support/cli-fixtures';

describe('writeFileAtomic', () => {
  it('writes the whole content, creating the directory', () => {
    const dir = tempDir();
    const file = path.join(dir, 'reports', 'nested', 'junit.xml');
    writeFileAtomic(file, '<testsuites/>\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('<testsuites/>\n');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['junit.xml']);
  });

  it('leaves no file when the writer throws midway through a new report', () => {
    const dir = tempDir();
    const file = path.join(dir, 'results.json');
    expect(() =>
      writeFileAtomic(file, (write) => {
        write('{"clauses": [');
        write('{"id": "3.1.4.2.66/R1"},');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps the previous report whole when the writer throws midway', () => {
    const dir = tempDir();
    const file = path.join(dir, 'junit.xml');
    fs.writeFileSync(file, 'previous, complete\n');
    expect(() =>
      writeFileAtomic(file, (write) => {
        write('<testsuites>');
        throw new Error('interrupted');
      }),
    ).toThrow('interrupted');
    expect(fs.readFileSync(file, 'utf8')).toBe('previous, complete\n');
    expect(fs.readdirSync(dir)).toEqual(['junit.xml']);
  });

  it('replaces a report in one step', () => {
    const dir = tempDir();
    const file = path.join(dir, 'summary.md');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, (write) => {
      write('two, ');
      write('in parts');
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('two, in parts');
    expect(fs.readdirSync(dir)).toEqual(['summary.md']);
  });
});
