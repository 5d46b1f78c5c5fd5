import { collect } from '../gitlab/collect.js';
import { isActive } from '../approvals/accounts.js';
import { UsernameSet } from '../gitlab/usernames.js';
import { defineRunWideFact } from './define.js';

/**
 * Who may approve: the direct members of `approvals.approverGroups` (`/groups/:id/members`,
 * not `/members/all`, which would add everyone inherited from parent groups) and
 * `approvals.approverUsernames`. Read once per run.
 */
export const eligibleApproversFact = defineRunWideFact({
  description: 'usernames who may approve Support changes (direct members of approvals.approverGroups, approvals.approverUsernames)',
  param: (config) => ({ groups: config.approvals.approverGroups, usernames: config.approvals.approverUsernames }),
  key: (p) => JSON.stringify(p),
  async load({ groups, usernames }, { gateway }): Promise<Set<string>> {
    const members = await Promise.all(groups.map((group) => collect(gateway.listGroupMembers(group))));
    // Blocked, banned and deactivated members stay listed (GitLab shows their `state`); they cannot approve.
    return new UsernameSet([...usernames, ...members.flat().flatMap((u) => (isActive(u) ? [u.username] : []))]);
  },
});
