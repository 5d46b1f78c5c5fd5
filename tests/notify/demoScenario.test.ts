import { describe, expect, it } from 'vitest';
import { slackAnnouncements } from '../../src/demo/scenarios/slack.js';
import { demoScenarioHarness } from '../helpers/demo.js';

describe('demo: Slack announcements', () => {
  const play = demoScenarioHarness(slackAnnouncements);

  it('shows each message once in the transcript: escaped, the issue made confidential without its title, the sweep catching up', async () => {
    const { transcript, lines } = await play();
    const messages = lines.filter((l) => l.startsWith('slack #internal-requests-new ← '));
    expect(messages).toHaveLength(4);
    expect(messages[0]).toContain('New issue in gitlab-com/support/internal-requests: Access request: Zendesk light agent for &lt;Sam&gt; &amp; team @\u200bchannel');
    expect(transcript).toContain('>Please add me as a light agent for the EMEA queue.');
    expect(messages[1]).toMatch(/New issue: a confidential issue in gitlab-com\/support\/internal-requests http/);
    expect(messages.join('\n')).not.toMatch(/Initech|glpat-/);
    expect(transcript).toContain('messages in #internal-requests-new so far: 1');
    expect(transcript).toContain('the sweeps sent 2 messages; #internal-requests-new has 4 in all, one per issue');
  });
});
