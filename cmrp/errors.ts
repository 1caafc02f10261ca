// Errors that end a run before anything was judged. The CLI maps both to exit code 2 with a one-line
// message, so their messages must read well on their own (no stack, no "Error:" prefix).

/** The command line or configuration cannot be acted on (bad flag value, unknown target spec, ...). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The target could not be reached or started, so no clause could be exercised. */
export class TargetUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUnreachableError';
  }
}
