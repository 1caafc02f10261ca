// The build's standalone validators stand in for ajv at run time (harness/schema/): they must exist for
// every schema a run validates with, match the schema as it is now, and judge data exactly as ajv
// compiling the schema does. `npm test` builds first (pretest).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../cmrp/package-info';
import { CONTROL_VERBS } from '../../cmrp/control';
import { schemaValidator as compiledNow } from '../../harness/catalogue/data-file';
import { schemaFiles } from '../../harness/schema/precompile';
import { REF_SCHEMAS, precompiledRefValidator, precompiledValidator } from '../../harness/schema/validator';

const ROOT = packageRoot();
const ADAPTER = 'docs/adapter-protocol.schema.json';

/** Every control step's parameters in the package's sequences, by verb. */
function controlParams(): { verb: string; params: Record<string, unknown> }[] {
  const out: { verb: string; params: Record<string, unknown> }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const control = (value as { control?: unknown }).control;
    if (control && typeof control === 'object' && typeof (control as { verb?: unknown }).verb === 'string') {
      const { verb, ...params } = control as { verb: string } & Record<string, unknown>;
      out.push({ verb, params });
    }
    Object.values(value).forEach(visit);
  };
  const dir = join(ROOT, 'vectors', 'sequences');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) visit(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return out;
}

describe('precompiled schema validators', () => {
  it('the build made one for every schema a run validates with, from the schema as it is now', () => {
    const missing = schemaFiles().filter((f) => !precompiledValidator(f));
    expect(missing).toEqual([]);
  });

  it('the control verbs of the adapter protocol have theirs, and they judge as ajv does', () => {
    expect(REF_SCHEMAS.map((r) => r.file)).toContain(ADAPTER);
    const samples = controlParams();
    expect(samples.length).toBeGreaterThan(10);
    for (const verb of CONTROL_VERBS) {
      const ref = `/$defs/params.Control.${verb}`;
      const built = precompiledRefValidator(join(ROOT, ADAPTER), ref);
      expect([verb, typeof built]).toEqual([verb, 'function']);
      const ajv = compiledNow(ADAPTER, ref);
      const cases = [...samples.filter((s) => s.verb === verb).map((s) => s.params), { bogus: 1 }, {}, { name: 7 }];
      for (const params of cases) expect([verb, params, built!(params)]).toEqual([verb, params, ajv(params)]);
      // A key no verb defines is refused by both.
      expect(built!({ bogus: 1 })).toBe(false);
    }
  });

  it('a schema the build made nothing of gets no precompiled validator (it is compiled where used)', () => {
    expect(precompiledRefValidator(join(ROOT, 'docs', 'no-such.schema.json'), '/$defs/params.Control.Reset')).toBeUndefined();
  });
});
