// Writes the three reports of a run, each atomically.
import { writeFileAtomic } from './atomic';
import { buildJUnit } from './junit';
import { buildMarkdown } from './markdown';
import { serializeResults, type RunResults } from './results';

export interface ReportPaths {
  junit?: string;
  json?: string;
  markdown?: string;
}

/** The paths written, in the order written: JSON first, since it is the record the others derive from. */
export function writeReports(results: RunResults, paths: ReportPaths): string[] {
  const written: string[] = [];
  if (paths.json) {
    writeFileAtomic(paths.json, serializeResults(results));
    written.push(paths.json);
  }
  if (paths.junit) {
    writeFileAtomic(paths.junit, buildJUnit(results));
    written.push(paths.junit);
  }
  if (paths.markdown) {
    writeFileAtomic(paths.markdown, buildMarkdown(results));
    written.push(paths.markdown);
  }
  return written;
}
