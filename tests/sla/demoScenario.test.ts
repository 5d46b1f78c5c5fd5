import { describe, expect, it } from 'vitest';
import { demoScenarioHarness } from '../helpers/demo.js';
import { firstResponseTargets } from '../../src/demo/scenarios/sla.js';

describe('demo: first-response targets', () => {
  const play = demoScenarioHarness(firstResponseTargets);

  it('labels the breached and at-risk requests once, changes nothing on the next run, and clears the answered one', async () => {
    const { lines, transcript } = await play();
    const runs = lines.filter((l) => /^\s*sla: /.test(l));
    expect(runs).toHaveLength(3);
    expect(runs[0]).toMatch(/2 changed, .*; first response: 1 at risk, 1 breached, 0 answered/);
    expect(runs[1]).toMatch(/0 changed, 0 writes/);
    expect(runs[2]).toMatch(/1 changed, .*; first response: 1 at risk, 0 breached, 1 answered/);
    expect(transcript).toMatch(/labels \[[^\]]*sla::breached/);
    expect(transcript).toMatch(/labels \[[^\]]*sla::at-risk/);
    expect(transcript).not.toMatch(/@gitlab-com\/support\b/);
    // The one breach note mentions its assignee; the at-risk request and the team member's own issue get none.
    expect(transcript.match(/@dana this \*\*Contact Request\*\* has no first response/g)).toHaveLength(1);
    expect(transcript).not.toMatch(/at risk.*@/);
  });
});
