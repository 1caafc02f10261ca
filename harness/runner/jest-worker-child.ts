// Whether this process is a worker jest-worker started, told apart from a run in band (Jest running the
// files in the CLI's own process), for what only a worker process may do or needs.

/** This process is a child jest-worker started (not a run in band, in the CLI's own process). */
export function isJestWorkerChild(argv: readonly string[] = process.argv, send: unknown = process.send): boolean {
  return typeof send === 'function' && /[\\/]jest-worker[\\/]build[\\/](workers[\\/])?processChild\.js$/.test(argv[1] ?? '');
}
