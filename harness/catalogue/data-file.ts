// Data files are checked like code: each has a JSON Schema (vectors/*.schema.json, docs/*.schema.json)
// that rejects unknown keys and wrong types. A file that breaks it is a DataFileError: one line naming
// the file and the place in it, and, as a UsageError, exit 2 from the CLI before anything is judged.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { UsageError } from '../../cmrp/errors';
import { packageRoot } from '../../cmrp/package-info';
import { precompiledValidator } from '../schema/validator';

export class DataFileError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

/** The path as the user would type it: relative to the working directory when below it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new DataFileError(`${displayPath(file)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataFileError(`${displayPath(file)}: not valid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
}

const validators = new Map<string, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** The compiled schema of a file below the package root ("vectors/sequences.schema.json"). */
export function schemaValidator(schemaPath: string, ref?: string): ValidateFunction {
  const key = `${schemaPath}#${ref ?? ''}`;
  let validate = validators.get(key);
  // The build's compiled validator (harness/schema/), while it matches the schema: no ajv compile per run.
  if (!validate && !ref) validate = precompiledValidator(path.join(packageRoot(), schemaPath)) as ValidateFunction | undefined;
  if (validate) validators.set(key, validate);
  if (!validate) {
    // strictRequired off: a oneOf of `required`s ("exactly one kind field") names fields its branches do not define.
    if (!ajv) {
      // Loaded only here: every process that reads a data file loads this module, few compile a schema.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { default: Ajv } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
      ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
      // The data schemas refer to each other (a family's extra sequences are sequences): all are known.
      const dir = path.join(packageRoot(), 'vectors');
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.schema.json') && n !== 'catalogue.schema.json')) {
        ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as object);
      }
    }
    const file = path.join(packageRoot(), schemaPath);
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { $id?: string };
    if (!schema.$id || !ajv.getSchema(schema.$id)) ajv.addSchema(schema);
    validate = ajv.getSchema(`${schema.$id}${ref ? `#${ref}` : ''}`);
    if (!validate) throw new Error(`${schemaPath}: no schema at '${ref ?? ''}'`);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * The most telling of ajv's errors, in words. With `allErrors: false` ajv stops at the first failing
 * keyword; for a branch (oneOf, if/then) the error inside the branch says more than the branch's own.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[]): { instancePath: string; detail: string } {
  // A oneOf of `required`s is how a schema says "exactly one of these fields gives the kind".
  const kinds = errors.find((e) => e.keyword === 'oneOf');
  if (kinds) {
    const options = errors.filter((e) => e.keyword === 'required' && e.instancePath === kinds.instancePath).map((e) => String((e.params as { missingProperty?: unknown }).missingProperty));
    const both = (kinds.params as { passingSchemas?: unknown }).passingSchemas;
    if (options.length || Array.isArray(both)) {
      return { instancePath: kinds.instancePath, detail: Array.isArray(both) ? 'has more than one kind field' : `needs one of the fields ${options.join(', ')}` };
    }
  }
  const inner = errors.find((e) => !['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword)) ?? errors[0];
  const params = inner.params as Record<string, unknown>;
  let detail = inner.message ?? 'is invalid';
  if (Array.isArray(params.allowedValues)) detail += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  if (typeof params.additionalProperty === 'string') detail += ` ('${params.additionalProperty}')`;
  return { instancePath: inner.instancePath, detail };
}

/**
 * Set (to "1") while a run's Jest workers execute, after the CLI has checked every data file: a worker
 * then reads the same files without compiling the schemas again (one check per run, not per suite).
 */
export const DATA_CHECKED_ENV = 'CMRP_DATA_CHECKED';

export function dataChecked(): boolean {
  return process.env[DATA_CHECKED_ENV] === '1';
}

/** Runs `run` with DATA_CHECKED_ENV set (inherited by the workers it starts), then restores it. */
export async function withDataChecked<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.env[DATA_CHECKED_ENV];
  process.env[DATA_CHECKED_ENV] = '1';
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env[DATA_CHECKED_ENV];
    else process.env[DATA_CHECKED_ENV] = previous;
  }
}
