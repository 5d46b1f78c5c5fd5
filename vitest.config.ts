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
    // A fresh process per test file imported the same dependencies (gitbeaker, zod,
    // express...) once per file: about half the suite's CPU. Workers are reused instead,
    // and tests/support/freshModules.ts gives each file fresh copies of the bot's own
    // modules, so their state (secrets registered for redaction, caches) never carries
    // from one file to the next.
    isolate: false,
    setupFiles: ['tests/support/freshModules.ts', 'tests/support/groupMentionGuard.ts'],
    globalSetup: ['tests/support/freshBuild.ts'],
    reporters: ['default', './tests/support/summaryReporter.ts'],
  },
});
