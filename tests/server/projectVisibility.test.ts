import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, STACK_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { sensitiveData } from '../../src/rules/sensitiveData.js';
import { webhookFixture } from '../helpers/fixtures.js';
import { fake } from '../secrets/fakeSecrets.js';

// Issue 12 #8 over HTTP: a project the bot first saw as private is made public; the next
// event's payload says so (visibility_level 20) and the secret protection applies at once.

const PATH = 'gitlab-com/support/internal-requests';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ rules: [sensitiveData] });
});
afterAll(() => stack.close());

function deliver(body: unknown) {
  return fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Issue Hook', 'x-gitlab-token': STACK_WEBHOOK_SECRET },
    body: JSON.stringify(body),
  });
}

describe('project visibility', () => {
  it('is taken from the payload when it says public, without waiting for the cache', async () => {
    const store = stack.sandbox.store;
    const project = store.resolveProject(PATH)!;
    project.visibility = 'private';
    const author = store.findUserByUsername('bruno')!;
    const payloadFor = (iid: number, id: number, level: number) => {
      const payload = webhookFixture('issue.open');
      payload.project.id = project.id;
      payload.project.path_with_namespace = PATH;
      payload.project.visibility_level = level;
      payload.object_attributes.iid = iid;
      payload.object_attributes.id = id;
      payload.user = { id: author.id, username: author.username, name: author.name };
      return payload;
    };
    // Seen as private first: a token in a private project is left alone (and the registry caches "private").
    const quiet = store.createIssue(project.id, { title: 'private for now', description: `token ${fake.glpat}`, authorId: author.id });
    await deliver(payloadFor(quiet.iid, quiet.id, 0));
    await stack.settle();
    expect(store.getIssue(project.id, quiet.iid)!.confidential).toBe(false);

    project.visibility = 'public';
    const leaked = store.createIssue(project.id, { title: 'now public', description: `token ${fake.glpat}`, authorId: author.id });
    expect((await deliver(payloadFor(leaked.iid, leaked.id, 20))).status).toBe(202);
    await stack.settle();
    expect(store.getIssue(project.id, leaked.iid)!.confidential).toBe(true);
  });
});
