// Reads a cluster file (docs/cluster.schema.json) into ClusterData and checks what the schema cannot:
// unique names per type and cross-references that land. Every problem is one line naming the file and the
// place in it ("/groups/2/node"), so `serve --cluster` and `builtin:cluster=` refuse with exit 2.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { packageRoot } from '../../cmrp/package-info';
import { sameName } from '../rules/names';
import type { ClusterData } from './initial';

export class ClusterFileError extends Error {
  override name = 'ClusterFileError';
}

let validator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(path.join(packageRoot(), 'docs', 'cluster.schema.json'), 'utf8')) as object;
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
  if (Array.isArray(params.allowedValues)) detail += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  if (typeof params.additionalProperty === 'string') detail += ` ('${params.additionalProperty}')`;
  return `${error.instancePath || '(top level)'} ${detail}`;
}

/** Checks parsed data; returns it typed, or throws one line prefixed with `shown`. */
export function checkClusterData(data: unknown, shown: string): ClusterData {
  const validate = schemaValidator();
  if (!validate(data)) throw new ClusterFileError(`${shown}: ${describe(validate.errors![0])}`);
  const cluster = data as ClusterData;
  const fail = (where: string, what: string): never => {
    throw new ClusterFileError(`${shown}: ${where} ${what}`);
  };
  const names = (list: readonly { name: string }[], key: string, field = '/name'): string[] => {
    list.forEach((o, i) => {
      const first = list.findIndex((p) => sameName(p.name, o.name));
      if (first !== i) fail(`/${key}/${i}${field}`, `'${o.name}' is already /${key}/${first}${field} (names are unique per type, case-insensitively)`);
    });
    return list.map((o) => o.name);
  };
  const must = (known: readonly string[], name: string, where: string, what: string): void => {
    if (!known.some((k) => sameName(k, name))) fail(where, `'${name}' names no ${what} of the file`);
  };
  const nodes = names(cluster.nodes, 'nodes');
  const types = names(cluster.resourceTypes.map((name) => ({ name })), 'resourceTypes', '');
  const groups = names(cluster.groups, 'groups');
  const resources = names(cluster.resources, 'resources');
  const networks = names(cluster.networks, 'networks');
  names(cluster.netInterfaces, 'netInterfaces');
  cluster.groups.forEach((g, i) => must(nodes, g.node, `/groups/${i}/node`, 'node'));
  cluster.resources.forEach((r, i) => {
    must(groups, r.group, `/resources/${i}/group`, 'group');
    must(types, r.resourceType, `/resources/${i}/resourceType`, 'resource type');
  });
  cluster.netInterfaces.forEach((n, i) => {
    must(nodes, n.node, `/netInterfaces/${i}/node`, 'node');
    must(networks, n.network, `/netInterfaces/${i}/network`, 'network');
  });
  must(resources, cluster.quorumResource, '/quorumResource', 'resource');
  cluster.registry.forEach((k, i) => {
    const first = cluster.registry.findIndex((o) => sameName(o.path, k.path));
    if (first !== i) fail(`/registry/${i}/path`, `'${k.path}' is already /registry/${first}/path`);
  });
  return cluster;
}

/** Reads and checks a cluster file. */
export function loadClusterFile(file: string): ClusterData {
  const rel = path.relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ClusterFileError(`${shown}: cannot read the cluster file (${e.code ?? e.message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ClusterFileError(`${shown}: not valid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  return checkClusterData(data, shown);
}
