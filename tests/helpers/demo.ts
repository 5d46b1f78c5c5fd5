import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run.js';
import { scenarios } from '../../src/demo/scenarios/index.js';
import type { DemoScenario } from '../../src/demo/types.js';

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
