import * as fs from 'node:fs';
import * as path from 'node:path';
import { CatalogueError, loadCatalogue, readCatalogue } from '../../harness/catalogue/load';
import { compareSections } from '../../harness/catalogue/order';
import { selectClauses } from '../../harness/catalogue/select';
import { clause, FIXTURE, tempDir, writeCatalogue } from '../support/cli-fixtures';

describe('loadCatalogue', () => {
  it('loads the real catalogue, sorted by section then R number', () => {
    const clauses = loadCatalogue();
    expect(clauses.length).toBeGreaterThan(0);
    for (let i = 1; i < clauses.length; i++) {
      const [a, b] = [clauses[i - 1], clauses[i]];
      const order = compareSections(a.section, b.section) || Number(a.id.split('/R')[1]) - Number(b.id.split('/R')[1]);
      expect(order).toBeLessThan(0);
    }
  });

  it('sorts numerically on dotted sections and R numbers', () => {
    const ids = loadCatalogue(writeCatalogue(tempDir())).map((c) => c.id);
    expect(ids).toEqual(['3.1.4.1.66/R1', '3.1.4.2.6/R1', '3.1.4.2.6/R2', '3.1.4.2.66/R1', '3.1.4.2.66/R2', '3.1.4.2.66/R3', '3.1.4.2.66/R4', '3.1.4.2.66/R10']);
    expect(readCatalogue(writeCatalogue(tempDir())).headings.get('3.1.4.2.66')).toBe('ApiGetNotify (Opnum 65)');
  });

  function broken(edit: (dir: string) => void): () => unknown {
    const dir = writeCatalogue(tempDir());
    edit(dir);
    return () => loadCatalogue(dir);
  }
  const file = (dir: string, section: string) => path.join(dir, `${section}.json`);
  const rewrite = (dir: string, section: string, change: (data: { section: string; clauses: Record<string, unknown>[] }) => void) => {
    const data = JSON.parse(fs.readFileSync(file(dir, section), 'utf8'));
    change(data);
    fs.writeFileSync(file(dir, section), JSON.stringify(data));
  };

  it.each([
    ['invalid JSON', (d: string) => fs.writeFileSync(file(d, '3.1.4.2.6'), '{'), /^catalogue[/\\]3\.1\.4\.2\.6\.json: not valid JSON/],
    ['a schema violation', (d: string) => rewrite(d, '3.1.4.2.6', (x) => (x.clauses[1].level = 'MUSTNT')), /3\.1\.4\.2\.6\.json: \/clauses\/1\/level \(3\.1\.4\.2\.6\/R2\) must be equal to one of the allowed values \("MUST", "MUST NOT"/],
    ['an unknown field', (d: string) => rewrite(d, '3.1.4.2.6', (x) => (x.clauses[0].lvl = 'MUST')), /additional properties \('lvl'\)/],
    ['an id of another section', (d: string) => rewrite(d, '3.1.4.2.6', (x) => (x.clauses[0].id = '3.1.4.2.66/R9')), /3\.1\.4\.2\.6\.json: clause id 3\.1\.4\.2\.66\/R9 is not prefixed by the file's section 3\.1\.4\.2\.6\//],
    ['a duplicate id', (d: string) => rewrite(d, '3.1.4.2.6', (x) => (x.clauses[1].id = '3.1.4.2.6/R1')), /duplicate clause id 3\.1\.4\.2\.6\/R1 \(twice in this file\)/],
    ['a file named after another section', (d: string) => fs.renameSync(file(d, '3.1.4.2.6'), file(d, '3.1.4.2.7')), /3\.1\.4\.2\.7\.json: holds section 3\.1\.4\.2\.6, so it must be named 3\.1\.4\.2\.6\.json/],
  ])('names the file and the problem on one line for %s', (_what, edit, message) => {
    const cwd = process.cwd();
    const base = tempDir();
    process.chdir(base);
    try {
      const dir = writeCatalogue(base);
      edit(dir);
      let error: unknown;
      try {
        loadCatalogue(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CatalogueError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses an empty or missing directory', () => {
    expect(() => loadCatalogue(tempDir())).toThrow(/no catalogue files/);
    expect(broken((d) => fs.rmSync(d, { recursive: true }))).toThrow(/cannot read the catalogue directory \(ENOENT\)/);
  });
});

describe('selectClauses', () => {
  const clauses = FIXTURE.flatMap((s) => s.clauses);
  const ids = (flags: Parameters<typeof selectClauses>[1]) => selectClauses(clauses, flags).map((c) => c.id);

  it('selects a section and its subsections on dotted boundaries only', () => {
    expect(ids({ sections: ['3.1.4.2.6'] })).toEqual(['3.1.4.2.6/R1', '3.1.4.2.6/R2']);
    expect(ids({ sections: ['3.1.4.2'] })).toHaveLength(7);
    expect(ids({ sections: ['3.1.4'] })).toHaveLength(8);
  });

  it('unions sections and clause ids, then filters by level, exclusion and protocol version', () => {
    expect(ids({ sections: ['3.1.4.2.6'], clauseIds: ['3.1.4.2.66/R2'] })).toEqual(['3.1.4.2.6/R1', '3.1.4.2.6/R2', '3.1.4.2.66/R2']);
    expect(ids({ levels: ['must not'] })).toEqual(['3.1.4.2.6/R2']);
    expect(ids({ levels: ['MUST_NOT', 'Should'] })).toEqual(['3.1.4.2.6/R2', '3.1.4.2.66/R2']);
    expect(ids({ sections: ['3.1.4.2'], exclude: ['3.1.4.2.66', '3.1.4.2.6/R1'] })).toEqual(['3.1.4.2.6/R2']);
    expect(ids({ protocolVersion: 2 })).toEqual(['3.1.4.2.6/R2', '3.1.4.1.66/R1']); // keeps the input's order
  });

  it.each([
    [{ levels: ['MUSTNT'] }, "--level 'MUSTNT': unknown level"],
    [{ clauseIds: ['3.1.4.2.66-R1'] }, "--clause '3.1.4.2.66-R1': not a clause id"],
    [{ clauseIds: ['3.1.4.2.66/R99'] }, '--clause 3.1.4.2.66/R99: no such clause in the catalogue'],
    [{ sections: ['3.1.4.2.'] }, "--section '3.1.4.2.': not a section number"],
    [{ sections: ['3.1.4.2.67'] }, '--section 3.1.4.2.67: no clause of the catalogue lies in that section'],
    [{ exclude: ['3.1.4.2.66/Rx'] }, "--exclude '3.1.4.2.66/Rx': not a clause id"],
  ])('refuses %j as a usage error', (flags, message) => {
    expect(() => selectClauses(clauses, flags)).toThrow(message);
  });

  it('returns nothing (for the caller to refuse) when filters leave nothing', () => {
    expect(ids({ sections: ['3.1.4.1.66'], levels: ['MAY'] })).toEqual([]);
    expect(selectClauses([clause('3.1.4.2.66/R1')], { protocolVersion: 2 })).toEqual([]);
  });
});
