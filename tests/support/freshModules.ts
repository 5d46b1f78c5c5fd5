import { vi } from 'vitest';

// Runs before each test file (vitest.config.ts: setupFiles). Workers are reused across
// files (isolate: false), and so is what they imported: forgetting the module registry
// here makes each test file import the bot's modules (everything under src/ and tests/)
// afresh. Only node_modules, which vitest leaves to Node, are shared.
vi.resetModules();
