import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default in a run is one worker fewer than the cores: on a 2-core machine,
    // one worker, every file in turn (measured: vitest 190-200 s). One per core.
    maxWorkers: availableParallelism(),
    reporters: ['default', './tests/support/summaryReporter.ts'],
  },
});
