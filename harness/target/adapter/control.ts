// The SUT control adapter over the adapter protocol: a stimulus is the request "Control.<Verb>" with
// the stimulus's other fields as params. The adapter answers only once the change has settled (every
// indication it causes is queued), so the reply is the "settled" promise of the control contract.
import { TargetError } from '../../../cmrp/contract';
import { CONTROL_BATCH, CONTROL_VERBS, StimulusFailed, applyEach, type ClusterControl, type ControlOffer, type ControlQuery, type ControlVerb, type ListedObject, type Stimulus } from '../../../cmrp/control';
import { preview } from '../../../wire/adapter/codec';
import { CONTROL_PREFIX, type BatchErrorData, type BatchParams } from '../../../wire/adapter/protocol';
import { ErrorReply } from './channel';
import type { AdapterSupervisor } from './supervisor';

const BATCH_METHOD = `${CONTROL_PREFIX}${CONTROL_BATCH}`;

/** The most control timeouts one Control.Batch may take (docs/adapter-protocol.md, Timeouts). */
export const BATCH_TIMEOUTS_MAX = 4;

export class AdapterControl implements ClusterControl {
  readonly verbs: ReadonlySet<ControlVerb>;
  /** Present only when the adapter's Hello offers ListObjects. */
  readonly listObjects?: (prefix: string) => Promise<ListedObject[]>;
  /** Present only when the adapter's Hello offers ReadsHeld. */
  readonly readsHeld?: (hNotify: string) => Promise<number>;
  /** The adapter's Hello offers Batch: applyAll() sends one request for the whole list. */
  readonly batches: boolean;

  constructor(
    private readonly supervisor: AdapterSupervisor,
    offered: readonly ControlOffer[],
    private readonly timeoutMs: number,
  ) {
    this.verbs = new Set(offered.filter((v): v is ControlVerb => (CONTROL_VERBS as readonly string[]).includes(v)));
    if (offered.includes('ListObjects')) this.listObjects = (prefix) => this.list(prefix);
    if (offered.includes('ReadsHeld')) this.readsHeld = (hNotify) => this.held(hNotify);
    this.batches = offered.includes(CONTROL_BATCH);
  }

  private async list(prefix: string): Promise<ListedObject[]> {
    const result = (await this.query('ListObjects', { prefix }, 'the result is not {"objects": [...]} of listed objects', (r) => Array.isArray(r.objects) && r.objects.every(isListed))) as { objects: ListedObject[] };
    return result.objects;
  }

  private async held(hNotify: string): Promise<number> {
    const result = (await this.query('ReadsHeld', { hNotify }, 'the result is not {"held": n} with n a whole number >= 0', (r) => Number.isInteger(r.held) && (r.held as number) >= 0)) as { held: number };
    return result.held;
  }

  /** A query ("Control.<name>"): changes nothing; its result must pass `valid`, else `invalid` says what is wrong. */
  private async query(name: ControlQuery, params: object, invalid: string, valid: (result: Record<string, unknown>) => boolean): Promise<unknown> {
    const method = `${CONTROL_PREFIX}${name}`;
    const { channel } = await this.supervisor.live(method);
    const result = (await channel.request(method, params, method, { timeoutMs: this.timeoutMs })) as Record<string, unknown> | null;
    if (typeof result !== 'object' || result === null || !valid(result)) throw new TargetError(method, 'protocol', invalid);
    return result;
  }

  async apply(stimulus: Stimulus): Promise<void> {
    const { verb, ...params } = stimulus;
    const method = `${CONTROL_PREFIX}${verb}`;
    if (!this.verbs.has(verb)) throw new TargetError(method, 'protocol', 'the adapter does not offer this control verb');
    // A stimulus may be the first thing a test does after a crash (Reset): it restarts the adapter.
    const { channel } = await this.supervisor.live(method);
    await channel.request(method, params, method, { timeoutMs: this.timeoutMs });
  }

  /**
   * One Control.Batch where the adapter offers it (one round trip instead of one per stimulus), else one
   * request per stimulus. A batch gets the control timeout once per stimulus, up to BATCH_TIMEOUTS_MAX
   * of them: a hung adapter costs a fixture at most that (not 23 timeouts in turn), and an adapter
   * whose fixtures take longer should not offer Batch (it is a matter of speed only).
   */
  async applyAll(stimuli: readonly Stimulus[]): Promise<void> {
    if (!this.batches || stimuli.length < 2) return applyEach((s) => this.apply(s), stimuli);
    // A verb the adapter does not offer is refused before anything is sent, as apply() refuses it alone.
    const unoffered = stimuli.findIndex((s) => !this.verbs.has(s.verb));
    if (unoffered >= 0) {
      await applyEach((s) => this.apply(s), stimuli.slice(0, unoffered));
      const s = stimuli[unoffered];
      throw new StimulusFailed(unoffered, s, new TargetError(`${CONTROL_PREFIX}${s.verb}`, 'protocol', 'the adapter does not offer this control verb'));
    }
    // The label says what was in flight, should the adapter hang or crash with the batch unanswered.
    const label = `${BATCH_METHOD} (${stimuli.length} stimuli: ${summary(stimuli)})`;
    const { channel } = await this.supervisor.live(label);
    const params: BatchParams = { stimuli: [...stimuli] };
    try {
      await channel.request(BATCH_METHOD, params, label, { timeoutMs: this.timeoutMs * Math.min(stimuli.length, BATCH_TIMEOUTS_MAX) });
    } catch (error) {
      if (!(error instanceof ErrorReply)) throw error;
      const index: unknown = (error.data as Partial<BatchErrorData> | null | undefined)?.index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= stimuli.length) {
        throw new TargetError(label, 'malformed', `the error names no item of the batch in "data.index" (0..${stimuli.length - 1}): ${preview(error.data)} (error ${error.code}: ${preview(error.text)})`);
      }
      const s = stimuli[index];
      // Said as the item alone would have been answered, with where it stood in the batch.
      throw new StimulusFailed(index, s, new TargetError(`${CONTROL_PREFIX}${s.verb}`, 'protocol', `the adapter answered with error ${error.code}: ${preview(error.text)} (item ${index + 1} of ${stimuli.length} of a ${BATCH_METHOD}; the ones before it were applied)`));
    }
  }
}

/** "Reset, SetServerState, AddObject x10, SetState x10, RegistryCreateKey": the verbs in order, repeats counted. */
export function summary(stimuli: readonly Stimulus[]): string {
  const runs: [string, number][] = [];
  for (const { verb } of stimuli) {
    const last = runs[runs.length - 1];
    if (last && last[0] === verb) last[1]++;
    else runs.push([verb, 1]);
  }
  return runs.map(([verb, n]) => (n > 1 ? `${verb} x${n}` : verb)).join(', ');
}

const OBJECT_TYPES = new Set(['node', 'group', 'resource', 'resourceType', 'network', 'netInterface']);

function isListed(o: unknown): o is ListedObject {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  if (r.objectType === 'key') return typeof r.path === 'string';
  if (r.objectType === 'value') return typeof r.path === 'string' && typeof r.valueName === 'string';
  return typeof r.objectType === 'string' && OBJECT_TYPES.has(r.objectType) && typeof r.name === 'string';
}
