import type { UserRef } from '../gitlab/types.js';

/** An account that can act: GitLab's `active` (a state GitLab did not send counts as active). */
export function isActive(user: UserRef): boolean {
  return user.state === undefined || user.state === 'active';
}
