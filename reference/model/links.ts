// The link layer under the cluster networks (3.1.4.x.94, .83): which interfaces have lost their own link
// (a cable pulled) and which paths between two interfaces of one network are cut. The control verb
// SetInterfaceLink changes it; reference/model/derived.ts turns it into interface and network states.
import { sameName } from '../rules/names';

export class LinkTable {
  private readonly unplugged = new Set<string>();
  private readonly cut = new Set<string>();

  setOwnLink(netInterface: string, connected: boolean): void {
    const key = netInterface.toLowerCase();
    if (connected) this.unplugged.delete(key);
    else this.unplugged.add(key);
  }

  setPath(a: string, b: string, connected: boolean): void {
    const key = pathKey(a, b);
    if (connected) this.cut.delete(key);
    else this.cut.add(key);
  }

  hasOwnLink(netInterface: string): boolean {
    return !this.unplugged.has(netInterface.toLowerCase());
  }

  /** Can two interfaces of one network exchange traffic? Both links up and the path between them intact. */
  connected(a: string, b: string): boolean {
    if (sameName(a, b)) return true;
    return this.hasOwnLink(a) && this.hasOwnLink(b) && !this.cut.has(pathKey(a, b));
  }
}

function pathKey(a: string, b: string): string {
  return [a.toLowerCase(), b.toLowerCase()].sort().join('\u0000');
}
