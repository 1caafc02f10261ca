// What a user meets first: `--help` of every command lists every flag it accepts with its default,
// and docs/cli.md names every command. The flags are read from the parsers' own tables, so a flag added
// without help fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlagSpecs } from '../../harness/cli/args';
import { REPORT_FLAGS, RUN_FLAGS, SELECTION_FLAGS } from '../../harness/cli/flags';
import { HELP } from '../../harness/cli/help';
import { runCli, tempDir } from '../support/cli-fixtures';

const number: FlagSpecs[string] = { kind: 'number' };
const text: FlagSpecs[string] = { kind: 'string' };
const COMMAND_FLAGS: Record<string, FlagSpecs> = {
  run: RUN_FLAGS,
  list: { ...SELECTION_FLAGS, json: { kind: 'switch' } },
  merge: { ...SELECTION_FLAGS, ...REPORT_FLAGS },
  compare: { markdown: text },
  mutants: { json: { kind: 'switch' } },
  replay: { target: text, 'timeout-multiplier': number },
  serve: { listen: text, 'control-listen': text, auth: text, user: text, 'read-user': text, mutant: text, cluster: text },
};

/** The help lines that describe `--flag`: its own line and the indented ones that continue it. */
function entry(help: string, flag: string): string {
  const lines = help.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^\\s+--${flag}\\b`).test(l));
  if (at < 0) return '';
  const own = lines[at];
  const indent = own.length - own.trimStart().length;
  const out = [own];
  for (const l of lines.slice(at + 1)) {
    const i = l.length - l.trimStart().length;
    if (l.trim() === '' || (i <= indent + 2 && l.trimStart().startsWith('--'))) break;
    out.push(l);
  }
  return out.join('\n');
}

describe('the command line surface', () => {
  it.each(Object.keys(COMMAND_FLAGS))('%s --help lists every flag with its default', async (command) => {
    const r = await runCli([command, '--help'], { dir: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${HELP[command]}\n`);
    for (const flag of Object.keys(COMMAND_FLAGS[command])) {
      const described = entry(r.stdout, flag);
      expect({ flag, described }).toEqual({ flag, described: expect.stringMatching(/\S/) });
      // serve's --listen has no default: its help says so once, above its three forms.
      const stated = command === 'serve' && flag === 'listen' ? r.stdout : described;
      expect({ flag, stated }).toEqual({ flag, stated: expect.stringMatching(/default|required/) });
    }
  });

  it('the main help and docs/cli.md name every command', async () => {
    const r = await runCli(['--help'], { dir: tempDir() });
    const docs = readFileSync(join(__dirname, '../../docs/cli.md'), 'utf8');
    for (const command of Object.keys(COMMAND_FLAGS)) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
      // The synopsis at the top of docs/cli.md: one line per command.
      expect(docs).toMatch(new RegExp(`^cmrp-notify-conformance ${command}\\s`, 'm'));
    }
  });
});
