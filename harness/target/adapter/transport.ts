// What the JSON-RPC channel needs of a byte stream to an adapter: the stdio transport (a child
// process) and the TCP transport implement it. Keeping it this small lets tests and the channel
// ignore where the bytes come from.

/** Why the stream ended by itself: one sentence, and how the harness classes it. */
export interface TransportEnd {
  reason: string;
  fault: 'crash' | 'unreachable';
}

export interface TransportEvents {
  data(chunk: Buffer): void;
  /** The stream ended without the harness asking (the adapter exited, closed its output, reset the connection). */
  end(end: TransportEnd): void;
}

export interface Transport {
  /** Sends one line; the transport adds the "\n". Writes after the end are dropped. */
  send(line: string): void;
  /** Ends the stream and releases what it holds (the child process is stopped). */
  close(): Promise<void>;
  /** The adapter's recent stderr, for error messages; empty for transports without one. */
  stderrTail(): string;
}

/** Opens a stream; rejects with a one-sentence Error when the adapter cannot be started or reached. */
export type TransportFactory = (events: TransportEvents) => Promise<Transport>;

/** The last `limit` bytes of a stream (the adapter's stderr): enough for a report, bounded in memory. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.limit) {
      this.size -= this.chunks[0].length;
      this.chunks.shift();
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/** The last lines of a stderr tail, indented under a heading; empty when there is nothing to show. */
export function stderrExcerpt(tail: string, maxLines = 12, maxChars = 2000): string {
  const lines = tail.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length) return '';
  let shown = lines.slice(-maxLines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l));
  while (shown.join('\n').length > maxChars && shown.length > 1) shown = shown.slice(1);
  return `\n  adapter stderr (last ${shown.length} line${shown.length === 1 ? '' : 's'}):\n    ${shown.join('\n    ')}`;
}

/** The adapter's last stderr line, for one-line messages. */
export function lastStderrLine(tail: string): string | undefined {
  const lines = tail.split(/\r?\n/).filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  return last === undefined ? undefined : last.length > 300 ? `${last.slice(0, 300)}...` : last;
}
