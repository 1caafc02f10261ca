// Usage texts. Kept next to the flag tables they describe; docs/cli.md says the same at length.
import { TOOL_NAME } from '../../cmrp/package-info';

const SELECTION = `Selection (default: the whole catalogue):
  --section S            a section and its subsections (3.1.4.2 selects 3.1.4.2.66); repeatable (default: all)
  --clause ID            one clause (3.1.4.2.66/R3); repeatable (default: all)
  --level L              MUST, MUST NOT (or MUST_NOT), SHOULD, SHOULD NOT, MAY, descriptive; repeatable
                         (default: all)
  --exclude ID|S         drop a clause or a section; repeatable (default: none)
  --protocol-version V   2 or 3`;

const PLAN_HELP = `Usage: ${TOOL_NAME} plan [run flags]

Prints what \`run\` with the same flags would do to the target, without connecting to it: per sequence,
each call with its arguments and each control stimulus with the server's names (roles bound by --profile,
or by the builtin target's cluster; other targets bind them in-band at run time), objects of the suite's
own with their prefix (cmrp-conf-<runid>-), the cleanup before and after the run, the transport checks and
the property budget. Sequences a role makes NOT-TESTED say so.
Exit codes: 0 printed; 2 usage or configuration error (a bad flag, a broken --profile, a selection matching
nothing).`;

export const HELP: Record<string, string> = {
  main: `Usage: ${TOOL_NAME} <command> [flags]

Conformance suite for the notification ports of [MS-CMRP].

Commands:
  run       judge a target clause by clause; writes JUnit, JSON, Markdown and HTML reports
  plan      print the calls and stimuli a run would make, without making them
  list      print the clause catalogue (or a selection of it)
  merge     combine the results files of shards into one report
  compare   the verdict changes between two results files, as Markdown for a pull request
  mutants   list the reference server's mutants and the clauses each trips
  serve     serve the reference server (or a mutant) over the adapter protocol or DCE/RPC
  replay    rerun the shrunk sequence of a failed property run (reports/replays/*.json)

Flags: --help (also after a command), --version
Exit codes: 0 conformant, 1 not conformant, 2 nothing judged or usage error.
Details: docs/cli.md`,

  run: `Usage: ${TOOL_NAME} run [flags]

  --target SPEC              server under test (default builtin: the reference, in process and over its
                             own wire face on 127.0.0.1 for the checks only DCE/RPC can see;
                             builtin:inproc, in process only; builtin:mutant=NAME; builtin:wire = builtin;
                             stdio:COMMAND, tcp:HOST:PORT for adapters; dcerpc:HOST[:PORT] for a server on the wire,
                             port from the endpoint mapper when left out); with dcerpc, repeatable: one
                             --target (and one --control, in the same order) for each of several
                             equivalent clusters, one worker and one suite file at a time on each
  --auth spnego|ntlm|none    with dcerpc: SPNEGO (NTLM inside, never Kerberos; the default), raw NTLM,
                             or no authentication at all
  --auth-level L             with dcerpc: connect, integrity or privacy (default privacy; what version
                             3.0 needs)
  --user DOMAIN\\NAME         with dcerpc: the account (default none; required unless --auth none); its
                             password comes from the CMRP_PASSWORD environment variable, never a flag
  --read-user DOMAIN\\NAME    with dcerpc: an account the server grants Read access only, for the
                             access-level clauses (default none: those are NOT-TESTED); its password
                             comes from CMRP_READ_PASSWORD, never a flag
  --node-target dcerpc:HOST[:PORT]
                             with dcerpc, repeatable: another node of the same cluster, for the
                             several-node clauses and the reconnect procedure across nodes; each
                             endpoint's node is what its ApiGetClusterName says (default none: those
                             are NOT-TESTED)
  --control SPEC             with dcerpc: the control adapter (stdio:COMMAND or tcp:HOST:PORT) that
                             changes cluster state for stimulus tests (default none: those are NOT-TESTED)
  --stimuli control|inband|auto
                             where stimuli come from: the control adapter, MS-CMRP's own management
                             methods (ApiOfflineGroup, ApiSetValue, ...), or auto: the control adapter
                             where the target has one, else in-band (default auto; docs/stimuli.md)
  --profile FILE             the server's names for the roles the sequences use (docs/profiles.md)
                             (default: builtin binds its own cluster; other targets are probed in-band)
  --strict                   a SHOULD / SHOULD NOT / MAY shortfall (NON-STRICT) fails the gate (default off)
  --timeout-multiplier X     scale every timeout (default 1)
  --seed N                   seed for property runs (default: random, printed and recorded)
  --runs N                   property runs per property (default 200)
  --shard I/N                run this machine's share of the suite files; merge the results after
                             (default: the whole suite)
  --baseline FILE            expected failures: { "<clause id>": { "reason": "...", "verdict"?: "FAIL" } }
                             (default none)
  --junit FILE               default reports/junit.xml
  --json FILE                default reports/results.json
  --markdown FILE            default reports/summary.md
  --html FILE                default reports/report.html
  --github-annotations       print GitHub Actions annotations for the clauses that need attention
                             (default off; on when GITHUB_ACTIONS=true)
  --dry-run                  print what would run, run nothing (default off)

${SELECTION} (default 3)`,

  list: `Usage: ${TOOL_NAME} list [--json] [selection flags]

  --json                 a JSON array of clauses instead of a table (default off: a table)

${SELECTION} (default: both)`,

  merge: `Usage: ${TOOL_NAME} merge A.json B.json ... [flags]

Fails (exit 1) when the shards together miss a clause of the selection, or two shards exercised one
clause with different verdicts. The selection is the one given here, else the one all shards
recorded, else the whole catalogue for the shards' protocol version.

  --junit FILE           default reports/junit.xml
  --json FILE            default reports/results.json
  --markdown FILE        default reports/summary.md
  --html FILE            default reports/report.html

${SELECTION} (default: the shards' own)`,

  compare: `Usage: ${TOOL_NAME} compare BEFORE.json AFTER.json [--markdown FILE]

The verdict changes between two runs' results files, as Markdown for a pull-request comment: new
failures (a clause that gates now and did not before), fixed clauses, other verdict changes, clauses
only one run judged. Exit 1 when there is a new failure, 0 otherwise, 2 for a file that is not a
results file.

  --markdown FILE        write the Markdown there, atomically (default: print it on stdout)`,

  // From the serve command's module, loaded only when this text is asked for (it loads the wire server).
  get serve(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./serve') as typeof import('./serve')).SERVE_HELP;
  },
  plan: PLAN_HELP,

  replay: `Usage: ${TOOL_NAME} replay FILE [--target SPEC] [--timeout-multiplier X]

Reruns the sequence a failed property run saved (reports/replays/*.json) against the target the file
names, or --target. Exit 1 if the failure reproduces, 0 if the target now passes, 2 for a bad file.

  --target SPEC          default: the target the replay file names
  --timeout-multiplier X scale every timeout (default 1)`,

  mutants: `Usage: ${TOOL_NAME} mutants [--json]

  --json                 a JSON array: name, description, trips (section, title, clause id or null)
                         (default off: one line per mutant and per clause it trips)`,
};
