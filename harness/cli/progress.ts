// Progress on stderr while a run goes. On a terminal one line is rewritten in place; in CI logs
// (not a TTY) rewriting makes noise, so at most one line per section is written, as soon as the
// section reports, and a later report of the same section only when the section ends.
import type { Progress } from '../runner/progress';
import type { Output } from './deps';

export interface ProgressPrinter {
  update(p: Progress): void;
  /** Ends the live line (TTY), or writes the last state of a section that changed since its line. */
  finish(): void;
}

function line(p: Progress): string {
  return `[${p.done}/${p.total}] ${p.section}: ${p.passed} passed, ${p.failed} failed`;
}

export function progressPrinter(stream: Output): ProgressPrinter {
  if (stream.isTTY) {
    let live = false;
    return {
      update(p) {
        stream.write(`\r\x1b[K${line(p)}`);
        live = true;
      },
      finish() {
        if (live) stream.write('\r\x1b[K');
        live = false;
      },
    };
  }
  let printed: Progress | undefined;
  let held: Progress | undefined;
  const flushHeld = () => {
    if (held && line(held) !== (printed && line(printed))) stream.write(`${line(held)}\n`);
    held = undefined;
  };
  return {
    update(p) {
      if (printed?.section === p.section) {
        held = p;
        return;
      }
      flushHeld();
      stream.write(`${line(p)}\n`);
      printed = p;
    },
    finish: flushHeld,
  };
}
