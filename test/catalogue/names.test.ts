// One way to name a clause: "<section>: <title>", x.N for the two versions' method sections, resolved
// per protocol version through the catalogue.
import { clauseSections, parseClauseName } from '../../cmrp/clause-name';
import { readCatalogue } from '../../harness/catalogue/load';
import { ClauseNames, catalogueNames, clauseIdOf } from '../../harness/catalogue/names';
import { clause, tempDir, writeCatalogue } from '../support/cli-fixtures';

describe('clause names', () => {
  const names = catalogueNames();

  it('parse into section and title; a title may hold ": "', () => {
    expect(parseClauseName('x.64: catch-up GROUP_STATE on differing StateSequence')).toEqual({ section: 'x.64', title: 'catch-up GROUP_STATE on differing StateSequence' });
    expect(parseClauseName('2.2.2.7: a: b')).toEqual({ section: '2.2.2.7', title: 'a: b' });
    for (const bad of ['3.1.4.2.64/R3', 'x.64 catch-up', 'y.64: t', 'x.64: ', ' x.64: t']) expect(parseClauseName(bad)).toBeUndefined();
  });

  it('x.N means 3.1.4.1.N in version 2 and 3.1.4.2.N in version 3, whatever the R-numbers', () => {
    expect(names.ids('x.64: ERROR_SUCCESS on success')).toEqual({ 2: '3.1.4.1.64/R9', 3: '3.1.4.2.64/R11' });
    expect(names.ids('x: method beyond server state not accepted')).toEqual({ 2: expect.stringMatching(/^3\.1\.4\.1\/R\d+$/), 3: expect.stringMatching(/^3\.1\.4\.2\/R\d+$/) });
  });

  it('an explicit section, or a row one version lacks, resolves in one version only', () => {
    expect(names.ids('3.1.4.2.56: accepted in read-only state')).toEqual({ 3: '3.1.4.2.56/R5' });
    expect(names.ids('x.56: accepted only in read/write state')).toEqual({ 2: '3.1.4.1.56/R5' });
  });

  it('a shared section has one id, which code that records by id gets with clauseIdOf', () => {
    expect(clauseIdOf('2.1: v3.0 server refuses levels below PKT_PRIVACY')).toBe('2.1/R14');
    expect(() => clauseIdOf('x.64: ERROR_SUCCESS on success')).toThrow(/means 3\.1\.4\.1\.64\/R9 and 3\.1\.4\.2\.64\/R11/);
    expect(() => clauseIdOf('2.1: no such rule')).toThrow(/names no clause/);
  });

  it('say what is wrong with a name that cannot be used', () => {
    expect(names.problem('x.64: ERROR_SUCCESS on success')).toBeUndefined();
    expect(names.problem('3.1.4.2.64/R11')).toMatch(/is not a clause name/);
    expect(names.problem('x.64: no such title')).toMatch(/names no clause of the catalogue/);
  });

  it('a clause id has a version-neutral name when its section is a method section', () => {
    expect(names.nameOf('3.1.4.2.64/R3')).toBe('x.64: catch-up GROUP_STATE on differing StateSequence');
    expect(names.nameOf('2.2.2.7/R2')).toMatch(/^2\.2\.2\.7: /);
  });

  it('a mutant trips a name in the sections it means', () => {
    expect(clauseSections('x.57: handle set to NULL on success')).toEqual([
      { section: '3.1.4.1.57', title: 'handle set to NULL on success' },
      { section: '3.1.4.2.57', title: 'handle set to NULL on success' },
    ]);
    expect(clauseSections('3.1.4.1.56: accepted only in read/write state')).toEqual([{ section: '3.1.4.1.56', title: 'accepted only in read/write state' }]);
    expect(() => clauseSections('3.1.4.1.56/R5')).toThrow(/is not a clause name/);
  });
});

describe('the catalogue keeps names usable', () => {
  it('refuses a title used twice in one section', () => {
    const dir = writeCatalogue(tempDir(), [
      { section: '3.1.4.2.66', heading: 'ApiGetNotify (Opnum 65)', clauses: [clause('3.1.4.2.66/R1'), clause('3.1.4.2.66/R2', { title: 'title of 3.1.4.2.66/R1' })] },
    ]);
    expect(() => readCatalogue(dir)).toThrow(/3\.1\.4\.2\.66\.json: clause 3\.1\.4\.2\.66\/R2: title "title of 3\.1\.4\.2\.66\/R1" is used twice in section 3\.1\.4\.2\.66/);
  });

  it('gives the clauses of a section its port kind, unless a clause has its own', () => {
    const dir = writeCatalogue(tempDir(), [
      { section: '3.1.4.2.66', heading: 'ApiGetNotify (Opnum 65)', port: 'v1', clauses: [clause('3.1.4.2.66/R1'), clause('3.1.4.2.66/R2', { port: 'v2' })] } as never,
    ]);
    expect(readCatalogue(dir).clauses.map((c) => c.port)).toEqual(['v1', 'v2']);
    const bad = writeCatalogue(tempDir(), [{ section: '3.1.4.2.66', heading: 'h', clauses: [clause('3.1.4.2.66/R1', { port: 'v3' as never })] }]);
    expect(() => readCatalogue(bad)).toThrow(/\/clauses\/0\/port \(3\.1\.4\.2\.66\/R1\) must be equal to one of the allowed values \("v1", "v2"\)/);
  });

  it('marks the version 2 port clauses the sequence check keeps off version 1 port steps', () => {
    const v2 = new ClauseNames(readCatalogue().clauses).resolve('3.2.4.5.2: no events before the first filter', 3);
    expect(v2?.port).toBe('v2');
    expect(catalogueNames().resolve('x.66: returns the first queued indication', 2)?.port).toBe('v1');
  });
});
