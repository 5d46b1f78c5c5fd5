import type { BotConfig } from '../config/schema.js';
import { ruleRunsIn } from '../engine/runsOn.js';
import { sensitiveDataMergeRequests } from '../rules/sensitiveDataMergeRequests.js';
import type { ProjectScope } from '../subjects.js';

// doc/user/permissions.md: the roles the bot's writes need, as GitLab's access levels.
const ROLE_NAMES: Record<number, string> = { 0: 'no role', 5: 'Minimal Access', 10: 'Guest', 15: 'Planner', 20: 'Reporter', 30: 'Developer', 40: 'Maintainer', 50: 'Owner' };
const REPORTER = 20;
const DEVELOPER = 30;
const MAINTAINER = 40;

function roleName(level: number): string {
  return ROLE_NAMES[level] ?? `access level ${level}`;
}

function hasRole(scope: ProjectScope): string {
  return scope.accessLevel === 0 ? 'is not a member (of the project or its groups)' : `has the ${roleName(scope.accessLevel!)} role`;
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
  const uses = needed.map((n) => `${roleName(n.level)} to ${n.why}`).join(', ');
  return `warning: projects.${scope.key} (${scope.path}): @${username} ${hasRole(scope)}; it needs ${roleName(level)} or higher (${uses}): GitLab drops what a lower role may not change without an error`;
}

/**
 * Where `sensitive-data-merge-requests` runs (a public project), whether the bot may redact a
 * secret in someone else's comment on a merge request: editing another user's note is
 * `admin_note`, which `app/policies/project_policy.rb` enables from Maintainer
 * (`rule { can?(:maintainer_access) }`; `NotePolicy` adds only the note's author). Below it
 * GitLab answers 403, and the notice asks the comment's author to edit it instead, so the
 * secret stays public until they do. Silent when GitLab did not say the role.
 */
export function commentRedactionWarning(scope: ProjectScope, config: BotConfig, username: string): string | null {
  if (scope.accessLevel === undefined || scope.accessLevel >= MAINTAINER) return null;
  if (!ruleRunsIn(sensitiveDataMergeRequests, scope, config)) return null;
  return `warning: projects.${scope.key} (${scope.path}): @${username} ${hasRole(scope)}; it cannot redact secrets in other people's comments on this public project's merge requests (GitLab lets only Maintainer or higher edit another user's comment): those stay public until their authors edit them`;
}
