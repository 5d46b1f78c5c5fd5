import type { EventKey } from '../../src/events/types.js';
import { webhookFixture } from '../helpers/fixtures.js';

// Every example payload of GitLab's own webhook documentation, saved as documented under
// tests/fixtures/webhooks/gitlab-docs/ (gitlab-org/gitlab, read from its GitHub mirror
// gitlabhq/gitlabhq at 017a6c129d6a9e4ad9fec792cd84f88641d7dbfe). Two examples are not JSON
// as printed (`// …` comments, a trailing comma); their files drop those and nothing else.
// `expect` is what the bot must make of the delivery: an event key, or `ignored`.

export const WEBHOOK_EVENTS_DOC = 'doc/user/project/integrations/webhook_events.md';
export const SYSTEM_HOOKS_DOC = 'doc/administration/system_hooks.md';

export interface DocFixture {
  file: string;
  /** `X-Gitlab-Event` as the doc gives it for this example. */
  header: string;
  doc: string;
  section: string;
  expect: EventKey | 'ignored';
}

const w = (file: string, header: string, section: string, expect: DocFixture['expect']): DocFixture => ({ file, header, doc: WEBHOOK_EVENTS_DOC, section, expect });
const s = (file: string, section: string, expect: DocFixture['expect'] = 'ignored'): DocFixture => ({
  file,
  header: 'System Hook',
  doc: SYSTEM_HOOKS_DOC,
  section,
  expect,
});

export const DOC_FIXTURES: readonly DocFixture[] = [
  w('push', 'Push Hook', '## Push events', 'ignored'),
  w('tag_push', 'Tag Push Hook', '## Tag events', 'ignored'),
  w('issue', 'Issue Hook', '## Work item events', 'issue.open'),
  w('note.commit', 'Note Hook', '### Comment on a commit', 'ignored'),
  w('note.merge_request', 'Note Hook', '### Comment on a merge request', 'note.merge_request'),
  w('note.issue', 'Note Hook', '### Comment on an issue', 'note.issue'),
  w('note.snippet', 'Note Hook', '### Comment on a code snippet', 'ignored'),
  w('merge_request', 'Merge Request Hook', '## Merge request events', 'merge_request.open'),
  w('wiki_page', 'Wiki Page Hook', '## Wiki page events', 'ignored'),
  w('pipeline', 'Pipeline Hook', '## Pipeline events', 'ignored'),
  w('job', 'Job Hook', '## Job events (its two `//` comments removed)', 'ignored'),
  w('deployment', 'Deployment Hook', '## Deployment events', 'ignored'),
  w('member.add', 'Member Hook', '### Add member to group', 'ignored'),
  w('member.update', 'Member Hook', '### Update member access level or expiration date', 'ignored'),
  w('member.remove', 'Member Hook', '### Remove member from group', 'ignored'),
  w('member.access_request', 'Member Hook', '### A user requests access', 'ignored'),
  w('member.access_request_denied', 'Member Hook', '### An access request is denied', 'ignored'),
  w('project.create', 'Project Hook', '### Create a project in a group', 'ignored'),
  w('project.destroy', 'Project Hook', '### Delete a project in a group', 'ignored'),
  w('subgroup.create', 'Subgroup Hook', '### Create a subgroup in a group', 'ignored'),
  w('subgroup.destroy', 'Subgroup Hook', '### Remove a subgroup from a group', 'ignored'),
  w('feature_flag', 'Feature Flag Hook', '## Feature flag events', 'ignored'),
  w('release', 'Release Hook', '## Release events (its `//` comment removed)', 'ignored'),
  w('milestone', 'Milestone Hook', '## Milestone events', 'ignored'),
  // The documented example is a reaction on a comment: not an artifact of approval, ignored (one on a merge request is read, tests/events/parse.test.ts).
  w('emoji', 'Emoji Hook', '## Emoji events', 'ignored'),
  w('access_token.project', 'Resource Access Token Hook', '## Project and group access token events (project)', 'ignored'),
  w('access_token.group', 'Resource Access Token Hook', '## Project and group access token events (group)', 'ignored'),
  w('vulnerability', 'Vulnerability Hook', '## Vulnerability events', 'ignored'),
  s('system.project_create', '## Hooks request example, Project created'),
  s('system.user_add_to_team', '## Hooks request example, New Team Member'),
  s('system.user_create', '## Hooks request example, User created'),
  s('system.group_rename', '## Hooks request example, Group renamed'),
  s('system.push', '## Push events'),
  s('system.merge_request', '## Merge request events', 'merge_request.open'),
  s('system.repository_update', '## Repository Update events'),
  s('system.member_approval', '## Events for member approval in subscription'),
];

/** A documented example, deep-copied (callers may change it). */
export function docFixture<T = Record<string, any>>(file: string): T {
  return webhookFixture<T>(`gitlab-docs/${file}`);
}
