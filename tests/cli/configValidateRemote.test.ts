import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

// GitLab matches label titles exactly, so a configured label that differs in case from the
// project's never matches: `config validate --remote` makes that visible.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  const feedback = sandbox.store.requireProject('gitlab-com/support/feedback');
  for (const label of [
    'template::none',
    'triage::needs-info',
    'Triage::Ready',
    'redirect::request-form',
    'sensitive-data',
    'sensitive-data-reviewed',
    'sla::at-risk',
    'sla::breached',
    'template::indirect-feedback',
    'approval::present',
    'approval::missing',
    'dormant::eligible',
    'dormant::not-eligible',
    'dormant::pending-contact',
    'dormant::user-not-found',
    'SWIR',
  ]) {
    sandbox.store.ensureLabel(feedback.id, label);
  }
  // The bot only has project roles here, not a membership of the team group.
  const support = sandbox.store.findGroupByPath('gitlab-com/support')!;
  const bot = sandbox.store.findUserByUsername('support-bot')!;
  sandbox.store.members.splice(
    sandbox.store.members.findIndex((m) => m.sourceType === 'group' && m.sourceId === support.id && m.userId === bot.id),
    1,
  );
});
afterAll(() => sandbox.close());

describe('support-bot config validate --remote', () => {
  it('warns about each configured label a project lacks (naming one that differs only in case) and about a team group the bot is not in', async () => {
    const result = await runCli(['config', 'validate', '--remote'], { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });
    expect(result.code, result.stderr).toBe(0);
    const feedback = result.stdout.split('\n').filter((l) => l.includes('projects.feedback'));
    expect(feedback).toEqual([
      'warning: projects.feedback (gitlab-com/support/feedback) has no label "triage::ready" (labels.ready) but has "Triage::Ready": GitLab matches labels exactly, so change one to match the other',
    ]);
    expect(result.stdout).toContain(
      'warning: projects.internal-requests (gitlab-com/support/internal-requests) has no label "template::contact-request" (labels.templatePrefix + templates[0].slug)',
    );
    expect(result.stdout).toContain('warning: @support-bot is not a member of sla.teamGroup gitlab-com/support: members of its private subgroups will not count as the team');
    expect(result.stdout).toMatch(/remote: 4 projects checked, \d+ warning\(s\)/);
  });
});
