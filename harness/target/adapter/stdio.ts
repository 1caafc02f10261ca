// The stdio transport: the adapter is a child process speaking on its stdin/stdout. It is started
// without a shell (the command line is split here, so nothing in a target spec is ever interpreted by
// one), its stderr is kept (the last 64 KiB) for the report, and it is stopped for certain on close.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { TailBuffer, type Transport, type TransportEnd, type TransportFactory } from './transport';

export const STDERR_TAIL_BYTES = 64 * 1024;

/** How long an adapter gets to exit after its stdin is closed, then after SIGTERM, before SIGKILL. */
const STOP_GRACE_MS = 1000;
/** How long the last output of an exiting adapter may take to drain before the exit is reported. */
const DRAIN_MS = 250;

/**
 * Splits a command line into argv the way a POSIX shell would for plain words: whitespace separates,
 * '...' is literal, "..." allows \" and \\, a backslash outside quotes escapes the next character.
 * No variables, globs or redirections: those would need a shell.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

export interface StdioOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function stdioTransport(argv: readonly string[], options: StdioOptions = {}): TransportFactory {
  if (!argv.length) throw new Error('empty command');
  return (events) => new Promise<Transport>((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env, stdio: 'pipe', windowsHide: true });
    new StdioTransport(child, events.data, events.end, resolve, reject);
  });
}

class StdioTransport implements Transport {
  private readonly stderr = new TailBuffer(STDERR_TAIL_BYTES);
  private spawned = false;
  private exit: string | undefined;
  private ended = false;
  private closing: Promise<void> | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    data: (chunk: Buffer) => void,
    private readonly onEnd: (end: TransportEnd) => void,
    resolve: (t: Transport) => void,
    reject: (e: Error) => void,
  ) {
    this.exited = new Promise((done) => child.once('exit', () => done()));
    child.stdout.on('data', data);
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    // EPIPE when the adapter is gone: its exit tells the story, not the write.
    child.stdin.on('error', () => undefined);
    child.once('spawn', () => {
      this.spawned = true;
      resolve(this);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (!this.spawned) {
        const why = error.code === 'ENOENT' ? 'no such command' : error.code === 'EACCES' ? 'permission denied' : error.message;
        reject(new Error(`cannot start '${child.spawnfile}': ${why}`));
      }
      // After the spawn, errors are kill or pipe failures: the exit (or close) follows and reports.
    });
    child.once('exit', (code, signal) => {
      this.exit = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
      // The last reply and the last stderr lines may still be in the pipes: let them drain first.
      void Promise.race([Promise.all([ended(child.stdout), ended(child.stderr)]), delay(DRAIN_MS)]).then(() =>
        this.end(`the adapter ${this.exit}`),
      );
    });
    child.stdout.once('end', () => {
      // Either the adapter is exiting (its exit reports it, with the code) or it closed stdout and lives on.
      void delay(DRAIN_MS).then(() => {
        if (!this.exit) this.end('the adapter closed its stdout (the process is still running)');
      });
    });
  }

  send(line: string): void {
    if (this.exit || !this.child.stdin.writable) return;
    this.child.stdin.write(`${line}\n`);
  }

  stderrTail(): string {
    return this.stderr.text();
  }

  /** Idempotent: the channel closes on a fault and again on dispose. */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    this.ended = true;
    if (this.spawned && !this.exit) {
      // Polite first (an adapter exits at the end of its input), then firmer.
      this.child.stdin.end();
      if (!(await this.waitExit(STOP_GRACE_MS))) {
        this.child.kill('SIGTERM');
        if (!(await this.waitExit(STOP_GRACE_MS))) {
          this.child.kill('SIGKILL');
          await this.waitExit(STOP_GRACE_MS);
        }
      }
    }
    // A grandchild may still hold the pipes open: do not let them keep the harness alive.
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    this.child.stdin.destroy();
  }

  private waitExit(ms: number): Promise<boolean> {
    return Promise.race([this.exited.then(() => true), delay(ms).then(() => false)]);
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd({ reason, fault: 'crash' });
  }
}

function ended(stream: NodeJS.ReadableStream & { readableEnded?: boolean }): Promise<unknown> {
  return stream.readableEnded ? Promise.resolve() : once(stream, 'end').catch(() => undefined);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
