// The SUT control adapter over the adapter protocol: a stimulus is the request "Control.<Verb>" with
// the stimulus's other fields as params. The adapter answers only once the change has settled (every
// indication it causes is queued), so the reply is the "settled" promise of the control contract.
import { TargetError } from '../../../cmrp/contract';
import { CONTROL_VERBS, type ClusterControl, type ControlQuery, type ControlVerb, type ListedObject, type Stimulus } from '../../../cmrp/control';
import { CONTROL_PREFIX } from '../../../wire/adapter/protocol';
import type { AdapterSupervisor } from './supervisor';

export class AdapterControl implements ClusterControl {
  readonly verbs: ReadonlySet<ControlVerb>;
  /** Present only when the adapter's Hello offers ListObjects. */
  readonly listObjects?: (prefix: string) => Promise<ListedObject[]>;

  constructor(
    private readonly supervisor: AdapterSupervisor,
    offered: readonly (ControlVerb | ControlQuery)[],
    private readonly timeoutMs: number,
  ) {
    this.verbs = new Set(offered.filter((v): v is ControlVerb => (CONTROL_VERBS as readonly string[]).includes(v)));
    if (offered.includes('ListObjects')) this.listObjects = (prefix) => this.list(prefix);
  }

  private async list(prefix: string): Promise<ListedObject[]> {
    const method = `${CONTROL_PREFIX}ListObjects`;
    const { channel } = await this.supervisor.live(method);
    const result = (await channel.request(method, { prefix }, method, { timeoutMs: this.timeoutMs })) as { objects?: unknown };
    if (!Array.isArray(result?.objects) || !result.objects.every(isListed)) throw new TargetError(method, 'protocol', 'the result is not {"objects": [...]} of listed objects');
    return result.objects;
  }

  async apply(stimulus: Stimulus): Promise<void> {
    const { verb, ...params } = stimulus;
    const method = `${CONTROL_PREFIX}${verb}`;
    if (!this.verbs.has(verb)) throw new TargetError(method, 'protocol', 'the adapter does not offer this control verb');
    // A stimulus may be the first thing a test does after a crash (Reset): it restarts the adapter.
    const { channel } = await this.supervisor.live(method);
    await channel.request(method, params, method, { timeoutMs: this.timeoutMs });
  }
}

const OBJECT_TYPES = new Set(['node', 'group', 'resource', 'resourceType', 'network', 'netInterface']);

function isListed(o: unknown): o is ListedObject {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  if (r.objectType === 'key') return typeof r.path === 'string';
  if (r.objectType === 'value') return typeof r.path === 'string' && typeof r.valueName === 'string';
  return typeof r.objectType === 'string' && OBJECT_TYPES.has(r.objectType) && typeof r.name === 'string';
}
