// The command line's entry point. main() never throws and never exits the process: it returns the
// exit code, so tests run the whole CLI in-process and the bin alone calls process.exit.
import { TOOL_NAME, toolVersion } from '../../cmrp/package-info';
import { TargetUnreachableError, UsageError } from '../../cmrp/errors';
import { defaultDeps, type CliDeps } from './deps';
import { HELP } from './help';

type Command = (argv: string[], deps: CliDeps) => Promise<number>;

// Each command's module is loaded when it runs: loading all of them (the wire server behind `serve`,
// ajv behind `compare`) cost a run more start-up than the catalogue does.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, Command> = {
  run: (a, d) => (require('./run') as typeof import('./run')).runCommand(a, d),
  // The plan reads the sequences and the property's clause list without touching a target.
  plan: (a, d) => (require('./plan') as typeof import('./plan')).planCommand(a, d),
  list: (a, d) => (require('./list') as typeof import('./list')).listCommand(a, d),
  merge: (a, d) => (require('./merge') as typeof import('./merge')).mergeCommand(a, d),
  mutants: (a, d) => (require('./mutants') as typeof import('./mutants')).mutantsCommand(a, d),
  serve: (a, d) => (require('./serve') as typeof import('./serve')).serveCommand(a, d),
  replay: (a, d) => (require('./replay') as typeof import('./replay')).replayCommand(a, d),
  compare: (a, d) => (require('./compare') as typeof import('./compare')).compareCommand(a, d),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Errors that mean "nothing was judged" (exit 2): their message is meant for the user as is. */
function isConfigurationError(err: unknown): err is Error {
  // CatalogueError by name: its module (and the merge's) is loaded only by the commands that use it.
  return err instanceof UsageError || err instanceof TargetUnreachableError ||
    (err instanceof Error && ['UsageError', 'TargetUnreachableError', 'CatalogueError'].includes(err.name));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

async function dispatch(argv: string[], deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    deps.stderr.write(`${HELP.main}\n`);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' && rest[0] && HELP[rest[0]] ? rest[0] : 'main';
    deps.stdout.write(`${HELP[topic]}\n`);
    return 0;
  }
  if (command === '--version') {
    deps.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    const what = command.startsWith('-') ? `unknown flag ${command} (flags come after the command)` : `unknown command '${command}'`;
    throw new UsageError(`${what}; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    deps.stdout.write(`${HELP[command]}\n`);
    return 0;
  }
  return run(rest, deps);
}

export async function main(argv: string[], overrides: Partial<CliDeps> = {}): Promise<number> {
  const deps: CliDeps = { ...defaultDeps(), ...overrides };
  try {
    return await dispatch(argv, deps);
  } catch (err) {
    if (isConfigurationError(err)) {
      deps.stderr.write(`${TOOL_NAME}: ${oneLine(err.message)}\n`);
      return 2;
    }
    if (err instanceof Error && err.name === 'MergeError') {
      deps.stderr.write(`${TOOL_NAME}: merge failed: ${oneLine(err.message)}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    deps.stderr.write(`${TOOL_NAME}: internal error: ${oneLine(message)}\n`);
    if (deps.env.CMRP_DEBUG === '1' && err instanceof Error && err.stack) deps.stderr.write(`${err.stack}\n`);
    return 2;
  }
}

/** For the bin: run with the process's arguments and exit with the code. */
export function cli(): void {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // Exit explicitly, so a target binding or Jest worker left open cannot keep a CI gate hanging,
    // but only once stdout and stderr are flushed: a pipe that is full (a large `list --json` read
    // by a slow consumer) is written asynchronously, and exiting earlier would truncate it.
    let pending = 2;
    const done = () => {
      if (--pending === 0) process.exit(code);
    };
    process.stdout.write('', done);
    process.stderr.write('', done);
  });
}
