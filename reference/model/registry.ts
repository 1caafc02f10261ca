// The cluster registry (the cluster database): a tree of keys with values and a security descriptor
// stand-in. Only what the notification methods observe is modelled: which keys exist, their values,
// and that their security changed.
import { sameName } from '../rules/names';

export class RegistryKey {
  readonly subkeys = new Map<string, RegistryKey>();
  readonly values = new Map<string, string | number>();
  /** Bumped by RegistrySetSecurity: stands in for the key's security descriptor. */
  securityVersion = 0;

  constructor(readonly name: string) {}

  child(name: string): RegistryKey | undefined {
    for (const [childName, key] of this.subkeys) if (sameName(childName, name)) return key;
    return undefined;
  }

  removeChild(name: string): boolean {
    for (const childName of this.subkeys.keys()) {
      if (sameName(childName, name)) return this.subkeys.delete(childName);
    }
    return false;
  }
}

export class RegistryTree {
  readonly root = new RegistryKey('');

  /** The key at `path` (components under the root), or undefined when any component is missing. */
  find(path: readonly string[]): RegistryKey | undefined {
    let key: RegistryKey | undefined = this.root;
    for (const part of path) {
      key = key.child(part);
      if (!key) return undefined;
    }
    return key;
  }

  /** Creates every missing key along `path`; returns the paths that were created, outermost first. */
  create(path: readonly string[]): string[][] {
    const created: string[][] = [];
    let key = this.root;
    path.forEach((part, i) => {
      let next = key.child(part);
      if (!next) {
        next = new RegistryKey(part);
        key.subkeys.set(part, next);
        created.push(path.slice(0, i + 1));
      }
      key = next;
    });
    return created;
  }

  /** Deletes the key at `path` with its subtree; false when it does not exist. The root cannot go. */
  delete(path: readonly string[]): boolean {
    if (path.length === 0) return false;
    const parent = this.find(path.slice(0, -1));
    return parent ? parent.removeChild(path[path.length - 1] as string) : false;
  }
}
