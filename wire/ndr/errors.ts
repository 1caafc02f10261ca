// The one error a decoder may throw: a stub that does not follow the IDL. It names the call and the
// byte offset so a verdict of ERROR can say where a target's answer went wrong.

export class NdrError extends Error {
  constructor(
    /** "ApiGetNotify response", "ApiAddNotifyKey request", or the structure being read. */
    readonly where: string,
    /** Byte offset into the stub where the problem was found. */
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${where}: malformed NDR at offset ${offset}: ${detail}`);
    this.name = 'NdrError';
  }

  /** The method's name ("ApiGetNotify"): the first word of `where`. */
  get method(): string {
    return this.where.split(' ')[0];
  }
}
