// Writes the reports of a run, each atomically.
import { writeFileAtomic } from './atomic';
import { buildHtml } from './html';
import { buildJUnit } from './junit';
import { buildMarkdown } from './markdown';
import { serializeResults, type RunResults } from './results';

export interface ReportPaths {
  junit?: string;
  json?: string;
  markdown?: string;
  html?: string;
}

/** The paths written, in the order written: JSON first, since it is the record the others derive from. */
export function writeReports(results: RunResults, paths: ReportPaths): string[] {
  const written: string[] = [];
  const builders: [keyof ReportPaths, (r: RunResults) => string][] = [
    ['json', serializeResults],
    ['junit', buildJUnit],
    ['markdown', buildMarkdown],
    ['html', buildHtml],
  ];
  for (const [key, build] of builders) {
    const file = paths[key];
    if (!file) continue;
    writeFileAtomic(file, build(results));
    written.push(file);
  }
  return written;
}
