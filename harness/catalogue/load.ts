// Reads the clause catalogue (vectors/catalogue/*.json), validates every file against the published
// schema and the id rules the schema cannot express, and returns the clauses in spec order. A broken
// file is a configuration error: the message names the file and the problem on one line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import { packageRoot } from '../../cmrp/package-info';
import { schemaValidator as compiledValidator, type SchemaValidator } from '../schema/validator';
import { compareClauseIds } from './order';
import type { CatalogueSection, Clause } from './types';

export class CatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueError';
  }
}

export interface Catalogue {
  clauses: Clause[];
  /** Section number to the spec's heading, for report class names. */
  headings: Map<string, string>;
}

export function defaultCatalogueDir(): string {
  return path.join(packageRoot(), 'vectors', 'catalogue');
}

function schemaValidator(): SchemaValidator {
  return compiledValidator(path.join(packageRoot(), 'vectors', 'catalogue.schema.json'));
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** One line out of ajv's first error, with the offending clause's id when there is one. */
function describeSchemaError(error: ErrorObject, data: unknown): string {
  const where = error.instancePath || '(top level)';
  const clauseIndex = /^\/clauses\/(\d+)/.exec(error.instancePath)?.[1];
  let clauseId: string | undefined;
  if (clauseIndex !== undefined) {
    const clause = (data as { clauses?: { id?: unknown }[] }).clauses?.[Number(clauseIndex)];
    if (clause && typeof clause.id === 'string') clauseId = clause.id;
  }
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? 'is invalid';
  if (Array.isArray(params.allowedValues)) detail += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  if (typeof params.additionalProperty === 'string') detail += ` ('${params.additionalProperty}')`;
  return `${where}${clauseId ? ` (${clauseId})` : ''} ${detail}`;
}

function readSectionFile(file: string, trusted: boolean): CatalogueSection {
  const shown = displayPath(file);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CatalogueError(`${shown}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const validate = trusted ? undefined : schemaValidator();
  if (validate && !validate(data)) {
    throw new CatalogueError(`${shown}: ${describeSchemaError(validate.errors![0], data)}`);
  }
  const section = data as CatalogueSection;
  if (path.basename(file) !== `${section.section}.json`) {
    throw new CatalogueError(`${shown}: holds section ${section.section}, so it must be named ${section.section}.json`);
  }
  for (const clause of section.clauses) {
    if (clause.section !== section.section) {
      throw new CatalogueError(`${shown}: clause ${clause.id} says section ${clause.section}, but the file is section ${section.section}`);
    }
    if (!clause.id.startsWith(`${section.section}/R`)) {
      throw new CatalogueError(`${shown}: clause id ${clause.id} is not prefixed by the file's section ${section.section}/`);
    }
  }
  return section;
}

/**
 * The shipped catalogue as this process read it first: the CLI, the suites' harness and the reports each
 * ask for it (a name index, the clause book, the verdicts' titles), and reading its 81 files again for
 * each cost a run's CLI and each worker 15-45 ms a time. Kept only once it was read with its schema
 * checked, or when every caller since trusts the run's data check.
 */
let shipped: { catalogue: Catalogue; checked: boolean } | undefined;

/**
 * `trusted`: the files were checked earlier in this run (dataChecked()), so the schema is not compiled again.
 * Each call gets its own arrays and maps; the clauses themselves are shared, read-only data.
 */
export function readCatalogue(dir: string = defaultCatalogueDir(), options: { trusted?: boolean } = {}): Catalogue {
  const isShipped = path.resolve(dir) === defaultCatalogueDir();
  if (isShipped && shipped && (shipped.checked || options.trusted)) return copyOf(shipped.catalogue);
  const catalogue = readCatalogueFiles(dir, options);
  if (isShipped) shipped = { catalogue, checked: !options.trusted };
  return copyOf(catalogue);
}

function copyOf(catalogue: Catalogue): Catalogue {
  return { clauses: [...catalogue.clauses], headings: new Map(catalogue.headings) };
}

function readCatalogueFiles(dir: string, options: { trusted?: boolean }): Catalogue {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (err) {
    throw new CatalogueError(`${displayPath(dir)}: cannot read the catalogue directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (names.length === 0) throw new CatalogueError(`${displayPath(dir)}: no catalogue files (*.json)`);

  const clauses: Clause[] = [];
  const headings = new Map<string, string>();
  const origin = new Map<string, string>();
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    const section = readSectionFile(file, options.trusted ?? false);
    headings.set(section.section, section.heading);
    const titles = new Set<string>();
    for (const clause of section.clauses) {
      // A clause is named by section and title (cmrp/clause-name.ts), so a title is unique in its section.
      if (titles.has(clause.title)) throw new CatalogueError(`${displayPath(file)}: clause ${clause.id}: title "${clause.title}" is used twice in section ${section.section}`);
      titles.add(clause.title);
      if (section.port && !clause.port) clause.port = section.port;
      const first = origin.get(clause.id);
      if (first !== undefined) {
        const where = first === name ? 'twice in this file' : `also in ${first}`;
        throw new CatalogueError(`${displayPath(file)}: duplicate clause id ${clause.id} (${where})`);
      }
      origin.set(clause.id, name);
      clauses.push(clause);
    }
  }
  clauses.sort((a, b) => compareClauseIds(a.id, b.id));
  return { clauses, headings };
}

export function loadCatalogue(dir?: string): Clause[] {
  return readCatalogue(dir).clauses;
}
