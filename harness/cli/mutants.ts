// `mutants`: the reference server's deliberate bugs, with the clauses each should trip, resolved
// through the catalogue. A trip that names no catalogue clause is shown as written (section, title)
// so the mismatch is visible rather than dropped.
import type { Clause } from '../catalogue/types';
import type { Mutant } from '../../cmrp/mutant';
import { parseArgs } from './args';
import { loadCatalogueFor } from './catalogue';
import type { CliDeps } from './deps';

export interface ResolvedMutant {
  name: string;
  description: string;
  trips: { section: string; title: string; clause: string | null }[];
  /** A mutant of the wire server (served with serve --listen dcerpc:... --mutant NAME). */
  wire?: true;
  /** A mutant of a management method, caught only with in-band stimuli (--stimuli inband). */
  inband?: true;
}

export function resolveTrips(mutants: Mutant[], clauses: Clause[]): ResolvedMutant[] {
  const norm = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();
  return mutants.map((m) => ({
    name: m.name,
    description: m.description,
    ...(m.wire ? { wire: true as const } : {}),
    ...(m.inband ? { inband: true as const } : {}),
    trips: m.trips.map((t) => {
      const found = clauses.find((c) => c.section === t.section && c.title === t.title) ?? clauses.find((c) => c.section === t.section && norm(c.title) === norm(t.title));
      return { section: t.section, title: t.title, clause: found?.id ?? null };
    }),
  }));
}

export async function mutantsCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { flags } = parseArgs('mutants', argv, { json: { kind: 'switch' } });
  const resolved = resolveTrips(deps.listMutants(), loadCatalogueFor(deps).clauses);
  if (flags.json) {
    deps.stdout.write(`${JSON.stringify(resolved, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const m of resolved) {
    lines.push(`${m.name}${m.wire ? ' (wire)' : ''}${m.inband ? ' (in-band: caught with --stimuli inband)' : ''}: ${m.description}`);
    for (const t of m.trips) lines.push(t.clause ? `  trips ${t.clause} (${t.title})` : `  trips ${t.section} "${t.title}" (no such clause in the catalogue)`);
  }
  const wire = resolved.some((m) => m.wire) ? '; serve a (wire) one with serve --listen dcerpc:127.0.0.1:PORT --user DOMAIN\\NAME --mutant NAME' : '';
  lines.push(`${resolved.length} mutant${resolved.length === 1 ? '' : 's'}; run one with --target builtin:mutant=NAME${wire}`);
  deps.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
