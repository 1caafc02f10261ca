// Every data file the suites and tests read has a schema that rejects unknown keys and wrong types:
// the catalogue (its own loader), the sequences (harness/sequence/load.ts), and here the sequence
// families' case files and the wire vectors.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError, describeSchemaErrors, readJsonFile, schemaValidator } from '../../harness/catalogue/data-file';
import { packageRoot } from '../../cmrp/package-info';

const ROOT = packageRoot();
const files = (dir: string, suffix: string) => readdirSync(join(ROOT, dir)).filter((n) => n.endsWith(suffix)).map((n) => join(ROOT, dir, n));
function problem(schema: string, data: unknown): string | undefined {
  const validate = schemaValidator(schema);
  if (validate(data)) return undefined;
  const { instancePath, detail } = describeSchemaErrors(validate.errors ?? []);
  return `${instancePath || '(top level)'} ${detail}`;
}

/** Which schema checks each kind of data file under vectors/. */
const SCHEMAS: [dir: string, suffix: string, schema: string][] = [
  ['vectors/wire', '.json', 'vectors/wire.schema.json'],
  ['vectors/sequences/families', '.cases.json', 'vectors/sequence-families.schema.json'],
  ['vectors/sequences', '.json', 'vectors/sequences.schema.json'],
];

describe('data files', () => {
  it.each(SCHEMAS)('every %s/*%s passes %s', (dir, suffix, schema) => {
    const found = files(dir, suffix);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((f) => [f, problem(schema, readJsonFile(f))]).filter(([, p]) => p)).toEqual([]);
  });

  it('every JSON file under vectors/ is one a schema covers', () => {
    const covered = (dir: string, name: string) =>
      dir === 'vectors' ? name.endsWith('.schema.json') : dir === 'vectors/catalogue' || SCHEMAS.some(([d, s]) => d === dir && name.endsWith(s)) || (dir === 'vectors/sequences/families' && name.endsWith('.template.json'));
    const walk = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.json') && !covered(dir, e.name) ? [`${dir}/${e.name}`] : []));
    expect(walk('vectors')).toEqual([]);
  });

  it('a wire vector with an unknown key or a malformed stub is rejected, with its place', () => {
    const vector = readJsonFile(join(ROOT, 'vectors/wire/ApiAddNotifyGroup.json')) as { versions: Record<string, { request: Record<string, unknown> }[]> };
    const typo = structuredClone(vector);
    typo.versions['2'][0].request.arg = {};
    expect(problem('vectors/wire.schema.json', typo)).toBe("/versions/2/0/request must NOT have additional properties ('arg')");
    const odd = structuredClone(vector);
    odd.versions['3'][0].request.hex = 'abc';
    expect(problem('vectors/wire.schema.json', odd)).toMatch(/^\/versions\/3\/0\/request\/hex must match pattern/);
  });

  it('a family case with a stray list or an unknown sequence key is rejected', () => {
    expect(problem('vectors/sequence-families.schema.json', { cases: [{ file: '3.1.4.x.59-ApiAddNotifyNode.json', obj: ['node2'] }] })).toMatch(/^\/cases\/0\/obj must be string,number/);
    expect(problem('vectors/sequence-families.schema.json', { cases: [{ file: '3.1.4.x.59-ApiAddNotifyNode.json', extra: [{ id: 'a', title: 'abc', clauses: {}, steps: [], stepz: 1 }] }] })).toMatch(/additional properties \('stepz'\)/);
  });

  it('a file that is not JSON is a one-line DataFileError', () => {
    expect(() => readJsonFile(join(ROOT, 'vectors/wire/README.md'))).toThrow(DataFileError);
    expect(() => readJsonFile(join(ROOT, 'vectors/wire/README.md'))).toThrow(/README\.md: not valid JSON: [^\n]*$/);
  });
});
