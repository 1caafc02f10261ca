// Shared by the property tests: run the property against a builtin target with short timeouts (the
// reference is in-process, so a tenth of the defaults is still far more than any call needs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPropertyTimeouts } from '../../harness/property/context';
import { runProperty, type PropertyResult, type PropertyRunOptions } from '../../harness/property/runner';
import type { ProtocolVersion } from '../../cmrp/constants';
import type { Target } from '../../cmrp/contract';
import { createTarget } from '../../harness/target/resolve';

export const TEST_TIMEOUTS = defaultPropertyTimeouts(0.1);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cmrp-property-'));
}

export async function withTarget<T>(spec: string, use: (target: Target) => Promise<T>): Promise<T> {
  const target = await createTarget(spec);
  try {
    return await use(target);
  } finally {
    await target.dispose();
  }
}

export function property(spec: string, version: ProtocolVersion, extra: Partial<PropertyRunOptions> = {}): Promise<PropertyResult> {
  return withTarget(spec, (target) => runProperty({ target, targetSpec: spec, version, seed: 42, timeouts: TEST_TIMEOUTS, ...extra }));
}
