import { defineFact } from './define.js';

/** Usernames of the Support team: direct members of `sla.teamGroup` and of its subgroups (cached by the bot). */
export const teamMembersFact = defineFact({
  description: 'usernames of the Support team (sla.teamGroup and its subgroups)',
  scope: 'run',
  param: (_subject, config) => config.sla.teamGroup,
  key: (group) => group,
  load: (_group, { team }): Promise<Set<string>> => team(),
});
