import type { BotConfig } from '../config/schema.js';
import type { ProjectScope } from '../subjects.js';

// doc/user/permissions.md: the roles the bot's writes need, as GitLab's access levels.
const ROLE_NAMES: Record<number, string> = { 0: 'no role', 5: 'Minimal Access', 10: 'Guest', 15: 'Planner', 20: 'Reporter', 30: 'Developer', 40: 'Maintainer', 50: 'Owner' };
const REPORTER = 20;
const DEVELOPER = 30;

function roleName(level: number): string {
  return ROLE_NAMES[level] ?? `access level ${level}`;
}

/**
 * What `config validate --remote` says when the bot's role in a project is below what its
 * features there need: Reporter to label issues and make them confidential (a lower role's
 * changes are dropped by GitLab without an error), Developer to set commit statuses in
 * `approvals.scope`. Silent when GitLab did not say (no `permissions` in its answer).
 */
export function botRoleWarning(scope: ProjectScope, config: BotConfig, username: string): string | null {
  if (scope.accessLevel === undefined) return null;
  const needs: { level: number; why: string }[] = [];
  if (scope.config.issues) needs.push({ level: REPORTER, why: 'label issues and make them confidential' });
  if (config.approvals.scope.some((s) => s.project === scope.key)) needs.push({ level: DEVELOPER, why: 'set the approval commit status' });
  const needed = needs.filter((n) => scope.accessLevel! < n.level);
  if (needed.length === 0) return null;
  const level = Math.max(...needed.map((n) => n.level));
  const has = scope.accessLevel === 0 ? 'is not a member (of the project or its groups)' : `has the ${roleName(scope.accessLevel)} role`;
  const uses = needed.map((n) => `${roleName(n.level)} to ${n.why}`).join(', ');
  return `warning: projects.${scope.key} (${scope.path}): @${username} ${has}; it needs ${roleName(level)} or higher (${uses}): GitLab drops what a lower role may not change without an error`;
}
