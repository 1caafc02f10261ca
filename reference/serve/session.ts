// One adapter stream on the serving side: reads request lines, runs each without waiting for the
// ones before it (a blocked ApiGetNotify must not hold up the Unblock that releases it) and writes
// each reply when it is ready, so replies may leave in any order.
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from '../../wire/adapter/framing';
import { MAX_LINE_BYTES, RPC_ERROR } from '../../wire/adapter/protocol';
import { Dispatcher, RpcError } from './dispatch';
import type { Target } from '../../cmrp/contract';

type Id = number | string | null;

export interface SessionLog {
  (line: string): void;
}

/** Serves `input`/`output` until the input ends; resolves once every connection of the session is closed. */
export function serveStream(input: Readable, output: Writable, target: Target, name: string, log: SessionLog = () => undefined): Promise<void> {
  const dispatcher = new Dispatcher(target, name);
  const write = (message: object) => {
    if (output.writable) output.write(`${JSON.stringify(message)}\n`);
  };
  const fail = (id: Id, code: number, message: string, data?: unknown) => write({ jsonrpc: '2.0', id, error: { code, message, ...(data === undefined ? {} : { data }) } });

  const splitter = new LineSplitter(
    {
      line: (text) => {
        let request: unknown;
        try {
          request = JSON.parse(text);
        } catch {
          return fail(null, RPC_ERROR.PARSE_ERROR, 'the line is not JSON');
        }
        const r = request as Record<string, unknown> | null;
        const id = r && typeof r === 'object' && (typeof r.id === 'number' || typeof r.id === 'string') ? r.id : null;
        if (!r || typeof r !== 'object' || Array.isArray(r) || r.jsonrpc !== '2.0' || typeof r.method !== 'string' || id === null) {
          return fail(id, RPC_ERROR.INVALID_REQUEST, 'expected {"jsonrpc": "2.0", "id", "method", "params"}');
        }
        const params = r.params === undefined ? {} : r.params;
        if (typeof params !== 'object' || params === null || Array.isArray(params)) {
          return fail(id, RPC_ERROR.INVALID_PARAMS, 'params must be an object');
        }
        dispatcher.handle(r.method, params as Record<string, unknown>).then(
          (result) => write({ jsonrpc: '2.0', id, result }),
          (error: unknown) => {
            if (error instanceof RpcError) return fail(id, error.code, error.message, error.data);
            // A bug in the served target: say so to the harness (and the log), keep serving.
            const message = error instanceof Error ? error.message : String(error);
            log(`${String(r.method)} failed: ${message}`);
            fail(id, RPC_ERROR.INTERNAL_ERROR, message);
          },
        );
      },
      oversize: (limit) => {
        // The stream can no longer be trusted to be in step: answer once and stop reading it.
        fail(null, RPC_ERROR.INVALID_REQUEST, `a line longer than ${limit} bytes`);
        input.destroy();
      },
    },
    MAX_LINE_BYTES,
  );

  return new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      void dispatcher.closeAll().then(() => resolve());
    };
    input.on('data', (chunk: Buffer | string) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    input.once('end', finish);
    input.once('close', finish);
    input.once('error', finish);
    output.once('error', finish);
  });
}
