// `compare BEFORE.json AFTER.json`: the verdict changes between two runs as Markdown, for a pull-request
// comment. Exit 1 when the second run has a new failure (a clause that gates now and did not before),
// so the same command can guard a branch; 0 otherwise; 2 for a file that is not a results file.
import * as path from 'node:path';
import { UsageError } from '../../cmrp/errors';
import { writeFileAtomic } from '../report/atomic';
import { diffMarkdown, diffResults } from '../report/diff';
import { readResults } from '../report/read-results';
import { parseArgs } from './args';
import type { CliDeps } from './deps';

export async function compareCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { flags, positionals } = parseArgs('compare', argv, { markdown: { kind: 'string', value: 'FILE' } }, { positionals: 'FILE' });
  if (positionals.length !== 2) throw new UsageError('compare: name two results files, the earlier run first (compare before.json after.json)');
  const [base, head] = positionals.map((file) => ({ file, results: readResults(path.resolve(deps.cwd, file), file) }));
  const markdown = diffMarkdown(base, head);
  const out = flags.markdown as string | undefined;
  if (out) {
    writeFileAtomic(path.resolve(deps.cwd, out), markdown);
    deps.stdout.write(`compare: written to ${out}\n`);
  } else {
    deps.stdout.write(markdown);
  }
  return diffResults(base.results, head.results).regressions.length > 0 ? 1 : 0;
}
