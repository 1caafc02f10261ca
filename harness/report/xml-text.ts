// Text from a target under test can hold anything (control bytes in a name, "]]>" in a message).
// XML 1.0 forbids some characters outright (no escape makes them legal), so every string goes through
// here before it reaches the JUnit report.

// Outside XML 1.0's Char production: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g; // eslint-disable-line no-control-regex

/** Makes `text` legal XML character data, showing each illegal character as \uXXXX. */
export function xmlSafe(text: string): string {
  return text.replace(ILLEGAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Attributes (failure message="...") are one line in every viewer: keep the first line, shortened. */
export function attributeLine(text: string, max = 200): string {
  const first = xmlSafe(text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
