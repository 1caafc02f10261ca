// The sequence data is kept short and checked: the Add*/ReAdd* families are written once as a template
// and a case file (test262's way) and the generated files are checked in, so `npm test` fails when
// they differ from what tools/sequence-families.js makes; every file is in the compact form that
// tools/compact-sequences.js writes, and that converter turns the long form into it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueNames } from '../../harness/catalogue/names';
import { SEQUENCES_DIR } from '../../harness/sequence/load';
import { packageRoot } from '../../cmrp/package-info';

const ROOT = packageRoot();
const node = (...args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
const sequenceFiles = () => readdirSync(SEQUENCES_DIR).filter((n) => n.endsWith('.json')).map((n) => join(SEQUENCES_DIR, n));
const scratch = () => mkdtempSync(join(tmpdir(), 'cmrp-families-'));

/** A compact file back in the long form: labels mapped to ids per version, one JSON token a line. */
function longForm(text: string): string {
  const data = JSON.parse(text) as { sequences: { versions?: number[]; clauses: Record<string, unknown> }[] };
  for (const s of data.sequences) {
    for (const [label, name] of Object.entries(s.clauses)) {
      const ids = catalogueNames().ids(name as string);
      s.clauses[label] = Object.fromEntries(Object.entries(ids).filter(([v]) => (s.versions ?? [2, 3]).includes(Number(v))));
    }
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

describe('sequence families', () => {
  it('the checked-in files are what the templates and cases generate', () => {
    const r = node('tools/sequence-families.js', '--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a generated file edited by hand is named', () => {
    const dir = scratch();
    cpSync(SEQUENCES_DIR, dir, { recursive: true });
    const file = join(dir, '3.1.4.x.64-ApiReAddNotifyGroup.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"is": 7', '"is": 8'));
    const r = node('tools/sequence-families.js', '--check', '--dir', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/3\.1\.4\.x\.64-ApiReAddNotifyGroup\.json: differs from what families\/readd-object generates/);
  });

  it('a case without a value for a placeholder, or skipping what the template lacks, is an error', () => {
    const dir = scratch();
    cpSync(SEQUENCES_DIR, dir, { recursive: true });
    const cases = join(dir, 'families/add-object.cases.json');
    const data = JSON.parse(readFileSync(cases, 'utf8')) as { cases: Record<string, unknown>[] };
    delete data.cases[0].STATE;
    writeFileSync(cases, JSON.stringify(data));
    expect(node('tools/sequence-families.js', '--dir', dir).stderr).toMatch(/add-object\.cases\.json: case 3\.1\.4\.x\.59-ApiAddNotifyNode\.json: the case has no value for \{\{STATE\}\}/);
    data.cases[0].STATE = 'NODE_STATE';
    data.cases[0].skip = ['add-{{slug}}/no-such'];
    writeFileSync(cases, JSON.stringify(data));
    expect(node('tools/sequence-families.js', '--dir', dir).stderr).toMatch(/skips 'add-\{\{slug\}\}\/no-such', which the template does not have/);
  });

  it('--adopt moves sequences added to a generated file into its case, so the family generates them', () => {
    const dir = scratch();
    cpSync(SEQUENCES_DIR, dir, { recursive: true });
    const file = join(dir, '3.1.4.x.64-ApiReAddNotifyGroup.json');
    // As another branch would add one: the long form, then the converter.
    const long = JSON.parse(longForm(readFileSync(file, 'utf8'))) as { generated?: string; sequences: { id: string }[] };
    delete long.generated;
    long.sequences.push({ ...long.sequences[0], id: 'readd-group/added-elsewhere' });
    writeFileSync(file, JSON.stringify(long, null, 2));
    expect(node('tools/compact-sequences.js', file).status).toBe(0);
    expect(node('tools/sequence-families.js', '--check', '--dir', dir).status).toBe(1);
    const r = node('tools/sequence-families.js', '--adopt', '--dir', dir);
    expect(r.stdout).toMatch(/adopted into families\/readd-object\.cases\.json: 3\.1\.4\.x\.64-ApiReAddNotifyGroup\.json: readd-group\/added-elsewhere/);
    expect(node('tools/sequence-families.js', '--check', '--dir', dir).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/"id": "readd-group\/added-elsewhere"/);
  });
});

describe('the compact form', () => {
  it('every sequence file is in it', () => {
    const r = node('tools/compact-sequences.js', '--check', ...sequenceFiles());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the converter turns the long form into it, clause ids into version-neutral names', () => {
    const original = readFileSync(join(SEQUENCES_DIR, '3.1.4.x.56-ApiCreateNotify.json'), 'utf8');
    const long = longForm(original);
    expect(long).toMatch(/"2": "3\.1\.4\.1\.56\/R\d+"/);
    const file = join(scratch(), '3.1.4.x.56-ApiCreateNotify.json');
    writeFileSync(file, long);
    const r = node('tools/compact-sequences.js', file);
    expect(r.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('the converter refuses a label whose ids are different rules, or a clause given for a version it is not in', () => {
    const long = JSON.parse(longForm(readFileSync(join(SEQUENCES_DIR, '3.1.4.x.56-ApiCreateNotify.json'), 'utf8'))) as { sequences: { id: string; clauses: Record<string, Record<string, string>> }[] };
    const s = long.sequences.find((x) => x.id === 'create-notify/nothing-before-first-filter')!;
    s.clauses.client1 = { 2: '3.2.4.5.2/R3', 3: '3.2.4.5.1/R3' };
    const file = join(scratch(), 'x.json');
    writeFileSync(file, JSON.stringify(long));
    const r = node('tools/compact-sequences.js', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/x\.json: sequence 'create-notify\/nothing-before-first-filter': label 'client1': 3\.2\.4\.5\.2\/R3 is not a version 2 clause/);
    s.clauses.client1 = { 2: '3.1.4.1.56/R1', 3: '3.1.4.2.56/R4' };
    writeFileSync(file, JSON.stringify(long));
    expect(node('tools/compact-sequences.js', file).stderr).toMatch(/label 'client1': .* name different rules in the two versions/);
  });
});
