// The small pieces under the adapter binding: line framing, command-line splitting, TCP addresses and
// the bounded stderr tail.
import { LineSplitter } from '../../wire/adapter/framing';
import { splitCommandLine } from '../../harness/target/adapter/stdio';
import { parseHostPort } from '../../harness/target/adapter/tcp';
import { TailBuffer, lastStderrLine, stderrExcerpt } from '../../harness/target/adapter/transport';

function split(chunks: (string | Buffer)[], limit = 100): { lines: string[]; oversize: number[] } {
  const lines: string[] = [];
  const oversize: number[] = [];
  const splitter = new LineSplitter({ line: (l) => lines.push(l), oversize: (n) => oversize.push(n) }, limit);
  for (const c of chunks) splitter.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return { lines, oversize };
}

describe('LineSplitter', () => {
  it('splits on newlines across chunks, drops blank lines and a CR before the newline', () => {
    expect(split(['{"a":', '1}\n{"b"', ':2}\r\n\n  \n{"c":3}']).lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('never splits a multi-byte character across chunks', () => {
    const bytes = Buffer.from('{"Name":"Grüße – ✓"}\n');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(split(chunks).lines).toEqual(['{"Name":"Grüße – ✓"}']);
  });

  it('reports a line past the limit once, as soon as it passes, and delivers nothing after', () => {
    expect(split(['x'.repeat(60), 'x'.repeat(60), '\n{"ok":1}\n'])).toEqual({ lines: [], oversize: [100] });
    expect(split(['x'.repeat(100) + '\n'])).toEqual({ lines: ['x'.repeat(100)], oversize: [] });
    expect(split(['{"ok":1}\n' + 'y'.repeat(101)])).toEqual({ lines: ['{"ok":1}'], oversize: [100] });
  });

  it('knows how much of a line is pending when the stream ends', () => {
    const splitter = new LineSplitter({ line: () => undefined, oversize: () => undefined }, 100);
    splitter.push(Buffer.from('{"done":1}\n{"id":3,"res'));
    expect(splitter.partial).toBe(12);
  });
});

describe('splitCommandLine', () => {
  it('splits plain words and honours quotes and escapes, without a shell', () => {
    expect(splitCommandLine('python3 adapter.py --listen stdio')).toEqual(['python3', 'adapter.py', '--listen', 'stdio']);
    expect(splitCommandLine(`"/opt/my server/adapter" 'a b' c\\ d "x\\"y" '$HOME' *`)).toEqual(['/opt/my server/adapter', 'a b', 'c d', 'x"y', '$HOME', '*']);
    expect(splitCommandLine('  a   "" b ')).toEqual(['a', '', 'b']);
    expect(splitCommandLine('')).toEqual([]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => splitCommandLine('adapter "oops')).toThrow('unterminated " quote');
  });
});

describe('parseHostPort', () => {
  it('reads HOST:PORT and [v6]:PORT', () => {
    expect(parseHostPort('127.0.0.1:7700')).toEqual({ host: '127.0.0.1', port: 7700 });
    expect(parseHostPort('[::1]:7700')).toEqual({ host: '::1', port: 7700 });
    expect(parseHostPort('adapter.example:1')).toEqual({ host: 'adapter.example', port: 1 });
  });

  it('refuses anything else', () => {
    for (const bad of ['127.0.0.1', ':7700', '127.0.0.1:', '::1:7700', '127.0.0.1:0', '127.0.0.1:65536', 'h:p']) {
      expect(() => parseHostPort(bad)).toThrow();
    }
  });
});

describe('the stderr tail', () => {
  it('keeps only the last bytes, and shows the last lines', () => {
    const tail = new TailBuffer(10);
    for (const part of ['aaaa\n', 'bbbb\n', 'cccc\n', 'dd']) tail.push(Buffer.from(part));
    expect(tail.text()).toBe('bb\ncccc\ndd');
    expect(lastStderrLine(tail.text())).toBe('dd');
    expect(stderrExcerpt('one\n\ntwo\n')).toBe('\n  adapter stderr (last 2 lines):\n    one\n    two');
    expect(stderrExcerpt('')).toBe('');
    expect(stderrExcerpt(Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n'))).toMatch(/last 12 lines[\s\S]*line 18\n[\s\S]*line 29$/);
  });
});
