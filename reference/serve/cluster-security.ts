// The cluster security descriptor of the served reference ([MS-CMRP] 2.1, 3.1.3): what it grants each
// of the served accounts. The served cluster has two principals, the full account (serve --user) and
// the Read account (serve --read-user); the control verb SetClusterSecurity changes their grants and
// Reset restores the initial ones (All and Read). One descriptor for the cluster: every node's endpoint
// consults the same object on every call, so a change is seen at once, without reconnecting.
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
