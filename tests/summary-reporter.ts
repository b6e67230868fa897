// Ends the test output with one plain line, "N passed, N failed[, N skipped]", that any CI
// log reader understands, computed from vitest's own results. A file or suite that fails
// outside a test (a failing beforeAll: an emulator that cannot start) leaves its tests
// unrun: those count as failed, never as skipped, and the failed files are named above
// the line, so the summary can never look green over a broken file.
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason } from 'vitest/node';

/** Did a suite or the file around this test fail, so that the test never ran? */
function brokenAround(test: TestCase): boolean {
  for (let p: TestCase['parent'] | undefined = test.parent; p; p = p.type === 'suite' ? p.parent : undefined) {
    if (p.state() === 'failed') return true;
    if (p.type === 'module') break;
  }
  return false;
}

export function summarize(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const brokenFiles: string[] = [];
  for (const m of testModules) {
    let failedHere = 0;
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'failed' || (t.options.mode === 'run' && brokenAround(t))) { counts.failed++; failedHere++; }
      else counts.skipped++;
    }
    // A file that fails to load, or fails after its tests, still fails the run.
    if (m.state() === 'failed') {
      brokenFiles.push(m.moduleId);
      if (failedHere === 0) counts.failed++;
    }
  }
  counts.failed += unhandledErrors.length;
  return { counts, brokenFiles };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, _reason: TestRunEndReason): void {
    const { counts, brokenFiles } = summarize(testModules, unhandledErrors);
    for (const file of brokenFiles) process.stdout.write(`\nfailed file: ${file}`);
    if (unhandledErrors.length) process.stdout.write(`\n${unhandledErrors.length} error(s) outside any test`);
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}\n`);
  }
}
