// Reproducing a failure: from the replay file (exactly its steps, against its target or another one),
// and through fast-check's own replay (seed, path and replayPath).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReplayFileError, readReplayFile, replayFile } from '../../harness/property/replay';
import { property, tempDir } from './support';

describe.each([2, 3] as const)('protocol version %i', (version) => {
  test('the replay file holds the shrunk steps; replaying it against the reference shows no failure', async () => {
    const dir = tempDir();
    const result = await property('builtin:mutant=wrong-key', version, { replayDir: dir });
    const file = readReplayFile(result.failure!.replayFile!);
    expect(file).toMatchObject({ seed: 42, protocolVersion: version, target: 'builtin:mutant=wrong-key', path: result.failure!.path, replayPath: result.failure!.replayPath });
    expect(file.commands).toEqual(result.failure!.steps.map((s) => s.data));

    const onMutant = await replayFile(result.failure!.replayFile!, { timeoutMultiplier: 0.1 });
    expect(onMutant.filter((o) => o.outcome === 'fail').map((o) => o.clause).sort()).toEqual([...result.failure!.clauseIds].sort());
    const onReference = await replayFile(result.failure!.replayFile!, { target: 'builtin', timeoutMultiplier: 0.1 });
    expect(onReference.filter((o) => o.outcome !== 'pass')).toEqual([]);
    expect(onReference.length).toBeGreaterThan(0);
  }, 60000);

  test("fast-check's own replay (seed, path, replayPath) finds the same counterexample at once", async () => {
    const first = await property('builtin:mutant=subtree-ignored', version);
    const f = first.failure!;
    const again = await property('builtin:mutant=subtree-ignored', version, { path: f.path, replayPath: f.replayPath, seed: f.seed });
    expect(again.failure?.clauseIds).toEqual(f.clauseIds);
    expect(again.failure?.steps.map((s) => s.text)).toEqual(f.steps.map((s) => s.text));
    expect(again.runs).toBe(0);
  }, 60000);
});

test('a file that is not a replay file is refused with a clear message', async () => {
  const path = join(tempDir(), 'x.json');
  writeFileSync(path, JSON.stringify({ seed: 1 }));
  await expect(replayFile(path)).rejects.toThrow(ReplayFileError);
  await expect(replayFile(path)).rejects.toThrow(/not a property replay file/);
});
