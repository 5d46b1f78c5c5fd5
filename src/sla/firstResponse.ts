import type { BotConfig } from '../config/schema.js';
import { sameUsername } from '../gitlab/usernames.js';
import type { AuthorAccount } from '../facts/authorAccount.js';
import type { Issue, Note } from '../gitlab/types.js';
import type { IssueSubject } from '../subjects.js';
import { requestFormMatch } from '../templates/requestForm.js';
import { businessHoursBetween } from './businessHours.js';
import { integrationByName } from './integrations.js';
import { firstResponseTarget, type FirstResponseTarget } from './target.js';

export interface FirstResponseFacts {
  notes: readonly Note[];
  /** Usernames of the Support team (`sla.teamGroup`). */
  teamMembers: ReadonlySet<string>;
  botUsername: string;
}

/** Who wrote the issue, as far as the clock cares. */
export interface AuthorFacts {
  teamMembers: ReadonlySet<string>;
  authorAccount: AuthorAccount;
}

/** Whether an issue is a request on the first-response clock: its target, or why not. */
export type Clock = { on: true; target: FirstResponseTarget } | { on: false; why: string };

/**
 * The clock from list data alone: a template with a first-response target, not redirected
 * to the request form (labelled so, or asking for it), not written by an integration its
 * name gives away. The rest (the team, GitLab's `bot` flag) needs `clockOf`.
 */
export function clockByListData(subject: IssueSubject, config: BotConfig): Clock {
  const { issue } = subject;
  const target = firstResponseTarget(issue, config);
  if (!target) return { on: false, why: 'no template with a first-response target' };
  if (issue.labels.includes(config.labels.redirectRequestForm) || requestFormMatch(subject, config)) return { on: false, why: 'redirected to the request form' };
  const integration = integrationByName(issue.author, config);
  if (integration) return { on: false, why: integration };
  return { on: true, target };
}

/**
 * The clock runs only on requests: issues whose template sets a first-response target,
 * written by someone outside the Support team and not by an integration (the bot, an
 * access token, a bot user, `sla.ignoreAuthors`), and not redirected to the request form.
 */
export function clockOf(subject: IssueSubject, facts: AuthorFacts, config: BotConfig): Clock {
  const clock = clockByListData(subject, config);
  if (!clock.on) return clock;
  const { author } = subject.issue;
  if (facts.authorAccount.integration) return { on: false, why: facts.authorAccount.why };
  if (facts.teamMembers.has(author.username)) return { on: false, why: `written by @${author.username} of the Support team` };
  return clock;
}

/**
 * The first response: the earliest non-system note by a Support team member who is
 * neither the issue's author nor the bot. Internal notes count (the team has answered).
 */
export function findFirstResponse(issue: Pick<Issue, 'author'>, facts: FirstResponseFacts): Note | undefined {
  let first: Note | undefined;
  for (const note of facts.notes) {
    const who = note.author.username;
    if (note.system || sameUsername(who, issue.author.username) || sameUsername(who, facts.botUsername) || !facts.teamMembers.has(who)) continue;
    if (!first || note.createdAt < first.createdAt) first = note;
  }
  return first;
}

export type FirstResponseState = 'answered' | 'breached' | 'at-risk' | 'on-track' | 'off-the-clock';

export type FirstResponseStatus =
  | { state: 'off-the-clock'; why: string }
  | ({ target: FirstResponseTarget } & ({ state: 'answered'; response: Note; businessHours: number } | { state: 'breached' | 'at-risk' | 'on-track' }));

/** Where a request on the clock stands against its target at `now`. */
export function assessAgainstTarget(issue: Issue, target: FirstResponseTarget, facts: FirstResponseFacts, config: BotConfig, now: Date): FirstResponseStatus {
  const response = findFirstResponse(issue, facts);
  if (response) {
    return { target, state: 'answered', response, businessHours: businessHoursBetween(issue.createdAt, response.createdAt, config.sla) };
  }
  const state = now >= target.dueAt ? 'breached' : now >= target.atRiskAt ? 'at-risk' : 'on-track';
  return { target, state };
}

/** Where an issue stands at `now`: off the clock (and why), or against its target. */
export function assessFirstResponse(subject: IssueSubject, facts: FirstResponseFacts & AuthorFacts, config: BotConfig, now: Date): FirstResponseStatus {
  const clock = clockOf(subject, facts, config);
  if (!clock.on) return { state: 'off-the-clock', why: clock.why };
  return assessAgainstTarget(subject.issue, clock.target, facts, config, now);
}
