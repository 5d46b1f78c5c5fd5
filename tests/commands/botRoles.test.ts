import { describe, expect, it } from 'vitest';
import { commentRedactionWarning } from '../../src/commands/botRoles.js';
import { buildScope, defaultConfig } from '../helpers/builders.js';

// Editing another user's comment is `admin_note`, enabled from Maintainer in
// app/policies/project_policy.rb: below it, a secret in someone else's merge request comment
// cannot be redacted by the bot.
describe('commentRedactionWarning', () => {
  const warn = (level: number | undefined, visibility: 'public' | 'private' = 'public', config = defaultConfig) =>
    commentRedactionWarning(buildScope('handbook', { visibility, accessLevel: level }, config), config, 'support-bot');

  it('warns below Maintainer in a public project, and is silent from Maintainer up', () => {
    expect(warn(30)).toContain("@support-bot has the Developer role; it cannot redact secrets in other people's comments");
    expect(warn(0)).toContain('@support-bot is not a member (of the project or its groups)');
    expect(warn(40)).toBeNull();
    expect(warn(50)).toBeNull();
  });

  it('is silent where the merge request rule does not run (a private project, the rule switched off) or GitLab did not say the role', () => {
    expect(warn(30, 'private')).toBeNull();
    expect(warn(undefined)).toBeNull();
    const off = { ...defaultConfig, rules: { ...defaultConfig.rules, 'sensitive-data-merge-requests': { enabled: false } } };
    expect(warn(30, 'public', off)).toBeNull();
  });
});
