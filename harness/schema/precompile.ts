// Part of `npm run build`: compiles the schemas runs validate data with (vectors/*.schema.json and
// docs/results.schema.json) into standalone validator modules under dist/schemas/, each stamped with the
// hash of the schema it was made from (harness/schema/validator.ts uses one only while the hash matches).
// A schema that ajv cannot compile with AJV_OPTIONS is left to be compiled where it is used. Schemas
// whose parts are used on their own (REF_SCHEMAS: the adapter protocol's control verb parameters, which
// a sequence's control steps are checked against when it loads) get a second module with one validator
// per part, keyed by its JSON pointer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import { packageRoot } from '../../cmrp/package-info';
import { AJV_OPTIONS, REF_SCHEMAS, compiledPath, compiledRefsPath, schemaHash } from './validator';

export function schemaFiles(): string[] {
  const root = packageRoot();
  const data = fs
    .readdirSync(path.join(root, 'vectors'))
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => path.join(root, 'vectors', f));
  return [...data, path.join(root, 'docs', 'results.schema.json')];
}

/** An ajv that knows every other schema of the same folder: a data schema may refer to another one. */
function ajvFor(schemaFile: string): Ajv2020 {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
  const dir = path.dirname(schemaFile);
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.schema.json') && path.join(dir, n) !== schemaFile).sort()) {
    const other = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { $id?: unknown } & object;
    if (typeof other.$id === 'string') ajv.addSchema(other as object);
  }
  return ajv;
}

function writeAtomically(out: string, text: string): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(`${out}.tmp`, text);
  fs.renameSync(`${out}.tmp`, out);
}

export function precompile(schemaFile: string): string {
  const text = fs.readFileSync(schemaFile, 'utf8');
  const ajv = ajvFor(schemaFile);
  const validate = ajv.compile(JSON.parse(text) as object);
  const code = standaloneCode(ajv, validate);
  const out = compiledPath(schemaFile);
  writeAtomically(out, `${code}\nmodule.exports.validate = module.exports;\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(text))};\n`);
  return out;
}

/** One validator per `$defs` entry whose name starts with `prefix`, exported under its JSON pointer. */
export function precompileRefs(schemaFile: string, prefix: string): string {
  const text = fs.readFileSync(schemaFile, 'utf8');
  const schema = JSON.parse(text) as { $id?: string; $defs?: Record<string, unknown> };
  if (!schema.$id) throw new Error('the schema has no $id');
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
  ajv.addSchema(schema);
  const refs: Record<string, string> = {};
  for (const name of Object.keys(schema.$defs ?? {}).filter((n) => n.startsWith(prefix))) refs[`/$defs/${name}`] = `${schema.$id}#/$defs/${name}`;
  const code = standaloneCode(ajv, refs);
  const out = compiledRefsPath(schemaFile);
  writeAtomically(out, `${code}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(text))};\n`);
  return out;
}

if (require.main === module) {
  for (const file of schemaFiles()) {
    try {
      precompile(file);
    } catch (error) {
      const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      process.stderr.write(`precompile: ${path.relative(packageRoot(), file)} left to run time: ${first}\n`);
    }
  }
  for (const { file, prefix } of REF_SCHEMAS) {
    try {
      precompileRefs(path.join(packageRoot(), file), prefix);
    } catch (error) {
      const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      process.stderr.write(`precompile: the parts of ${file} left to run time: ${first}\n`);
    }
  }
}
