// The Jest test runner of the conformance suites (Jest's `testRunner` option). A suite file only declares
// tests that record observations and throw on a FAIL or ERROR: it needs describe, test, test.skip and
// afterAll, run in order, each test within its time limit. jest-circus gives far more (expect, snapshots,
// hooks of every kind, retries) and loads all of it again into every test file's sandbox, which costs
// more than most sections take to judge. Jest still schedules the files over its workers, reports and
// collects the results; a suite file still runs under plain Jest and jest-circus, unchanged.
import type { JestEnvironment } from '@jest/environment';
import { createEmptyTestResult, type AssertionResult, type TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import type Runtime from 'jest-runtime';

type Body = () => unknown;

interface Declared {
  title: string;
  ancestors: string[];
  /** Absent: a skipped test. */
  fn?: Body;
  timeoutMs?: number;
}

interface Hook {
  fn: Body;
  timeoutMs?: number;
}

/** What the runner gives a suite file in place of Jest's globals. */
function declarations(): { tests: Declared[]; afterAll: Hook[]; globals: Record<string, unknown> } {
  const tests: Declared[] = [];
  const afterAll: Hook[] = [];
  const stack: string[] = [];
  const describe = (title: string, body: () => void): void => {
    stack.push(title);
    try {
      body();
    } finally {
      stack.pop();
    }
  };
  const test = Object.assign(
    (title: string, fn: Body, timeoutMs?: number): void => void tests.push({ title, ancestors: [...stack], fn, timeoutMs }),
    { skip: (title: string): void => void tests.push({ title, ancestors: [...stack] }) },
  );
  const unsupported = (name: string) => () => {
    throw new Error(`${name} is not supported by the conformance suite runner (harness/runner/suite-runner.ts)`);
  };
  const hook = (fn: Body, timeoutMs?: number): void => void afterAll.push({ fn, timeoutMs });
  const globals = {
    describe,
    test,
    it: test,
    afterAll: hook,
    beforeAll: unsupported('beforeAll'),
    beforeEach: unsupported('beforeEach'),
    afterEach: unsupported('afterEach'),
    expect: unsupported('expect'),
  };
  return { tests, afterAll, globals };
}

/** Runs `fn` to its end or its time limit; resolves to the error it threw, or undefined. */
async function within(fn: Body, timeoutMs: number, what: string): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new Error(`Exceeded timeout of ${timeoutMs} ms for ${what}.`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(fn).then(() => undefined), late]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: Error): string {
  return error.stack && !error.stack.startsWith(error.message) ? `${error.message}\n${error.stack}` : (error.stack ?? error.message);
}

export default async function suiteRunner(
  globalConfig: Config.GlobalConfig,
  _config: Config.ProjectConfig,
  environment: JestEnvironment,
  runtime: Runtime,
  testPath: string,
): Promise<TestResult> {
  const { tests, afterAll, globals } = declarations();
  runtime.setGlobalsForRuntime(globals as never);
  Object.assign(environment.global, globals);
  const result = createEmptyTestResult();
  try {
    runtime.requireModule(testPath);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ...result, testFilePath: testPath, testExecError: { message: e.message, stack: e.stack ?? '' }, failureMessage: messageOf(e) };
  }
  const defaultTimeout = globalConfig.testTimeout ?? 5000;
  const failures: string[] = [];
  for (const declared of tests) {
    const fullName = [...declared.ancestors, declared.title].join(' ');
    const base: AssertionResult = {
      ancestorTitles: declared.ancestors,
      failureDetails: [],
      failureMessages: [],
      fullName,
      numPassingAsserts: 0,
      status: 'pending',
      title: declared.title,
    };
    if (!declared.fn) {
      result.numPendingTests++;
      result.testResults.push(base);
      continue;
    }
    const start = Date.now();
    const error = await within(declared.fn, declared.timeoutMs ?? defaultTimeout, 'a test');
    const assertion: AssertionResult = { ...base, duration: Date.now() - start, invocations: 1, status: error ? 'failed' : 'passed' };
    if (error) {
      assertion.failureMessages = [messageOf(error)];
      failures.push(`● ${fullName}\n\n${messageOf(error)}`);
      result.numFailingTests++;
    } else {
      result.numPassingTests++;
    }
    result.testResults.push(assertion);
  }
  let hookError: Error | undefined;
  for (const hook of afterAll) {
    const error = await within(hook.fn, hook.timeoutMs ?? defaultTimeout, 'an afterAll hook');
    if (error) failures.push(`● afterAll\n\n${messageOf(error)}`);
    hookError ??= error;
  }
  result.failureMessage = failures.length ? failures.join('\n\n') : null;
  // A failed teardown (a target that will not dispose) is the file's error, as jest-circus has it.
  if (hookError) result.testExecError = { message: `afterAll: ${hookError.message}`, stack: hookError.stack ?? '' };
  return result;
}
