import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { runDemo } from '../../src/demo/run.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { scenarios } from '../../src/demo/scenarios/index.js';
import type { DemoContext, DemoScenario } from '../../src/demo/types.js';

/**
 * For a demo scenario's test file: checks that the scenario is in the demo, and returns a
 * runner that plays it alone into a temporary `out` directory (removed after each test).
 */
export function demoScenarioHarness(scenario: DemoScenario): () => Promise<{ lines: string[]; transcript: string; outDir: string }> {
  let outDir: string | undefined;
  afterEach(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    outDir = undefined;
  });
  it('is one of the demo scenarios', () => {
    expect(scenarios).toContain(scenario);
  });
  return async () => {
    outDir = mkdtempSync(join(tmpdir(), 'demo-scenario-'));
    const lines: string[] = [];
    await runDemo({ outDir, print: (line) => lines.push(line), scenarios: [scenario] });
    return { lines, transcript: lines.join('\n'), outDir };
  };
}

/** One stack (sandbox, webhook server, bot) and its demo actors for a whole test file, handed to `use` once started and closed after the file. */
export function useDemoStack(options: Parameters<typeof startStack>[0], use: (stack: Stack, demo: DemoContext) => void): void {
  let started: Stack | undefined;
  beforeAll(async () => {
    started = await startStack(options);
    use(
      started,
      createDemoContext(started, 'out', () => {}),
    );
  });
  afterAll(() => started?.close());
}
