// The cluster security descriptor ([MS-CMRP] 2.1, 3.1.3): what it grants each of the cluster's two
// principals, the full account and the Read account (a connection's accessLevel names which one it is,
// in process as over the wire). The control verb SetClusterSecurity changes their grants and Reset
// restores the initial ones (All and Read). One descriptor for the cluster, consulted on every call, so a
// change is seen at once, without reconnecting.
import type { Stimulus } from '../../cmrp/control';

export type Grant = Extract<Stimulus, { verb: 'SetClusterSecurity' }>['access'];
export type ServedAccount = Extract<Stimulus, { verb: 'SetClusterSecurity' }>['account'];

const INITIAL: Readonly<Record<ServedAccount, Grant>> = { full: 'full', read: 'read' };

export class ClusterSecurity {
  private grants: Record<ServedAccount, Grant> = { ...INITIAL };

  grant(account: ServedAccount): Grant {
    return this.grants[account];
  }

  set(account: ServedAccount, access: Grant): void {
    this.grants[account] = access;
  }

  reset(): void {
    this.grants = { ...INITIAL };
  }
}
