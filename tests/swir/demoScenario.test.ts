import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoScenarioHarness } from '../helpers/demo.js';
import { weekInReview } from '../../src/demo/scenarios/swir.js';
import { weekContaining } from '../../src/swir/week.js';

describe('demo: Support Week in Review', () => {
  const play = demoScenarioHarness(weekInReview);

  it('publishes the week once, writes out/swir-<week>.md, and writes nothing on the next run', async () => {
    const { lines, outDir } = await play();
    const week = weekContaining(new Date(), 'UTC').key;
    const file = join(outDir, `swir-${week}.md`);
    expect(existsSync(file)).toBe(true);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toContain('From next week, the SWIR is an issue, not a document');
    expect(markdown).toMatch(/Support: how to flag a topic for the Week in Review\]\([^)]*\) \(handbook!\d+, by bruno\): approval artifact present/);
    const runs = lines.filter((l) => /^\s*swir: /.test(l));
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatch(/issue published, 1 topic, .* 1 writes/);
    expect(runs[1]).toMatch(/issue unchanged, .* 0 writes/);
    // The transcript shows the review's opening section, with the change still waiting for its artifact, named without @.
    const shown = lines.filter((l) => l.startsWith('    | '));
    expect(shown).toContain('    | ## Needs attention');
    expect(shown.some((l) => /new escalation path for Contact Requests\]\([^)]*\) \(handbook!\d+, by chen\)/.test(l))).toBe(true);
    expect(shown.join('\n')).not.toMatch(/(?<![\w.])@[\w]/);
  });
});
