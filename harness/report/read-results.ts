// Reads a results file written by `run` (a shard, for `merge`), checked against docs/results.schema.json
// so a truncated or foreign file is refused with one line instead of merged into nonsense.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaValidator, type SchemaValidator } from '../schema/validator';
import { packageRoot } from '../../cmrp/package-info';
import { UsageError } from '../../cmrp/errors';
import type { RunResults } from './results';

/** The build's compiled validator of docs/results.schema.json (ajv compiles it only when the build has none). */
export function resultsValidator(): SchemaValidator {
  return schemaValidator(path.join(packageRoot(), 'docs', 'results.schema.json'));
}

/** `shown` is the path as the user typed it, for messages. */
export function readResults(file: string, shown = file): RunResults {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${shown}: ${e.code ? `cannot read it (${e.code})` : `not valid JSON: ${e.message.split('\n')[0]}`}`);
  }
  const validate = resultsValidator();
  if (!validate(data)) {
    const first = validate.errors![0];
    throw new UsageError(`${shown}: not a cmrp-notify-conformance results file: ${first.instancePath || '(top level)'} ${first.message ?? 'is invalid'}`);
  }
  return data as RunResults;
}
