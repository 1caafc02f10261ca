// Reports are read by CI right after the run, sometimes while an interrupted run is being killed: a
// reader must see either the previous file or the whole new one. So we write a temp file in the same
// directory (rename is atomic only within one file system), flush it, then rename it over the target.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Content as a whole string, or produced piecewise by a function that may throw halfway. */
export type Content = string | ((write: (chunk: string) => void) => void);

export function writeFileAtomic(file: string, content: Content): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx');
  let renamed = false;
  try {
    try {
      const write = (chunk: string) => {
        fs.writeSync(fd, chunk);
      };
      if (typeof content === 'string') write(content);
      else content(write);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    renamed = true;
  } finally {
    if (!renamed) fs.rmSync(temp, { force: true });
  }
}
