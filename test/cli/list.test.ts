import { loadCatalogue } from '../../harness/catalogue/load';
import { main } from '../../harness/cli/main';
import { capture, runCli, tempDir } from '../support/cli-fixtures';

describe('list', () => {
  it('prints a table: id, level, section, one line', async () => {
    const r = await runCli(['list', '--section', '3.1.4.2.6'], { dir: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['id            level     section    title', '3.1.4.2.6/R1  MUST      3.1.4.2.6  title of 3.1.4.2.6/R1 [v3 only]', '3.1.4.2.6/R2  MUST NOT  3.1.4.2.6  title of 3.1.4.2.6/R2', '2 clauses', ''].join('\n'),
    );
  });

  it('--json gives every field of each clause, and its heading', async () => {
    const r = await runCli(['list', '--json', '--level', 'MUST NOT'], { dir: tempDir() });
    expect(JSON.parse(r.stdout)).toEqual([
      {
        id: '3.1.4.2.6/R2',
        section: '3.1.4.2.6',
        heading: 'ApiSomething (Opnum 5)',
        level: 'MUST NOT',
        party: 'server',
        versions: [2, 3],
        testable: true,
        title: 'title of 3.1.4.2.6/R2',
        summary: 'The server does what 3.1.4.2.6/R2 requires.',
        errors: [],
        needs: ['calls'],
      },
    ]);
  });

  it('--json returns the whole real catalogue', async () => {
    const stdout = capture();
    const code = await main(['list', '--json'], { stdout, stderr: capture() });
    expect(code).toBe(0);
    const listed = JSON.parse(stdout.text) as Record<string, unknown>[];
    expect(listed.map((c) => c.id)).toEqual(loadCatalogue().map((c) => c.id));
    for (const c of listed) for (const field of ['id', 'section', 'level', 'party', 'versions', 'testable', 'title', 'summary']) expect(c).toHaveProperty(field);
  });

  it('exits 2 with one line when the selection matches nothing', async () => {
    const r = await runCli(['list', '--section', '3.1.4.1.66', '--level', 'may'], { dir: tempDir() });
    expect(r).toEqual({ code: 2, stdout: '', stderr: "cmrp-notify-conformance: the selection matches no clause (--section 3.1.4.1.66 --level 'may')\n" });
  });
});

describe('help and version', () => {
  it('prints the version', async () => {
    const r = await runCli(['--version'], { dir: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('prints help for the tool and for each command', async () => {
    expect((await runCli(['--help'], { dir: tempDir() })).stdout).toContain('Exit codes: 0 conformant, 1 not conformant, 2 nothing judged');
    for (const command of ['run', 'list', 'merge', 'mutants']) {
      const r = await runCli([command, '--help'], { dir: tempDir() });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: cmrp-notify-conformance ${command}`));
    }
    expect((await runCli(['help', 'run'], { dir: tempDir() })).stdout).toContain('--baseline FILE');
  });

  it('exits 2 with the usage when no command is given', async () => {
    const r = await runCli([], { dir: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: cmrp-notify-conformance <command>/);
  });
});
