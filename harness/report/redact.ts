// A last guard for what reports show. Traces name handles symbolically (hNotify#1) and passwords
// never enter them, but a target's own text (an adapter's error message) can echo anything: a raw
// context handle (40 hex digits, the 20 bytes of a wire handle) or, through a careless adapter, the
// password. Reports meant for people (HTML, annotations) pass their server-supplied text through here.

const RAW_HANDLE = /\b[0-9a-fA-F]{40}\b/g;

/** `text` with raw context handles and the passwords (CMRP_PASSWORD, CMRP_READ_PASSWORD when set) replaced by markers. */
export function redact(text: string, env: Record<string, string | undefined> = process.env): string {
  let out = text.replace(RAW_HANDLE, '<handle>');
  for (const secret of [env.CMRP_PASSWORD, env.CMRP_READ_PASSWORD]) {
    if (secret && secret.length >= 4) out = out.split(secret).join('<password>');
  }
  return out;
}
