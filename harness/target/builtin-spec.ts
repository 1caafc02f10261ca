// The `builtin` target forms as text: `builtin[:wire][,mutant=NAME|variant=NAME][,cluster=FILE]`. Kept
// apart from builtin-wire.ts, which serves the wire face: resolving a spec (in the CLI, in every Jest
// worker) must not load the DCE/RPC, NTLM and SPNEGO stacks a run may never use.
import { UsageError } from '../../cmrp/errors';
import { isWireMutant, type WireMutantName } from '../../reference/mutants/wire';

/** The wire mutants builtin:wire catches: those whose clauses it judges over the wire face (test/wire/rpc/builtin-wire.test.ts keeps this true). */
export const FACE_MUTANTS: readonly WireMutantName[] = ['accept-low-auth'];

/** The parts of a `builtin[:...]` spec: `wire`, `mutant=NAME`, `variant=NAME`, `cluster=FILE`, comma-separated, any order. */
export interface BuiltinSpec {
  wire: boolean;
  mutant?: string;
  variant?: string;
  cluster?: string;
}

export const BUILTIN_FORMS = 'builtin, builtin:wire, builtin:mutant=NAME, builtin:variant=NAME, builtin:cluster=FILE (items combine with commas: builtin:wire,mutant=NAME,cluster=FILE)';

/** Parses a builtin spec; undefined for another target form; a UsageError for a malformed one. */
export function parseBuiltinSpec(spec: string, forms = BUILTIN_FORMS): BuiltinSpec | undefined {
  if (spec !== 'builtin' && !spec.startsWith('builtin:')) return undefined;
  const parsed: BuiltinSpec = { wire: false };
  const rest = spec.slice('builtin'.length);
  if (rest === '') return parsed;
  for (const item of rest.slice(1).split(',')) {
    if (item === 'wire') {
      if (parsed.wire) throw new UsageError(`--target ${spec}: wire given twice`);
      parsed.wire = true;
      continue;
    }
    const m = /^(mutant|variant|cluster)=(.+)$/.exec(item);
    if (!m) throw new UsageError(`--target ${spec}: unknown target form (expected ${forms})`);
    const key = m[1] as 'mutant' | 'variant' | 'cluster';
    if (parsed[key] !== undefined) throw new UsageError(`--target ${spec}: ${key}= given twice`);
    parsed[key] = m[2];
  }
  if (isWireMutant(parsed.mutant)) {
    if (!parsed.wire) throw new UsageError(`--target ${spec}: ${parsed.mutant} is a mutant of the wire face: use builtin:wire,mutant=${parsed.mutant}`);
    if (!FACE_MUTANTS.includes(parsed.mutant)) {
      throw new UsageError(
        `--target ${spec}: the clauses ${parsed.mutant} breaks are judged in process under builtin:wire, where its wire face is not used; serve it (serve --listen dcerpc:127.0.0.1:PORT --mutant ${parsed.mutant} ...) and run --target dcerpc:127.0.0.1:PORT`,
      );
    }
  }
  return parsed;
}

/** True for `builtin:wire[,...]`: its rpcRuntime sequences and transport checks go over the wire face. */
export function isBuiltinWire(spec: string): boolean {
  return parseBuiltinSpec(spec)?.wire ?? false;
}

/** The behaviour the in-process face runs: a wire mutant lives only on the wire face. */
export function inProcessOptions(parsed: BuiltinSpec): { mutant?: string; variant?: string } {
  return { ...(parsed.mutant !== undefined && !isWireMutant(parsed.mutant) ? { mutant: parsed.mutant } : {}), ...(parsed.variant !== undefined ? { variant: parsed.variant } : {}) };
}
