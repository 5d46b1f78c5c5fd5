import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxStore } from '../../src/sandbox/index.js';

/** A real-shaped GitLab webhook delivery from tests/fixtures/webhooks, deep-copied with overrides applied by the caller. */
export function webhookFixture<T = Record<string, any>>(key: string): T {
  return JSON.parse(readFileSync(join('tests', 'fixtures', 'webhooks', `${key}.json`), 'utf8')) as T;
}

/** An issue created in the sandbox store directly (no webhook) by @bruno, and a real-shaped Issue Hook `open` body for it. */
export function seedIssueWithDelivery(store: SandboxStore, projectId: number, title: string) {
  const author = store.findUserByUsername('bruno')!;
  const issue = store.createIssue(projectId, { title, description: 'd', authorId: author.id });
  const payload = webhookFixture('issue.open');
  payload.project.id = projectId;
  payload.object_attributes.iid = issue.iid;
  payload.object_attributes.id = issue.id;
  payload.object_attributes.project_id = projectId;
  payload.user = { id: author.id, username: author.username, name: author.name };
  return { issue, payload };
}
