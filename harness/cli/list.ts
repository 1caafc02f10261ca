// `list`: the catalogue (or a selection of it) as a table for people or JSON for tools.
import { parseArgs } from './args';
import { loadCatalogueFor, requireSelection } from './catalogue';
import type { CliDeps } from './deps';
import { SELECTION_FLAGS, selectionFlags } from './flags';

export async function listCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { flags } = parseArgs('list', argv, { ...SELECTION_FLAGS, json: { kind: 'switch' } });
  const catalogue = loadCatalogueFor(deps);
  const selection = requireSelection(catalogue, selectionFlags(flags));
  if (flags.json) {
    const out = selection.map((c) => ({ ...c, heading: catalogue.headings.get(c.section) ?? '' }));
    deps.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const idWidth = Math.max(2, ...selection.map((c) => c.id.length));
  const levelWidth = Math.max(5, ...selection.map((c) => c.level.length));
  const sectionWidth = Math.max(7, ...selection.map((c) => c.section.length));
  const row = (id: string, level: string, section: string, line: string) =>
    `${id.padEnd(idWidth)}  ${level.padEnd(levelWidth)}  ${section.padEnd(sectionWidth)}  ${line}`.trimEnd();
  const lines = [row('id', 'level', 'section', 'title')];
  for (const c of selection) {
    const marks = [c.party === 'client' ? 'client' : '', c.testable ? '' : 'untestable', c.versions.length === 1 ? `v${c.versions[0]} only` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(row(c.id, c.level, c.section, `${c.title}${marks ? ` [${marks}]` : ''}`));
  }
  lines.push(`${selection.length} clause${selection.length === 1 ? '' : 's'}`);
  deps.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
