import { collect } from '../gitlab/collect.js';
import { UsernameSet } from '../gitlab/usernames.js';
import { defineRunWideFact } from './define.js';

/** How long `serve` keeps the team between events: listing a group and its subgroups costs several requests. */
export const TEAM_KEEP_MS = 10 * 60 * 1000;

/**
 * Usernames of the Support team: direct members of `sla.teamGroup` and of its subgroups.
 * The one team list of the bot: rules, the SLA job and the weekly review all read it here.
 */
export const teamMembersFact = defineRunWideFact({
  description: 'usernames of the Support team (sla.teamGroup and its subgroups)',
  keepMs: TEAM_KEEP_MS,
  param: (config) => config.sla.teamGroup,
  key: (group) => group,
  load: async (group, { gateway }): Promise<Set<string>> => new UsernameSet((await collect(gateway.listTeamMembers(group))).map((u) => u.username)),
});
