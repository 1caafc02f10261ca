// `replay FILE`: reruns the shrunk sequence a failed property run saved, against the target the file
// names (or --target), and says whether the failure still reproduces: 1 if it does, 0 if the target
// now passes it, 2 for a file that is not a replay file.
import { ReplayFileError, replayFile } from '../property/replay';
import { UsageError } from '../../cmrp/errors';
import { parseArgs } from './args';
import type { CliDeps } from './deps';

export async function replayCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { flags, positionals } = parseArgs('replay', argv, {
    target: { kind: 'string', value: 'SPEC' },
    'timeout-multiplier': { kind: 'number', value: 'X', check: (x) => ((x as number) > 0 ? undefined : 'must be greater than 0') },
  }, { positionals: 'FILE' });
  if (positionals.length !== 1) throw new UsageError('replay: name exactly one replay file (reports/replays/*.json)');
  let observations;
  try {
    observations = await replayFile(positionals[0], {
      target: flags.target as string | undefined,
      timeoutMultiplier: flags['timeout-multiplier'] as number | undefined,
    });
  } catch (error) {
    if (error instanceof ReplayFileError) throw new UsageError(error.message);
    throw error;
  }
  const failed = observations.filter((o) => o.outcome === 'fail' || o.outcome === 'error');
  for (const o of failed) deps.stdout.write(`${o.outcome.toUpperCase()} ${o.clause}: ${o.message}\n${(o.trace ?? []).map((l) => `  ${l}`).join('\n')}\n`);
  deps.stdout.write(failed.length ? `reproduced: ${failed.length} failing check(s)\n` : `not reproduced: all ${observations.length} check(s) passed\n`);
  return failed.length ? 1 : 0;
}
