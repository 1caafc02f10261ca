import { createBuiltinTarget } from '../../harness/target/builtin';
import { runAllSequences } from '../../harness/sequence/run-all';
import { withInbandStimuli } from '../../harness/stimulus/inband';
import type { Target } from '../../cmrp/contract';
jest.setTimeout(600000);
const T = { callMs: 2000, readMs: 300 };
function verdicts(obs: { clause: string; outcome: string }[]) {
  const m = new Map<string, string>();
  const rank = ['error', 'fail', 'inconclusive', 'not-tested', 'pass'];
  for (const o of obs) { const c = m.get(o.clause); if (!c || rank.indexOf(o.outcome) < rank.indexOf(c)) m.set(o.clause, o.outcome); }
  return m;
}
it.each([3] as const)('v%s', async (v) => {
  const base = createBuiltinTarget();
  const ctl = verdicts(await runAllSequences(base, v, T));
  await base.dispose();
  const b2 = createBuiltinTarget();
  const noControl: Target = { ...b2, control: undefined, connect: (o) => b2.connect(o), dispose: () => b2.dispose() };
  const inb = await runAllSequences(withInbandStimuli(noControl, { protocolVersion: v, callMs: 2000 }), v, T);
  const ib = verdicts(inb);
  const judged = (m: Map<string, string>) => [...m.values()].filter((x) => x === 'pass' || x === 'fail').length;
  const lines: string[] = [];
  const why = new Map<string, number>();
  for (const [c, o] of ctl) if (ib.get(c) !== o && (o === 'pass' || o === 'fail')) { const msg = inb.find((x) => x.clause === c && x.outcome === ib.get(c))?.message ?? ''; const k = `${ib.get(c)} ${msg.replace(/^[^:]*: /, '').slice(0, 150)}`; why.set(k, (why.get(k) ?? 0) + 1); }
  for (const [k, n] of [...why].sort((a, b) => b[1] - a[1])) lines.push(`${n} ${k}`);
  const fails = inb.filter((o) => o.outcome === 'fail' || o.outcome === 'error').map((o) => `${o.clause} ${o.outcome} ${o.message}`);
  console.log(`v${v} judged control ${judged(ctl)} inband ${judged(ib)}\n` + fails.join('\n') + '\n----\n' + lines.join('\n'));
});
