// A Jest reporter that reports each finished suite file as a section with its counts.
import type { AggregatedResult, Test, TestResult } from '@jest/reporters';
import { emitProgress } from './progress';

export default class ProgressReporter {
  private done = 0;
  private total = 0;

  onRunStart(results: AggregatedResult): void {
    this.total = results.numTotalTestSuites;
  }

  onTestFileResult(test: Test, result: TestResult): void {
    this.done++;
    const section = result.testResults[0]?.ancestorTitles[0] ?? test.path.replace(/^.*\//, '');
    emitProgress({ section, done: this.done, total: this.total, passed: result.numPassingTests, failed: result.numFailingTests });
  }

  getLastError(): undefined {
    return undefined;
  }
}
