// Validators of the project's JSON schemas (vectors/*.schema.json, docs/*.schema.json). Compiling a
// schema with ajv costs more than everything else a short run does before its first call, so the build
// compiles each once into plain JavaScript (ajv's standalone code, dist/schemas/); a run loads that when
// it was made from the schema as it is now (same content hash), and compiles with ajv only otherwise.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import { packageRoot } from '../../cmrp/package-info';

/**
 * The one set of ajv options every schema is validated with (formats are documentation here; the data
 * schemas' `oneOf` of `required`s and union types need strictRequired off and allowUnionTypes, as in
 * harness/catalogue/data-file.ts).
 */
export const AJV_OPTIONS = { strict: true, strictRequired: false, allowUnionTypes: true, allErrors: false, validateFormats: false } as const;

export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const cache = new Map<string, SchemaValidator>();

export function schemaHash(text: string): string {
  return createHash('sha256').update(JSON.stringify(AJV_OPTIONS)).update(text).digest('hex');
}

/** Schemas whose parts are validated on their own: the `$defs` entries starting with `prefix`. */
export const REF_SCHEMAS: readonly { file: string; prefix: string }[] = [{ file: 'docs/adapter-protocol.schema.json', prefix: 'params.Control.' }];

/** Where the build puts the validators of a schema's parts (see REF_SCHEMAS). */
export function compiledRefsPath(schemaFile: string): string {
  return compiledPath(schemaFile).replace(/\.js$/, '.refs.js');
}

/**
 * The build's validator of one part of a schema file ("/$defs/params.Control.Reset"), if the build made
 * it from the schema as it is now; undefined otherwise (the caller compiles it).
 */
export function precompiledRefValidator(schemaFile: string, ref: string): SchemaValidator | undefined {
  const key = `${schemaFile}#${ref}`;
  const known = cache.get(key);
  if (known) return known;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(compiledRefsPath(schemaFile)) as Record<string, SchemaValidator | string | undefined>;
    const validate = compiled[ref];
    if (typeof validate !== 'function' || compiled.schemaHash !== hashOfFile(schemaFile)) return undefined;
    cache.set(key, validate);
    return validate;
  } catch {
    return undefined;
  }
}

const fileHashes = new Map<string, string>();

function hashOfFile(schemaFile: string): string {
  let hash = fileHashes.get(schemaFile);
  if (hash === undefined) fileHashes.set(schemaFile, (hash = schemaHash(fs.readFileSync(schemaFile, 'utf8'))));
  return hash;
}

/** Where the build puts the compiled validator of a schema file (a path under the package root). */
export function compiledPath(schemaFile: string): string {
  const rel = path.relative(packageRoot(), schemaFile).split(path.sep).join('__');
  return path.join(packageRoot(), 'dist', 'schemas', `${rel.replace(/\.json$/, '')}.js`);
}

/** The build's validator of a schema file, if it was made from the schema as it is now. */
export function precompiledValidator(schemaFile: string): SchemaValidator | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(compiledPath(schemaFile)) as { validate: SchemaValidator; schemaHash: string };
    return compiled.schemaHash === schemaHash(fs.readFileSync(schemaFile, 'utf8')) ? compiled.validate : undefined;
  } catch {
    return undefined;
  }
}

/** The validator of a schema file: the build's, if it matches the schema, else compiled now. */
export function schemaValidator(schemaFile: string): SchemaValidator {
  const known = cache.get(schemaFile);
  if (known) return known;
  const text = fs.readFileSync(schemaFile, 'utf8');
  const hash = schemaHash(text);
  let validate: SchemaValidator | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(compiledPath(schemaFile)) as { validate: SchemaValidator; schemaHash: string };
    if (compiled.schemaHash === hash) validate = compiled.validate;
  } catch {
    // Not built (a run from the sources, or a schema added since): compile it below.
  }
  validate ??= compileNow(text);
  cache.set(schemaFile, validate);
  return validate;
}

function compileNow(text: string): SchemaValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv2020 } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
  return new Ajv2020(AJV_OPTIONS).compile(JSON.parse(text) as object);
}
