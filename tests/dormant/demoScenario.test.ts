import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run.js';
import { scenarios } from '../../src/demo/scenarios/index.js';
import { dormantNamespaces } from '../../src/demo/scenarios/dormant.js';

let outDir: string | undefined;
afterEach(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  outDir = undefined;
});

describe('demo: dormant namespaces', () => {
  it('is one of the demo scenarios', () => {
    expect(scenarios).toContain(dormantNamespaces);
  });

  it('shows one request in each state and a dry-run rename that renames nobody', async () => {
    outDir = mkdtempSync(join(tmpdir(), 'dormant-demo-'));
    const lines: string[] = [];
    await runDemo({ outDir, print: (line) => lines.push(line), scenarios: [dormantNamespaces] });
    const transcript = lines.join('\n');
    for (const label of ['dormant::eligible', 'dormant::pending-contact', 'dormant::not-eligible', 'dormant::user-not-found']) {
      expect(transcript).toMatch(new RegExp(`labels \\[[^\\]]*${label}`));
    }
    expect(transcript).toContain('is a group, not a user');
    expect(transcript).toContain('2 of 4 contact attempts; the window closes on');
    expect(transcript).toMatch(/would write: rename user @coolname to @idlecoolname/);
    expect(transcript).toMatch(/renameUser user \d+ username="idlecoolname"/);
    expect(transcript).toContain('@coolname is still @coolname');
  });
});
