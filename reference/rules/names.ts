// Cluster object names and cluster registry paths compare case-insensitively, as they do on Windows.

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Splits a registry path ("A\\B") into components; "" (the root key) has none. */
export function splitPath(path: string): string[] {
  return path.split('\\').filter((part) => part.length > 0);
}

export function joinPath(parts: readonly string[]): string {
  return parts.join('\\');
}

/** True when `inner` is `outer` itself or lies below it. */
export function isWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (inner.length < outer.length) return false;
  return outer.every((part, i) => sameName(part, inner[i] ?? ''));
}

export function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && isWithin(a, b);
}
