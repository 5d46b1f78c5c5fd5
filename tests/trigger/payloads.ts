import type { Sandbox } from '../../src/sandbox/index.js';
import { webhookFixture } from '../helpers/fixtures.js';

// Real-shaped webhook bodies (tests/fixtures/webhooks) pointed at issues that exist in a sandbox.

export type FixtureKey = 'issue.open' | 'issue.update' | 'note.issue' | 'merge_request.open';

/** The X-Gitlab-Event header GitLab sends with each fixture (the server path needs it; triggers have none). */
export const HEADER_FOR: Record<FixtureKey, string> = {
  'issue.open': 'Issue Hook',
  'issue.update': 'Issue Hook',
  'note.issue': 'Note Hook',
  'merge_request.open': 'Merge Request Hook',
};

export const REQUESTS_PROJECT = 'gitlab-com/support/internal-requests';

/** Creates an issue straight in the store (no webhook fires). */
export function seedIssue(sandbox: Sandbox, title: string, username = 'bruno'): { projectId: number; iid: number } {
  const project = sandbox.store.resolveProject(REQUESTS_PROJECT)!;
  const author = sandbox.store.findUserByUsername(username)!;
  const issue = sandbox.store.createIssue(project.id, { title, description: 'Please help with this.', authorId: author.id });
  return { projectId: project.id, iid: issue.iid };
}

/** The fixture `key`, acted by `actor`, about issue `iid` of the internal-requests project. */
export function payloadFor(sandbox: Sandbox, key: FixtureKey, iid: number, actor = 'bruno'): Record<string, any> {
  const project = sandbox.store.resolveProject(REQUESTS_PROJECT)!;
  const issue = sandbox.store.getIssue(project.id, iid);
  const user = sandbox.store.findUserByUsername(actor)!;
  const body = webhookFixture(key);
  body.user = { ...body.user, id: user.id, username: user.username, name: user.name };
  if (key === 'merge_request.open') return body;
  body.project = { ...body.project, id: project.id, path_with_namespace: REQUESTS_PROJECT };
  if (key === 'note.issue') {
    body.project_id = project.id;
    body.issue = { ...body.issue, id: issue?.id, iid, project_id: project.id };
    body.object_attributes = { ...body.object_attributes, project_id: project.id, noteable_id: issue?.id };
  } else {
    body.object_attributes = { ...body.object_attributes, id: issue?.id, iid, project_id: project.id };
  }
  return body;
}
