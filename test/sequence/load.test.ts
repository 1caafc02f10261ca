// Sequence files are checked like the catalogue: the schema (no unknown key, no wrong type) and the rules
// a schema cannot say, each failure one line naming the file and the step; and a run on a broken file
// refuses with exit 2 before anything is judged.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError } from '../../harness/catalogue/data-file';
import { catalogueNames } from '../../harness/catalogue/names';
import { loadAllSequences, loadSequenceFile } from '../../harness/sequence/load';
import type { SequenceFile, SequenceSource } from '../../harness/sequence/types';
import { runCli, tempDir } from '../support/cli-fixtures';
import { readCatalogue } from '../../harness/catalogue/load';

const sequence: SequenceSource = {
  id: 'test/add-and-read',
  title: 'register, change, read',
  clauses: { add: 'x.60: one event per matching filter', read: 'x.66: returns the first queued indication' },
  steps: [
    { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
    { call: 'ApiOpenGroup', args: ['App Group'], save: { hGroup: 'g' } },
    { call: 'ApiAddNotifyGroup', args: ['$port', '$g', 'GROUP_STATE', 1], expect: { status: 'ERROR_SUCCESS' }, check: 'add' },
    { control: { verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 } },
    { read: '$port', expect: [{ dwNotifyKey: 1, dwFilter: 'GROUP_STATE', Name: 'App Group' }], check: 'read' },
  ],
};

const dir = () => mkdtempSync(join(tmpdir(), 'cmrp-seq-'));
function write(content: unknown, at = dir()): string {
  const file = join(at, 'bad.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const fileWith = (s: object): SequenceFile => ({ suite: '3.1.4.x.60', heading: 'x', sequences: [s as SequenceSource] });
/** The sequence with one step replaced (index) or added. */
const withStep = (index: number, step: object) => fileWith({ ...sequence, steps: Object.assign([...sequence.steps], { [index]: step }) });

describe('the shipped sequence files', () => {
  it('all pass the schema and the checks, and resolve their clause names in both versions', () => {
    const all = loadAllSequences();
    expect(all.length).toBeGreaterThan(200);
    const catchUp = all.find((s) => s.id === 'readd-group/catch-up')!;
    expect(catchUp.clauses['catch-up']).toEqual({ 2: '3.1.4.1.64/R3', 3: '3.1.4.2.64/R3' });
  });

  it('name no version 2 port clause in a sequence that calls no version 2 port method (3.2.4.5.2/R3 was once claimed by one)', () => {
    // The step-by-step rule (a clause about one kind of port on a step of the other) is harness/sequence/check.ts's;
    // this is the coarse guard over the shipped data.
    const callsV2Method = (s: unknown) => /"call":"Api(Create|Add|Get)NotifyV2"/.test(JSON.stringify(s));
    const v1Only = loadAllSequences().filter((s) => !callsV2Method(s.steps));
    expect(v1Only.length).toBeGreaterThan(200);
    const ids = v1Only.flatMap((s) => Object.values(s.clauses).flatMap((m) => Object.values(m)));
    const v2Port = new Set(readCatalogue().clauses.filter((c) => c.port === 'v2').map((c) => c.id));
    expect(ids.filter((id) => v2Port.has(id))).toEqual([]);
  });
});

describe('a broken sequence file is refused, naming the file and the step', () => {
  const refused = (content: unknown, message: RegExp) => {
    const file = write(content);
    expect(() => loadSequenceFile(file)).toThrow(DataFileError);
    expect(() => loadSequenceFile(file)).toThrow(message);
  };

  it('loads the well-formed example', () => {
    const { sequences } = loadSequenceFile(write(fileWith(sequence)));
    expect(sequences[0].clauses).toEqual({ add: { 2: '3.1.4.1.60/R2', 3: '3.1.4.2.60/R2' }, read: { 2: '3.1.4.1.66/R1', 3: '3.1.4.2.66/R1' } });
  });

  it.each([
    ['an unknown key in a step', withStep(2, { ...sequence.steps[2], expct: { status: 'ERROR_SUCCESS' } }), /bad\.json: sequence 'test\/add-and-read', step 3: must NOT have additional properties \('expct'\)/],
    ['a wrong type', withStep(1, { call: 'ApiOpenGroup', args: 'App Group', save: { hGroup: 'g' } }), /sequence 'test\/add-and-read', step 2 \(args\): must be array/],
    ['a step of no kind', withStep(3, { contrl: { verb: 'Reset' } }), /step 4: needs one of the fields call, await, control, read, absent, assert, reconnect/],
    ['a step of two kinds', withStep(4, { read: '$port', absent: '$port', expect: [{}] }), /step 5: has more than one kind field/],
    ['an unknown key in a sequence', fileWith({ ...sequence, version: [3] }), /sequence 'test\/add-and-read': must NOT have additional properties \('version'\)/],
    ['an unknown key at the top', { ...fileWith(sequence), sequence: [] }, /bad\.json: \(top level\): must NOT have additional properties \('sequence'\)/],
    ['a clause id where a name belongs', fileWith({ ...sequence, clauses: { ...sequence.clauses, add: '3.1.4.2.60/R2' } }), /sequence 'test\/add-and-read' \(clauses\/add\): must match pattern/],
    ['a clause name the catalogue lacks', fileWith({ ...sequence, clauses: { ...sequence.clauses, add: 'x.60: one event per filter' } }), /clause label 'add': "x\.60: one event per filter" names no clause of the catalogue/],
    ['a clause of no version the sequence runs in', fileWith({ ...sequence, versions: [2], clauses: { ...sequence.clauses, add: '3.1.4.2.60: one event per matching filter' } }), /clause label 'add': .* is no clause of protocol version 2/],
    ['a check of an undeclared label', withStep(4, { ...sequence.steps[4], check: 'nope' }), /step 5: checks 'nope', which is not in the sequence's clauses/],
    ['a label no step checks', fileWith({ ...sequence, clauses: { ...sequence.clauses, spare: 'x.60: ERROR_SUCCESS on success' } }), /clause label 'spare' is checked by no step/],
    ['a variable no step set', withStep(2, { ...sequence.steps[2], args: ['$port', '$group', 'GROUP_STATE', 1] }), /step 3: \$group is not set by an earlier step/],
    ['an unknown method', withStep(1, { call: 'ApiOpenGroups', args: ['App Group'], save: { hGroup: 'g' } }), /step 2: 'ApiOpenGroups' is not a method/],
    ['too many arguments', withStep(1, { call: 'ApiOpenGroup', args: ['App Group', 1], save: { hGroup: 'g' } }), /step 2: ApiOpenGroup takes 1 argument\(s\) \(lpszGroupName\), the step gives 2/],
    ['an unknown control verb', withStep(3, { control: { verb: 'SetStat' } }), /step 4: control verb 'SetStat' is not one of/],
    ['a control field the verb lacks', withStep(3, { control: { verb: 'SetState', objectType: 'group', name: 'App Group', stat: 1 } }), /step 4: control SetState must have required property 'state'|step 4: control SetState must NOT have additional properties \('stat'\)/],
    ['a duplicate sequence id', { ...fileWith(sequence), sequences: [sequence, sequence] }, /sequence 'test\/add-and-read': the id is used twice in this file/],
    ['text that is not JSON', '{ not json', /bad\.json: not valid JSON/],
  ])('%s', (_what, content, message) => refused(content, message));

  it('a clause about version 2 ports checked on a version 1 port', () => {
    const absent = { absent: '$port', check: ['read', 'v2'] };
    const content = fileWith({ ...sequence, clauses: { ...sequence.clauses, v2: '3.2.4.5.2: no events before the first filter' }, steps: [...sequence.steps, absent] });
    refused(content, /step 6: checks 'v2' \(3\.2\.4\.5\.2\/R3\), a clause about v2 ports, on \$port, a v1 port \(made by ApiCreateNotify\)/);
  });

  it('inside a repeat, naming the index where it goes wrong', () => {
    const repeat = { repeat: { from: 1, to: 3, as: 'i' }, steps: [{ call: 'ApiCreateNotify', save: { hNotify: 'port{i}' } }, { absent: '$port{i}', check: 'read' }] };
    const fine = fileWith({ ...sequence, steps: [...sequence.steps, repeat] });
    expect(loadSequenceFile(write(fine)).sequences).toHaveLength(1);
    const typo = { ...repeat, steps: [repeat.steps[0], { absent: '$prt{i}', check: 'read' }] };
    refused(fileWith({ ...sequence, steps: [...sequence.steps, typo] }), /step 6: \(i = 1, inner step 2\): \$prt1 is not set by an earlier step/);
    refused(fileWith({ ...sequence, steps: [...sequence.steps, { ...repeat, stps: [] }] }), /step 6: must NOT have additional properties \('stps'\)/);
  });

  it('ids must be unique across files', () => {
    const at = dir();
    writeFileSync(join(at, 'a.json'), JSON.stringify(fileWith(sequence)));
    writeFileSync(join(at, 'b.json'), JSON.stringify(fileWith(sequence)));
    expect(() => loadAllSequences(at)).toThrow(/b\.json: sequence 'test\/add-and-read': the id is also used in a\.json/);
  });

  it('a run on a broken file exits 2 with one line naming the file and the step', async () => {
    const at = dir();
    writeFileSync(join(at, 'bad.json'), JSON.stringify(withStep(2, { ...sequence.steps[2], expct: {} })));
    const result = await runCli(['run', '--target', 'builtin'], {
      dir: tempDir(),
      // What the real runner does first (harness/cli/deps.ts), against the broken directory.
      executeRun: () => {
        loadAllSequences(at, catalogueNames());
        throw new Error('not reached');
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/bad\.json: sequence 'test\/add-and-read', step 3: must NOT have additional properties \('expct'\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
