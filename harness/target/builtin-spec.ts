// The `builtin` target forms as text: `builtin[:inproc|:wire][,mutant=NAME|variant=NAME][,cluster=FILE]`.
// Kept apart from builtin-wire.ts, which serves the wire face: resolving a spec (in the CLI, in every Jest
// worker) must not load the DCE/RPC, NTLM and SPNEGO stacks a run may never use.
//
// `builtin` judges the reference with its wire face: the reference is the suite's server wire stack
// included, so a run against it leaves NOT-TESTED only what no client could observe. `inproc` is the
// opt-out (the in-process face alone, no socket at all: the form to compare with another target's
// in-process verdicts); `wire` is the older name of the default, still accepted.
import { UsageError } from '../../cmrp/errors';
import { isWireMutant, type WireMutantName } from '../../reference/mutants/wire';

/** The wire mutants builtin catches: those whose clauses it judges over the wire face (test/wire/rpc/builtin-wire.test.ts keeps this true). */
export const FACE_MUTANTS: readonly WireMutantName[] = ['accept-low-auth', 'keep-refused-connection'];

/** The parts of a `builtin[:...]` spec: `inproc` or `wire`, `mutant=NAME`, `variant=NAME`, `cluster=FILE`, comma-separated, any order. */
export interface BuiltinSpec {
  /** False only with `inproc`: the run serves no wire face. */
  wire: boolean;
  mutant?: string;
  variant?: string;
  cluster?: string;
}

export const BUILTIN_FORMS =
  'builtin (the reference, with its wire face), builtin:inproc (in process only), builtin:mutant=NAME, builtin:variant=NAME, builtin:cluster=FILE (items combine with commas: builtin:inproc,mutant=NAME,cluster=FILE; builtin:wire is builtin)';

/** Parses a builtin spec; undefined for another target form; a UsageError for a malformed one. */
export function parseBuiltinSpec(spec: string, forms = BUILTIN_FORMS): BuiltinSpec | undefined {
  if (spec !== 'builtin' && !spec.startsWith('builtin:')) return undefined;
  const parsed: BuiltinSpec = { wire: true };
  const rest = spec.slice('builtin'.length);
  if (rest === '') return parsed;
  let face: 'wire' | 'inproc' | undefined;
  for (const item of rest.slice(1).split(',')) {
    if (item === 'wire' || item === 'inproc') {
      if (face === item) throw new UsageError(`--target ${spec}: ${item} given twice`);
      if (face !== undefined) throw new UsageError(`--target ${spec}: wire and inproc exclude each other (builtin has its wire face; builtin:inproc has none)`);
      face = item;
      parsed.wire = item === 'wire';
      continue;
    }
    const m = /^(mutant|variant|cluster)=(.+)$/.exec(item);
    if (!m) throw new UsageError(`--target ${spec}: unknown target form (expected ${forms})`);
    const key = m[1] as 'mutant' | 'variant' | 'cluster';
    if (parsed[key] !== undefined) throw new UsageError(`--target ${spec}: ${key}= given twice`);
    parsed[key] = m[2];
  }
  if (isWireMutant(parsed.mutant)) {
    if (!parsed.wire) throw new UsageError(`--target ${spec}: ${parsed.mutant} is a mutant of the wire face, which builtin:inproc has not: use builtin:mutant=${parsed.mutant}`);
    if (!FACE_MUTANTS.includes(parsed.mutant)) {
      throw new UsageError(
        `--target ${spec}: the clauses ${parsed.mutant} breaks are judged in process under builtin, where its wire face is not used; serve it (serve --listen dcerpc:127.0.0.1:PORT --mutant ${parsed.mutant} ...) and run --target dcerpc:127.0.0.1:PORT`,
      );
    }
  }
  return parsed;
}

/** True for a builtin spec with its wire face (all but `builtin:inproc[,...]`): its rpcRuntime sequences and transport checks go over the wire face. */
export function isBuiltinWire(spec: string): boolean {
  return parseBuiltinSpec(spec)?.wire ?? false;
}

/** The behaviour the in-process face runs: a wire mutant lives only on the wire face. */
export function inProcessOptions(parsed: BuiltinSpec): { mutant?: string; variant?: string } {
  return { ...(parsed.mutant !== undefined && !isWireMutant(parsed.mutant) ? { mutant: parsed.mutant } : {}), ...(parsed.variant !== undefined ? { variant: parsed.variant } : {}) };
}
