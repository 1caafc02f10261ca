// Reads a target profile (--profile FILE, docs/profile.schema.json). A broken profile ends the run before
// anything is judged: one line naming the file and the place, exit 2.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { packageRoot } from '../../cmrp/package-info';
import { UsageError } from '../../cmrp/errors';
import type { Profile } from './roles';

/** A profile that cannot be used; a UsageError, so the CLI refuses the run with exit 2. */
export class ProfileError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

let validator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(path.join(packageRoot(), 'docs', 'profile.schema.json'), 'utf8')) as object;
    // ajv is loaded here, not with the module: most processes that load this module never check a file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Ajv2020 } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
    validator = new Ajv2020({ allErrors: false, strict: true }).compile(schema);
  }
  return validator;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? 'is invalid';
  if (typeof params.additionalProperty === 'string') detail += ` ('${params.additionalProperty}')`;
  return `${error.instancePath || '(top level)'} ${detail}`;
}

export function checkProfile(data: unknown, shown: string): Profile {
  const validate = schemaValidator();
  if (!validate(data)) throw new ProfileError(`${shown}: ${describe(validate.errors![0])}`);
  return data as Profile;
}

export function loadProfileFile(file: string): Profile {
  const rel = path.relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ProfileError(`${shown}: cannot read the profile (${e.code ?? e.message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(`${shown}: not valid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  return checkProfile(data, shown);
}
