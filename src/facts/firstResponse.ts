import { assessFirstResponse, type FirstResponseStatus } from '../sla/firstResponse.js';
import { defineFact, requireKind } from './define.js';

/**
 * Where an issue stands against its first-response target at the run's clock: the notes
 * written by then, the team and the bot, as the SLA rule judges them. The weekly review
 * asks for it as of the end of its week (`FactsLoader.at`).
 */
export const firstResponseFact = defineFact({
  description: "an issue's first-response status at the run's clock (its notes up to then, the Support team, the bot)",
  scope: 'subject',
  stage: 2,
  param: (subject, _config, _instanceUrl, now) => ({ subject: requireKind(subject, 'issue', 'firstResponse'), now }),
  key: ({ subject, now }) => `${subject.project.id}#${subject.issue.iid}@${now.toISOString()}`,
  async load({ subject, now }, deps): Promise<FirstResponseStatus> {
    const [notes, teamMembers, me] = await Promise.all([deps.fact('notes', subject), deps.fact('teamMembers', subject), deps.fact('botUser', subject)]);
    const written = notes.filter((n) => n.createdAt <= now);
    return assessFirstResponse(subject.issue, { notes: written, teamMembers, botUsername: me.username }, deps.config, now);
  },
});
