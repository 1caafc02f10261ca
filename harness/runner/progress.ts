// Progress from Jest's reporter (which Jest loads by path, in this process) to whoever started the run.
import type { Observation } from '../recorder/observation';

export interface Progress {
  section: string;
  done: number;
  total: number;
  passed: number;
  failed: number;
  /** Every observation recorded so far, when the runner has them: the CLI counts clauses from these. */
  observations?: readonly Observation[];
}

type Listener = (progress: Progress) => void;

const KEY = Symbol.for('cmrp-notify-conformance.progress');
const slot = globalThis as unknown as Record<symbol, Listener | undefined>;

export function onProgress(listener: Listener | undefined): void {
  slot[KEY] = listener;
}

export function emitProgress(progress: Progress): void {
  slot[KEY]?.(progress);
}
