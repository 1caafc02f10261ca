import { INTERRUPT_BUDGET, tierFor, tierForShortRuns } from '../../harness/runner/tiering';

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

describe('tierFor: the budget by command', () => {
  const flagsFor = (argv: string[]): string[] => {
    const set: string[] = [];
    tierFor(argv, [], (f) => set.push(f));
    return set;
  };

  test.each([
    [['run', '--seed', '1']],
    [['serve', '--listen', 'stdio']],
    [['serve', '--listen=stdio', '--mutant', 'x']],
    [['serve', '--', '--listen', 'tcp:127.0.0.1:0']],
    [['list']],
  ])('short runs get the raised budget: %j', (argv) => {
    expect(flagsFor(argv)).toEqual([`--interrupt-budget=${INTERRUPT_BUDGET}`]);
  });

  test.each([
    [['serve', '--listen', 'tcp:127.0.0.1:0']],
    [['serve', '--listen', 'dcerpc:127.0.0.1:0', '--user', 'CLUSTER\\bench']],
    [['serve', '--listen=dcerpc:127.0.0.1:5000', '--node', 'A', '--listen', 'dcerpc:127.0.0.1:5001', '--node', 'B']],
  ])("a server listening on a port keeps V8's own: %j", (argv) => {
    expect(flagsFor(argv)).toEqual([]);
  });
});

