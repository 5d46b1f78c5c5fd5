import { assessAgainstTarget, clockByListData, clockOf, type FirstResponseStatus } from '../sla/firstResponse.js';
import { defineFact, requireKind } from './define.js';

/**
 * Where an issue stands against its first-response target at the run's clock: off the
 * clock when it is no request (read from list data first, then the team and the author's
 * account), else from the notes written by then. The SLA rule, its job and the weekly review
 * (as of the end of its week, `FactsLoader.at`) all read it here. An issue off the clock
 * costs no read of its notes.
 */
export const firstResponseFact = defineFact({
  description: "an issue's first-response status at the run's clock (off the clock for no request; else its notes up to then, the Support team, the bot)",
  scope: 'subject',
  stage: 2,
  param: (subject, _config, _instanceUrl, now) => ({ subject: requireKind(subject, 'issue', 'firstResponse'), now }),
  key: ({ subject, now }) => `${subject.project.id}#${subject.issue.iid}@${now.toISOString()}`,
  async load({ subject, now }, deps): Promise<FirstResponseStatus> {
    const { config } = deps;
    const byList = clockByListData(subject, config);
    if (!byList.on) return { state: 'off-the-clock', why: byList.why };
    const teamMembers = await deps.fact('teamMembers', subject);
    // The team settles a member's issue: their account (GitLab's bot flag) need not be read.
    const ofTheTeam = teamMembers.has(subject.issue.author.username);
    const authorAccount = ofTheTeam ? ({ integration: false } as const) : await deps.fact('authorAccount', subject);
    const clock = clockOf(subject, { teamMembers, authorAccount }, config);
    if (!clock.on) return { state: 'off-the-clock', why: clock.why };
    const [notes, me] = await Promise.all([deps.fact('notes', subject), deps.fact('botUser', subject)]);
    const written = notes.filter((n) => n.createdAt <= now);
    return assessAgainstTarget(subject.issue, clock.target, { notes: written, teamMembers, botUsername: me.username }, config, now);
  },
});
