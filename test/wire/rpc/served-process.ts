// The `serve --listen dcerpc:...` command in a child process (from the TypeScript sources), as a user
// or CI starts it: the tests learn its ports from what it prints and stop it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SERVE = join(__dirname, '../../adapter/fixtures/serve-reference.js');

export interface ServedProcess {
  port: number;
  controlPort?: number;
  /** With several --node: each node's port, by the name serve printed. */
  nodePorts: Record<string, number>;
  stdout(): string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts serve with `args`; `env` adds to the environment (CMRP_PASSWORD for --user). */
export function startServe(args: string[], timeoutMs = 60000, env: Record<string, string> = {}): Promise<ServedProcess> {
  const child: ChildProcess = spawn(process.execPath, [SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const port = /listening on dcerpc:127\.0\.0\.1:(\d+)\n/.exec(out);
      const control = /control on tcp:127\.0\.0\.1:(\d+)\n/.exec(out);
      const nodes = [...out.matchAll(/node (\S+) on dcerpc:127\.0\.0\.1:(\d+)\n/g)];
      const wantedNodes = args.filter((a) => a === '--node').length;
      if (!port || (args.includes('--control-listen') && !control) || (wantedNodes > 1 && nodes.length < wantedNodes)) return;
      clearTimeout(timer);
      resolve({
        port: Number(port[1]),
        nodePorts: Object.fromEntries(nodes.map((m) => [m[1]!, Number(m[2])])),
        ...(control ? { controlPort: Number(control[1]) } : {}),
        stdout: () => out,
        stderr: () => err,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
