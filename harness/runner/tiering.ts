// V8's optimizing compiler (TurboFan) pays off for code that runs for seconds; a run is mostly code that
// runs for well under one: each process (the CLI, a Jest worker, a served reference) loads the harness
// and judges a few hundred sequences once. Profiled on a full default run, compiling hot functions
// with TurboFan on V8's background threads cost about a third of the workers' CPU and was not paid back
// before they exit (docs/performance.md, round 5). A larger interrupt budget makes V8 wait for about
// four times as much interpreted and baseline work before it optimizes a function: short runs skip most of
// that compiling, and a long one (many --runs) still optimizes what stays hot.
// A served reference listening on a port is the exception: it answers run after run, and with the larger
// budget its hot paths (the PDU codec, signing, the handshake) stayed unoptimized for thousands of calls
// (about 40% more CPU a call; docs/performance.md, round 8). It keeps V8's own budget.
// The project's own tests start Jest with the same budget on its command line (package.json "test").
import { setFlagsFromString } from 'node:v8';

/** The budget, in V8's units (bytes of bytecode executed); V8's own default in Node 20 is 66 KiB (`node --v8-options`). */
export const INTERRUPT_BUDGET = 600_000;

/**
 * Sets the tiering for the command line `argv` (without node and the script): the short runs' budget,
 * except for `serve` with a `--listen` on a port (tcp: or dcerpc:), which serves until it is stopped.
 * `serve --listen stdio` serves one run's stdin and ends with it: a short run.
 */
export function tierFor(argv: readonly string[], execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (servesUntilStopped(argv)) return;
  tierForShortRuns(execArgv, setFlags);
}

/**
 * A `serve` with a `--listen` other than stdio. Read before the CLI loads (its flag parser included), so
 * that everything loaded after takes the budget; a command line the CLI then refuses ends at once anyway.
 */
function servesUntilStopped(argv: readonly string[]): boolean {
  if (argv[0] !== 'serve') return false;
  for (let i = 1; i < argv.length && argv[i] !== '--'; i++) {
    const listen = argv[i] === '--listen' ? argv[i + 1] : argv[i].startsWith('--listen=') ? argv[i].slice('--listen='.length) : undefined;
    if (listen !== undefined && listen !== 'stdio') return true;
  }
  return false;
}

/**
 * Raises V8's interrupt budget for this process, unless Node was started with a budget of its own (the
 * user's choice stands). Functions compiled after the call take the new budget.
 */
export function tierForShortRuns(execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (execArgv.some((a) => /^--interrupt[-_]budget(=|$)/.test(a))) return;
  setFlags(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
