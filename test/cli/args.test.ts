import { parseArgs, type FlagSpecs } from '../../harness/cli/args';
import { RUN_FLAGS } from '../../harness/cli/flags';

const specs: FlagSpecs = RUN_FLAGS;

describe('parseArgs', () => {
  it('reads values, repeatable flags, switches and --flag=value', () => {
    const { flags } = parseArgs('run', ['--section', '3.1.4.2.66', '--section=3.1.4.2.100', '--strict', '--seed', '7', '--timeout-multiplier=2.5'], specs);
    expect(flags).toEqual({ section: ['3.1.4.2.66', '3.1.4.2.100'], strict: true, seed: 7, 'timeout-multiplier': 2.5 });
  });

  it.each([
    [['--bogus'], 'run: unknown flag --bogus'],
    [['--stirct'], 'run: unknown flag --stirct (did you mean --strict?)'],
    [['-x'], 'run: unknown flag -x'],
    [['--constructor'], 'run: unknown flag --constructor'],
    [['--junit'], '--junit: missing value (FILE)'],
    [['--junit', '--strict'], '--junit: missing value (FILE)'],
    [['--seed', 'abc'], "--seed 'abc': not a number"],
    [['--seed', '1.5'], "--seed '1.5': not a whole number"],
    [['--seed', '-1'], "--seed '-1': must be between 0 and 4294967295"],
    [['--runs', '0'], "--runs '0': must be greater than 0"],
    [['--timeout-multiplier', '0'], "--timeout-multiplier '0': must be greater than 0"],
    [['--timeout-multiplier', ''], "--timeout-multiplier '': not a number"],
    [['--protocol-version', '4'], "--protocol-version '4': must be 2 or 3"],
    [['--shard', '3/2'], "--shard '3/2': needs 1 <= I <= N"],
    [['--strict=yes'], '--strict takes no value'],
    [['--seed', '1', '--seed', '2'], '--seed given twice'],
    [['stray'], "run: unexpected argument 'stray'"],
  ])('refuses %j with one line', (argv, message) => {
    expect(() => parseArgs('run', argv, specs)).toThrow(message);
  });

  it('takes positionals where a command wants them, and everything after --', () => {
    const { positionals } = parseArgs('merge', ['a.json', '--', '--b.json'], {}, { positionals: 'FILE' });
    expect(positionals).toEqual(['a.json', '--b.json']);
  });
});
