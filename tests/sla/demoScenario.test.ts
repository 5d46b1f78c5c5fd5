import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run.js';
import { scenarios } from '../../src/demo/scenarios/index.js';
import { firstResponseTargets } from '../../src/demo/scenarios/sla.js';

let outDir: string | undefined;
afterEach(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  outDir = undefined;
});

describe('demo: first-response targets', () => {
  it('is one of the demo scenarios', () => {
    expect(scenarios).toContain(firstResponseTargets);
  });

  it('labels the breached and at-risk requests once, changes nothing on the next run, and clears the answered one', async () => {
    outDir = mkdtempSync(join(tmpdir(), 'sla-demo-'));
    const lines: string[] = [];
    await runDemo({ outDir, print: (line) => lines.push(line), scenarios: [firstResponseTargets] });
    const transcript = lines.join('\n');
    const runs = lines.filter((l) => /^\s*sla: /.test(l));
    expect(runs).toHaveLength(3);
    expect(runs[0]).toMatch(/2 changed, .*; first response: 1 at risk, 1 breached, 0 answered/);
    expect(runs[1]).toMatch(/0 changed, 0 writes/);
    expect(runs[2]).toMatch(/1 changed, .*; first response: 1 at risk, 0 breached, 1 answered/);
    expect(transcript).toMatch(/labels \[[^\]]*sla::breached/);
    expect(transcript).toMatch(/labels \[[^\]]*sla::at-risk/);
    expect(transcript.match(/@gitlab-com\/support/g)?.length).toBe(2);
  });
});
