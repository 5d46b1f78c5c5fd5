import type { BotConfig } from '../config/schema.js';
import { sameUsername } from '../gitlab/usernames.js';
import type { Issue, Note } from '../gitlab/types.js';
import { businessHoursBetween } from './businessHours.js';
import { firstResponseTarget, type FirstResponseTarget } from './target.js';

export interface FirstResponseFacts {
  notes: readonly Note[];
  /** Usernames of the Support team (`sla.teamGroup`). */
  teamMembers: ReadonlySet<string>;
  botUsername: string;
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

export type FirstResponseState = 'answered' | 'breached' | 'at-risk' | 'on-track';

export type FirstResponseStatus = { target: FirstResponseTarget } & ({ state: 'answered'; response: Note; businessHours: number } | { state: 'breached' | 'at-risk' | 'on-track' });

/** Where an issue stands against its first-response target at `now`. */
export function assessFirstResponse(issue: Issue, facts: FirstResponseFacts, config: BotConfig, now: Date): FirstResponseStatus {
  const target = firstResponseTarget(issue, config);
  const response = findFirstResponse(issue, facts);
  if (response) {
    return { target, state: 'answered', response, businessHours: businessHoursBetween(issue.createdAt, response.createdAt, config.sla) };
  }
  const state = now >= target.dueAt ? 'breached' : now >= target.atRiskAt ? 'at-risk' : 'on-track';
  return { target, state };
}
