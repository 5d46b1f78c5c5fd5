import { describe, expect, it } from 'vitest';
import { demoScenarioHarness } from '../helpers/demo.js';
import { dormantNamespaces } from '../../src/demo/scenarios/dormant.js';

describe('demo: dormant namespaces', () => {
  const play = demoScenarioHarness(dormantNamespaces);

  it('shows one request in each state and a dry-run rename that renames nobody', async () => {
    const { transcript } = await play();
    for (const label of ['dormant::needs-admin', 'dormant::eligible', 'dormant::pending-contact', 'dormant::not-eligible', 'dormant::user-not-found']) {
      expect(transcript).toMatch(new RegExp(`labels \\[[^\\]]*${label}`));
    }
    expect(transcript).toContain('is a group, not a user');
    expect(transcript).toContain('needs an administrator: 3 of 4 criteria cannot be verified with this token');
    expect(transcript).toContain('2 of 4 contact attempts; the window closes on');
    expect(transcript).toMatch(/would write: rename user @coolname to @idlecoolname/);
    expect(transcript).toMatch(/renameUser user \d+ username="idlecoolname"/);
    expect(transcript).toContain('@coolname is still @coolname');
  });
});
