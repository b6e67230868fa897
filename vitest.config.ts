import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/summary-reporter.ts'],
    // One DynamoDB Local (a JVM) for the run, started when a store contract first asks for it.
    globalSetup: ['./tests/fixtures/dynamodb-local-broker.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: emulator-backed suites are I/O bound, run them side by side but not more.
    maxWorkers: 2,
    // A worker's test files share its loaded modules (the AWS SDK, exceljs, CDK load once per
    // worker, not once per file: a third of the run). Safe because the functions keep their
    // clients per settings (functions/commons/deps.ts) and tests restore what they change.
    isolate: false,
    // Lambda's JSON logs and EMF metrics would drown the test output (a test may turn them on).
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
