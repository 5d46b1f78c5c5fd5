import { integrationByName } from '../sla/integrations.js';
import { defineFact, requireKind } from './define.js';
import { TEAM_KEEP_MS } from './teamMembers.js';

/** Whether an issue's author is a person or an integration (the bot, an access token, a bot user, a listed account). */
export type AuthorAccount = { integration: false } | { integration: true; why: string };

/**
 * An issue's author as a person or an integration. By name first (`sla.ignoreAuthors`,
 * access-token users), then the bot itself, then GitLab's `bot` flag (`GET /users/:id`,
 * one read per author, kept like the team): integrations file issues that are not requests.
 */
export const authorAccountFact = defineFact({
  description: "whether an issue's author is an integration (sla.ignoreAuthors, an access token, the bot, GitLab's bot flag)",
  scope: 'run',
  keepMs: TEAM_KEEP_MS,
  param: (subject) => ({ subject: requireKind(subject, 'issue', 'authorAccount') }),
  key: ({ subject }) => `user:${subject.issue.author.id}`,
  async load({ subject }, deps): Promise<AuthorAccount> {
    const { author } = subject.issue;
    const byName = integrationByName(author, deps.config);
    if (byName) return { integration: true, why: byName };
    const me = await deps.fact('botUser', subject);
    if (me.username === author.username) return { integration: true, why: `@${author.username} is the bot` };
    if ((await deps.gateway.isBotUser(author.id)) === true) return { integration: true, why: `@${author.username} is a bot user` };
    return { integration: false };
  },
});
