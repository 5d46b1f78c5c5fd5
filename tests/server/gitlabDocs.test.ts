import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { STACK_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import type { EventReport } from '../../src/engine/bot.js';
import { markerKey } from '../../src/engine/markers.js';
import type { BotEvent } from '../../src/events/types.js';
import { RequestStats } from '../../src/gitlab/stats.js';
import { silentLogger } from '../../src/logger.js';
import { createWebhookServer, type WebhookServer } from '../../src/server/app.js';
import { DOC_FIXTURES, docFixture } from '../events/gitlabDocsFixtures.js';
import { greetRule } from '../helpers/testRules.js';
import { useDemoStack } from '../helpers/demo.js';
import { gitlabHeaders as gitlabHeadersFor } from './gitlabHeaders.js';

// GitLab's documented payloads (tests/events/gitlabDocsFixtures.ts: doc path and section of
// each) POSTed to the real endpoint with the headers GitLab sends
// (doc/user/project/integrations/webhooks.md, "Delivery headers"): every one is answered
// 202, the handled ones reach the bot as the right event, once, however often GitLab
// resends them with the same Idempotency-Key.

const SECRET = 'docs-secret';

const gitlabHeaders = (event: string, idempotencyKey: string, token = SECRET) => gitlabHeadersFor(event, token, idempotencyKey);

describe('the endpoint with every documented payload', () => {
  let server: Server;
  let webhook: WebhookServer;
  let url: string;
  const handled: BotEvent[] = [];

  beforeAll(async () => {
    const config = parseConfig({ projects: { feedback: { path: 'a/b' } }, activeNow: { project: 'feedback' } });
    const bot = {
      async handleEvent(event: BotEvent): Promise<EventReport> {
        handled.push(event);
        return { status: 'ignored', event: event.key, reason: 'test' };
      },
    };
    webhook = createWebhookServer({ bot, secret: SECRET, log: silentLogger, stats: new RequestStats(), settings: config.server });
    server = createServer(webhook.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: unknown, headers: Record<string, string>) => fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });

  it.each(DOC_FIXTURES)('$file ($header): 202 $expect; a handled one reaches the bot once, its resend is a duplicate', async ({ file, header, expect: expected }) => {
    const key = crypto.randomUUID();
    const before = handled.length;
    const first = await post(docFixture(file), gitlabHeaders(header, key));
    expect(first.status).toBe(202);
    const answer = await first.json();
    await webhook.queue.drain();
    if (expected === 'ignored') {
      expect(answer).toMatchObject({ status: 'ignored' });
      expect(handled.length).toBe(before);
      return;
    }
    expect(answer).toEqual({ status: 'accepted', id: key });
    expect(handled.slice(before).map((e) => e.key)).toEqual([expected]);
    // GitLab's retry of the same delivery: new event UUID, same Idempotency-Key.
    const resend = await post(docFixture(file), gitlabHeaders(header, key));
    expect(resend.status).toBe(202);
    expect(await resend.json()).toEqual({ status: 'duplicate' });
    await webhook.queue.drain();
    expect(handled.length).toBe(before + 1);
  });

  it.each([
    ['Issue Hook', 'work_item', 'work_item', 'issue.open'],
    ['Confidential Issue Hook', 'issue', 'confidential_issue', 'issue.open'],
    ['Confidential Issue Hook', 'work_item', 'confidential_work_item', 'issue.open'],
  ])('%s with object_kind %s (event_type %s) is %s', async (header, kind, type, expected) => {
    const body = docFixture('issue');
    body.object_kind = kind;
    body.event_type = type;
    if (kind === 'work_item') body.object_attributes.type = 'Task';
    const before = handled.length;
    const response = await post(body, gitlabHeaders(header, crypto.randomUUID()));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'accepted' });
    await webhook.queue.drain();
    expect(handled.slice(before).map((e) => e.key)).toEqual([expected]);
  });

  it('Confidential Note Hook (event_type confidential_note) is note.issue', async () => {
    const body = docFixture('note.issue');
    body.event_type = 'confidential_note';
    const before = handled.length;
    expect(await (await post(body, gitlabHeaders('Confidential Note Hook', crypto.randomUUID()))).json()).toMatchObject({ status: 'accepted' });
    await webhook.queue.drain();
    expect(handled.slice(before).map((e) => e.key)).toEqual(['note.issue']);
  });

  it.each(['open', 'close', 'reopen', 'update', 'approved', 'unapproved', 'approval', 'unapproval', 'merge'])(
    'Merge Request Hook action %s is merge_request.%s',
    async (action) => {
      const body = docFixture('merge_request');
      body.object_attributes.action = action;
      const before = handled.length;
      expect(await (await post(body, gitlabHeaders('Merge Request Hook', crypto.randomUUID()))).json()).toMatchObject({ status: 'accepted' });
      await webhook.queue.drain();
      expect(handled.slice(before).map((e) => e.key)).toEqual([`merge_request.${action}`]);
    },
  );

  it('answers 202 to an authentic delivery whatever its X-Gitlab-Event names', async () => {
    for (const header of ['constructor', 'toString', '__proto__']) {
      const response = await post(docFixture('issue'), gitlabHeaders(header, crypto.randomUUID()));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: 'ignored' });
    }
  });

  it('counted nothing as invalid, and refuses a wrong token with 401 only', async () => {
    const wrong = await post(docFixture('issue'), gitlabHeaders('Issue Hook', crypto.randomUUID(), 'not-the-secret'));
    expect(wrong.status).toBe(401);
    const metrics = await webhook.metrics.registry.metrics();
    expect(metrics).not.toMatch(/result="invalid"/);
    expect(metrics).toMatch(/event="Member Hook",result="ignored"\} 5/);
    expect(metrics).toMatch(/event="System Hook",result="ignored"\} 7/);
  });
});

