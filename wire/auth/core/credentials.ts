// Account names and the password as values that cannot leak by accident. The password lives in a
// Secret: printing, string interpolation, JSON and util.inspect all show a placeholder, so a secret
// that reaches a log line, a report or an error message by mistake shows up as "[secret]".
import { inspect } from 'node:util';

const REDACTED = '[secret]';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The secret itself: call only where a key is derived from it. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** An account as NTLM names it: the user's domain (UserDom) and name (User). */
export interface Account {
  domain: string;
  user: string;
}

export interface Credentials extends Account {
  password: Secret;
}

/**
 * Parses "DOMAIN\NAME" (or "NAME", domain empty) as the CLI's --user takes it. The error names the
 * rule broken, never the text, because a user can paste a password there by mistake.
 */
export function parseAccount(text: string): Account {
  const parts = text.split('\\');
  if (parts.length > 2) throw new Error('account must be DOMAIN\\NAME or NAME (at most one backslash)');
  const [domain, user] = parts.length === 2 ? parts : ['', parts[0]];
  if (user.length === 0) throw new Error('account has an empty user name');
  return { domain, user };
}

export function credentials(account: Account, password: string | Secret): Credentials {
  return { domain: account.domain, user: account.user, password: password instanceof Secret ? password : new Secret(password) };
}
