// `serve`: the reference server (or one of its mutants) behind the adapter protocol, on stdio or on a
// TCP port of 127.0.0.1. It is what `--target stdio:...` and `--target tcp:...` are checked against,
// and a working example of the serving end for adapter authors (docs/adapter-protocol.md).
import type { Readable, Writable } from 'node:stream';
import { UsageError } from '../runner/errors';
import { LOOPBACK, serveAdapter, type Listen } from '../serve/serve';
import { createBuiltinTarget } from '../target/builtin';
import type { Target } from '../target/contract';
import { parseArgs } from './args';
import type { CliDeps } from './deps';

export const SERVE_HELP = `Usage: cmrp-notify-conformance serve --listen stdio|tcp:127.0.0.1:PORT [--mutant NAME]

Serves the reference server over the adapter protocol (docs/adapter-protocol.md).
  --listen stdio              JSON-RPC lines on stdin/stdout; ends when stdin closes
  --listen tcp:127.0.0.1:PORT listens on the loopback only (PORT 0: any free port, printed on stdout);
                              each TCP connection gets its own fresh server; ends on SIGINT/SIGTERM
  --mutant NAME               serve a mutant instead (see the mutants command)`;

/** What serve needs of the process beyond CliDeps: the streams it serves and a way to learn it must stop. */
export interface ServeIo {
  stdin: Readable;
  stdout: Writable;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
  stopped: () => Promise<void>;
}

function processIo(): ServeIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stopped: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}

export function parseListen(text: string): Listen {
  if (text === 'stdio') return 'stdio';
  const m = /^tcp:([^:]+):(\d{1,5})$/.exec(text);
  if (!m) throw new UsageError(`--listen '${text}': expected stdio or tcp:${LOOPBACK}:PORT`);
  if (m[1] !== LOOPBACK) throw new UsageError(`--listen '${text}': serve binds only to ${LOOPBACK} (the reference server has no authentication)`);
  const port = Number(m[2]);
  if (port > 65535) throw new UsageError(`--listen '${text}': port must be 0..65535`);
  return { host: LOOPBACK, port };
}

export async function serveCommand(argv: string[], deps: CliDeps, io: ServeIo = processIo()): Promise<number> {
  const { flags } = parseArgs('serve', argv, { listen: { kind: 'string', value: 'stdio|tcp:127.0.0.1:PORT' }, mutant: { kind: 'string', value: 'NAME' } });
  if (flags.listen === undefined) throw new UsageError('serve: --listen is required (stdio or tcp:127.0.0.1:PORT)');
  const listen = parseListen(flags.listen as string);
  const mutant = flags.mutant as string | undefined;
  const makeTarget = (): Target => {
    try {
      return createBuiltinTarget({ mutant });
    } catch (error) {
      throw new UsageError(`--mutant ${mutant}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // Unknown mutant: a usage error now, not a failure in the first session.
  await makeTarget().dispose();
  const name = `cmrp-notify-conformance serve${mutant ? ` (mutant ${mutant})` : ''}`;
  const log = (line: string) => deps.stderr.write(`serve: ${line}\n`);
  if (listen === 'stdio') {
    // stdout carries the protocol: nothing else may be written there.
    const server = await serveAdapter('stdio', makeTarget, { name, log, input: io.stdin, output: io.stdout });
    await server.closed;
    return 0;
  }
  let server;
  try {
    server = await serveAdapter(listen, makeTarget, { name, log });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UsageError(`--listen ${flags.listen as string}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`);
  }
  deps.stdout.write(`listening on tcp:${server.address!.host}:${server.address!.port}\n`);
  await io.stopped();
  await server.close();
  return 0;
}