describe('a documented Issue Hook for a watched project, end to end', () => {
  let stack: Stack;
  let projectId: number;

  useDemoStack({ rules: [greetRule] }, (started) => {
    stack = started;
    projectId = stack.sandbox.store.resolveProject('gitlab-com/support/internal-requests')!.id;
  });

  /** webhook_events.md's Issue Hook example, about an issue that exists in the sandbox. */
  function documentedDelivery(title: string, change: (body: Record<string, any>) => void = () => {}) {
    const store = stack.sandbox.store;
    const author = store.findUserByUsername('bruno')!;
    const issue = store.createIssue(projectId, { title, description: 'd', authorId: author.id });
    const body = docFixture('issue');
    body.project.id = projectId;
    body.project.path_with_namespace = 'gitlab-com/support/internal-requests';
    body.object_attributes.id = issue.id;
    body.object_attributes.iid = issue.iid;
    body.object_attributes.project_id = projectId;
    body.user = { ...body.user, id: author.id, username: author.username, name: author.name };
    change(body);
    return { issue, body };
  }

  const deliver = (body: unknown, event: string, key: string) =>
    fetch(stack.webhookUrl, {
      method: 'POST',
      headers: { ...gitlabHeaders(event, key, STACK_WEBHOOK_SECRET), 'x-gitlab-instance': stack.sandbox.url },
      body: JSON.stringify(body),
    });

  const greetings = (iid: number) => stack.sandbox.store.listNotes(stack.sandbox.store.getIssue(projectId, iid)!).filter((n) => markerKey(n.body) === 'greet');
  const writes = () => stack.sandbox.requests.filter((r) => r.method !== 'GET').length;

  it('labels and comments once, and a resend with the same Idempotency-Key is a duplicate that writes nothing', async () => {
    const { issue, body } = documentedDelivery('Documented issue');
    const key = crypto.randomUUID();
    const first = await deliver(body, 'Issue Hook', key);
    expect(await first.json()).toEqual({ status: 'accepted', id: key });
    await stack.settle();
    expect(stack.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain('seen::yes');
    expect(greetings(issue.iid)).toHaveLength(1);
    const writesBefore = writes();
    const resend = await deliver(body, 'Issue Hook', key);
    expect(resend.status).toBe(202);
    expect(await resend.json()).toEqual({ status: 'duplicate' });
    await stack.settle();
    expect(writes()).toBe(writesBefore);
    expect(greetings(issue.iid)).toHaveLength(1);
  });

  it('handles a task (object_kind work_item) in the watched project like an issue', async () => {
    const { issue, body } = documentedDelivery('Documented task', (b) => {
      b.object_kind = 'work_item';
      b.event_type = 'work_item';
      b.object_attributes.type = 'Task';
    });
    expect(await (await deliver(body, 'Issue Hook', crypto.randomUUID())).json()).toMatchObject({ status: 'accepted' });
    await stack.settle();
    expect(stack.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain('seen::yes');
    expect(greetings(issue.iid)).toHaveLength(1);
  });
});
