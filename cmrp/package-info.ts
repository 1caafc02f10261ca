// Where the package lives and what version it is. The same code runs from harness/ (ts-jest) and from
// dist/harness/ (the compiled bin), so paths are found by walking up to our package.json rather than
// by a fixed number of "..".
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TOOL_NAME = 'cmrp-notify-conformance';

let cached: { root: string; version: string } | undefined;

function locate(): { root: string; version: string } {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === TOOL_NAME) {
        cached = { root: dir, version: pkg.version ?? '0.0.0' };
        return cached;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${TOOL_NAME} package.json above ${__dirname}`);
    dir = parent;
  }
}

export function packageRoot(): string {
  return locate().root;
}

export function toolVersion(): string {
  return locate().version;
}
