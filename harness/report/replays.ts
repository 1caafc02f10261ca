// The replay files a run left (a failed property run saves its shrunk sequence there), so the closing
// lines can list every file the run wrote. A file is the run's when it was written after the run began.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function replaysWritten(dir: string, since: Date): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  // File times can be coarser than the clock (and a little behind it): allow a second of slack.
  const from = since.getTime() - 1000;
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => path.join(dir, n))
    .filter((f) => {
      try {
        return fs.statSync(f).mtimeMs >= from;
      } catch {
        return false;
      }
    })
    .sort();
}
