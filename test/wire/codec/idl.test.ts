// The NDR stubs (wire/clusapi/methods.ts) against the one table of the IDL (cmrp/methods.ts): the same
// opnum, the same protocol versions, the same [in] parameters in the same order in each version, and
// every out parameter of the contract in the reply. The contract's signatures are held to the same
// table by the compiler (cmrp/idl-check.ts), and the session's parameter names are derived from it.
import { METHOD_NAMES, METHODS } from '../../../cmrp/methods';
import { PARAMETERS } from '../../../harness/session/parameters';
import { CLUSAPI, type WireMethodName } from '../../../wire/clusapi';

describe.each(METHOD_NAMES)('%s', (method) => {
  const row = METHODS[method];
  const codec = CLUSAPI[method];

  it('has the opnum and protocol versions of the IDL table', () => {
    expect(codec).toBeDefined();
    expect(codec.opnum).toBe(row.opnum);
    expect([...codec.versions]).toEqual([...row.versions]);
  });

  it.each(row.versions.map((v) => [v]))('version %s: the stub carries the table\'s [in] parameters, in order, and its out parameters', (version) => {
    const ins = row.params.filter((p) => !p.versions || p.versions.includes(version)).map((p) => p.idlName ?? p.name);
    expect(codec.argNames(version)).toEqual(ins);
    expect(codec.replyNames(version)).toEqual(expect.arrayContaining(['status', ...Object.keys(row.outs)]));
  });

  it('the session names the parameters as the table does', () => {
    expect(PARAMETERS[method]).toEqual(row.params.map((p) => p.name));
  });
});

it('the wire has no method beyond the table but the one an external client calls first (ApiGetClusterName is in the table: role discovery calls it)', () => {
  const extra = (Object.keys(CLUSAPI) as WireMethodName[]).filter((m) => !(METHOD_NAMES as string[]).includes(m));
  expect(extra.sort()).toEqual(['ApiGetClusterVersion2']);
});

it('opnums are unique in the table', () => {
  const opnums = METHOD_NAMES.map((m) => METHODS[m].opnum);
  expect(new Set(opnums).size).toBe(opnums.length);
});
