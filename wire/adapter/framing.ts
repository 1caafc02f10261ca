// Line framing: one JSON message per line, UTF-8, ended by "\n". Bytes are collected until a newline
// and only then decoded, so a multi-byte character split across two chunks is never mangled. A line
// longer than the limit is reported as soon as the limit is passed (the rest is not buffered): a
// runaway writer must not take the harness's memory with it.

export interface LineSink {
  line(text: string): void;
  /** The line under way passed `limit` bytes without a newline; nothing more is delivered. */
  oversize(limit: number): void;
}

export class LineSplitter {
  private chunks: Buffer[] = [];
  private size = 0;
  private stopped = false;

  constructor(
    private readonly sink: LineSink,
    private readonly limit: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.stopped) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline < 0 ? chunk.length : newline;
      if (this.size + (end - start) > this.limit) {
        this.stopped = true;
        this.chunks = [];
        this.sink.oversize(this.limit);
        return;
      }
      if (newline < 0) {
        if (end > start) {
          this.chunks.push(chunk.subarray(start, end));
          this.size += end - start;
        }
        return;
      }
      const parts = this.chunks;
      parts.push(chunk.subarray(start, end));
      this.chunks = [];
      this.size = 0;
      start = newline + 1;
      // Tolerate CRLF from adapters written on Windows; blank lines carry nothing.
      const text = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
      if (text.trim() !== '') this.sink.line(text);
    }
  }

  /** Delivers nothing more (the reader gave up on this stream). */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
  }

  /** Bytes received after the last newline: a message cut short when the stream ended. */
  get partial(): number {
    return this.size;
  }
}
