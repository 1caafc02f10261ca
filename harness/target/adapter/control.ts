// The SUT control adapter over the adapter protocol: a stimulus is the request "Control.<Verb>" with
// the stimulus's other fields as params. The adapter answers only once the change has settled (every
// indication it causes is queued), so the reply is the "settled" promise of the control contract.
import { TargetError } from '../../../cmrp/contract';
import type { ClusterControl, ControlVerb, Stimulus } from '../../../cmrp/control';
import { CONTROL_PREFIX } from '../../../wire/adapter/protocol';
import type { AdapterSupervisor } from './supervisor';

export class AdapterControl implements ClusterControl {
  readonly verbs: ReadonlySet<ControlVerb>;

  constructor(
    private readonly supervisor: AdapterSupervisor,
    verbs: readonly ControlVerb[],
    private readonly timeoutMs: number,
  ) {
    this.verbs = new Set(verbs);
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
