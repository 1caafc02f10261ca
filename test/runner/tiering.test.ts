import { INTERRUPT_BUDGET, tierForShortRuns } from '../../harness/runner/tiering';

describe('tierForShortRuns (harness/runner/tiering.ts)', () => {
  test('raises the interrupt budget above V8 own default', () => {
    const set: string[] = [];
    tierForShortRuns(['--stack-size=984'], (f) => set.push(f));
    expect(set).toEqual([`--interrupt-budget=${INTERRUPT_BUDGET}`]);
    expect(INTERRUPT_BUDGET).toBeGreaterThan(132 * 1024);
  });

  test.each(['--interrupt-budget=100000', '--interrupt_budget=100000', '--interrupt-budget'])('leaves a budget Node was started with (%s) as it is', (flag) => {
    const set: string[] = [];
    tierForShortRuns([flag], (f) => set.push(f));
    expect(set).toEqual([]);
  });

  test('does not mistake another flag for the budget', () => {
    const set: string[] = [];
    tierForShortRuns(['--interrupt-budget-for-feedback-allocation=10'], (f) => set.push(f));
    expect(set).toHaveLength(1);
  });
});
