import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: emulator-backed suites are I/O bound, run them side by side but not more.
    maxWorkers: 2,
  },
});
