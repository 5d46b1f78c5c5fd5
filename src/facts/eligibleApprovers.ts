import { collect } from '../gitlab/collect.js';
import type { UserRef } from '../gitlab/types.js';
import { defineFact } from './define.js';

/** An account that can act: GitLab's `active` (a state GitLab did not send counts as active). */
export function isActive(user: UserRef): boolean {
  return user.state === undefined || user.state === 'active';
}

/**
 * Who may approve: the direct members of `approvals.approverGroups` (`/groups/:id/members`,
 * not `/members/all`, which would add everyone inherited from parent groups) and
 * `approvals.approverUsernames`. Read once per run.
 */
export const eligibleApproversFact = defineFact({
  description: 'usernames who may approve Support changes (direct members of approvals.approverGroups, approvals.approverUsernames)',
  scope: 'run',
  param: (_subject, config) => ({ groups: config.approvals.approverGroups, usernames: config.approvals.approverUsernames }),
  key: (p) => JSON.stringify(p),
  async load({ groups, usernames }, { gateway }): Promise<Set<string>> {
    const members = await Promise.all(groups.map((group) => collect(gateway.listGroupMembers(group))));
    // Blocked, banned and deactivated members stay listed (GitLab shows their `state`); they cannot approve.
    return new Set([...usernames, ...members.flat().flatMap((u) => (isActive(u) ? [u.username] : []))]);
  },
});
