// Part of `npm run build`: compiles the schemas runs validate data with (vectors/*.schema.json and
// docs/results.schema.json) into standalone validator modules under dist/schemas/, each stamped with the
// hash of the schema it was made from (harness/schema/validator.ts uses one only while the hash matches).
// A schema that ajv cannot compile with AJV_OPTIONS is left to be compiled where it is used.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import { packageRoot } from '../../cmrp/package-info';
import { AJV_OPTIONS, compiledPath, schemaHash } from './validator';

export function schemaFiles(): string[] {
  const root = packageRoot();
  const data = fs
    .readdirSync(path.join(root, 'vectors'))
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => path.join(root, 'vectors', f));
  return [...data, path.join(root, 'docs', 'results.schema.json')];
}

export function precompile(schemaFile: string): string {
  const text = fs.readFileSync(schemaFile, 'utf8');
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
  const validate = ajv.compile(JSON.parse(text) as object);
  const code = standaloneCode(ajv, validate);
  const out = compiledPath(schemaFile);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const stamped = `${code}\nmodule.exports.validate = module.exports;\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(text))};\n`;
  fs.writeFileSync(`${out}.tmp`, stamped);
  fs.renameSync(`${out}.tmp`, out);
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
}
