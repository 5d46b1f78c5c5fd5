import { beforeEach, describe, expect, it } from 'vitest';
import { STACK_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { markerKey } from '../../src/engine/markers.js';
import { seedIssueWithDelivery, webhookFixture } from '../helpers/fixtures.js';
import { greetRule } from '../helpers/testRules.js';
import { useDemoStack } from '../helpers/demo.js';

let stack: Stack;
let projectId: number;

useDemoStack({ rules: [greetRule] }, (started) => {
  stack = started;
  projectId = stack.sandbox.store.resolveProject('gitlab-com/support/internal-requests')!.id;
});
beforeEach(() => {
  stack.sandbox.faults.clear();
});

function deliver(body: unknown, headers: Record<string, string> = {}) {
  return fetch(stack.webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': 'Issue Hook',
      'x-gitlab-token': STACK_WEBHOOK_SECRET,
      'x-gitlab-event-uuid': crypto.randomUUID(),
      'x-gitlab-webhook-uuid': crypto.randomUUID(),
      'x-gitlab-instance': stack.sandbox.url,
      'user-agent': 'GitLab/18.6.0',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const seedIssue = (title: string) => seedIssueWithDelivery(stack.sandbox.store, projectId, title);

function botNotes(iid: number) {
  return stack.sandbox.store.listNotes(stack.sandbox.store.getIssue(projectId, iid)!).filter((n) => markerKey(n.body) === 'greet');
}

function apiCalls() {
  return stack.sandbox.requests.length;
}

describe('POST /webhook', () => {
  it('refuses a wrong or missing token with 401 and makes no GitLab call', async () => {
    const { payload } = seedIssue('wrong token');
    const before = apiCalls();
    const wrong = await deliver(payload, { 'x-gitlab-token': 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: expect.stringContaining('X-Gitlab-Token') });
    const missing = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'x-gitlab-event': 'Issue Hook' }, body: JSON.stringify(payload) });
    expect(missing.status).toBe(401);
    await stack.settle();
    expect(apiCalls()).toBe(before);
  });

  it('answers 413 to a body over 25 MiB (server.maxBodyBytes default), and admits what GitLab can send', async () => {
    const response = await deliver(JSON.stringify({ object_kind: 'issue', padding: 'x'.repeat(25 * 1024 * 1024) }));
    expect(response.status).toBe(413);
  });

  it('acknowledges an authentic JSON body it cannot read with 202, logs why and counts it (never a 4xx: GitLab would disable the hook)', async () => {
    const { payload } = seedIssue('bad schema');
    delete payload.object_attributes.iid;
    const invalid = await deliver(payload);
    expect(invalid.status).toBe(202);
    expect((await invalid.json()).reason).toMatch(/object_attributes\.iid/);
    const newAction = seedIssue('an action GitLab added').payload;
    newAction.object_attributes.action = 'archive';
    const unknownAction = await deliver(newAction);
    expect(unknownAction.status).toBe(202);
    expect((await unknownAction.json()).reason).toMatch(/object_attributes\.action/);
    const otherType = seedIssue('a field of another type').payload;
    otherType.object_attributes.confidential = 'yes';
    expect((await deliver(otherType)).status).toBe(202);
    const metrics = await (await fetch(stack.webhookUrl.replace('/webhook', '/metrics'))).text();
    expect(metrics).toMatch(/support_bot_webhook_events_total\{event="Issue Hook",result="invalid"\} [3-9]/);
  });

  it('accepts events it does not handle with 202 ignored', async () => {
    const response = await deliver({ object_kind: 'push', ref: 'refs/heads/main' }, { 'x-gitlab-event': 'Push Hook' });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'ignored' });
  });

  it('answers 202 and processes a delivery once when GitLab resends it with the same Idempotency-Key', async () => {
    const { issue, payload } = seedIssue('resent');
    const key = crypto.randomUUID();
    const first = await deliver(payload, { 'idempotency-key': key });
    const second = await deliver(payload, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(await second.json()).toEqual({ status: 'duplicate' });
    await stack.settle();
    expect(stack.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain('seen::yes');
    expect(botNotes(issue.iid)).toHaveLength(1);
    const eventsMetric = await (await fetch(stack.webhookUrl.replace('/webhook', '/metrics'))).text();
    expect(eventsMetric).toMatch(/support_bot_webhook_events_total\{event="issue.open",result="duplicate"\} [1-9]/);
  });

  it('even an undetected duplicate (new key) makes no second write', async () => {
    const { issue, payload } = seedIssue('duplicate without key');
    await deliver(payload, { 'idempotency-key': crypto.randomUUID() });
    await stack.settle();
    const writesBefore = stack.sandbox.requests.filter((r) => r.method !== 'GET').length;
    await deliver(payload, { 'idempotency-key': crypto.randomUUID() });
    await stack.settle();
    expect(stack.sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect(botNotes(issue.iid)).toHaveLength(1);
  });

  it("counts the executor's writes in /metrics by port, target and outcome", async () => {
    const count = async (labels: string) => {
      const text = await (await fetch(stack.webhookUrl.replace('/webhook', '/metrics'))).text();
      return Number(new RegExp(`^support_bot_writes_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    };
    const posted = 'port="gitlab",target="note",outcome="written"';
    const current = 'port="gitlab",target="note",outcome="unchanged"';
    const [postedBefore, currentBefore] = [await count(posted), await count(current)];
    const { payload } = seedIssue('counted');
    await deliver(payload, { 'idempotency-key': crypto.randomUUID() });
    await stack.settle();
    expect(await count(posted)).toBe(postedBefore + 1);
    await deliver(payload, { 'idempotency-key': crypto.randomUUID() });
    await stack.settle();
    expect([await count(posted), await count(current)]).toEqual([postedBefore + 1, currentBefore + 1]);
  });

  it('rides out a burst of 429 and 500 answers and ends in the right state', async () => {
    const { issue, payload } = seedIssue('through the storm');
    stack.sandbox.faults.failNext(1, 429, { retryAfterSeconds: 1 });
    stack.sandbox.faults.failNext(2, 500);
    const response = await deliver(payload, { 'idempotency-key': crypto.randomUUID() });
    expect(response.status).toBe(202);
    await stack.settle();
    expect(stack.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain('seen::yes');
    expect(botNotes(issue.iid)).toHaveLength(1);
    const statuses = stack.sandbox.requests.map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(500);
  });

  it('does not post a second note when GitLab saved it but answered 500', async () => {
    const { issue, payload } = seedIssue('saved but failed');
    stack.sandbox.faults.failNext(1, 500, { afterApply: true, methods: ['POST'], pathPattern: /\/notes$/ });
    await deliver(payload, { 'idempotency-key': crypto.randomUUID() });
    await stack.settle();
    expect(botNotes(issue.iid)).toHaveLength(1);
  });
});

describe('webhooks from GitLab itself', () => {
  it('reacts to an issue opened through the API and does not loop on its own changes', async () => {
    const token = stack.tokenFor('chen');
    const created = await fetch(`${stack.sandbox.url}/api/v4/projects/${projectId}/issues`, {
      method: 'POST',
      headers: { 'private-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Opened by Chen', description: 'hello' }),
    });
    expect(created.status).toBe(201);
    const { iid } = (await created.json()) as { iid: number };
    await stack.settle();
    expect(stack.sandbox.store.getIssue(projectId, iid)!.labels).toContain('seen::yes');
    expect(botNotes(iid)).toHaveLength(1);
    expect(botNotes(iid)[0]!.body).toContain('Hello @chen, this is "Opened by Chen"');
  });
});

describe('health and metrics', () => {
  it('serves /healthz and Prometheus /metrics', async () => {
    const base = stack.webhookUrl.replace('/webhook', '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', queueDepth: 0 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('support_bot_queue_depth 0');
    expect(metrics).toMatch(/support_bot_gitlab_requests_total\{method="GET",endpoint="projects\/:id\/issues\/:iid",status="200"\} \d+/);
    expect(metrics).toContain('support_bot_event_processing_seconds_bucket');
  });
});

describe('a delivery cut off mid-body', () => {
  it('is dropped without harm and the server keeps answering', async () => {
    const { port } = new URL(stack.webhookUrl);
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /webhook HTTP/1.1\r\nHost: x\r\nX-Gitlab-Token: ${STACK_WEBHOOK_SECRET}\r\nX-Gitlab-Event: Issue Hook\r\nContent-Length: 5000\r\n\r\n{"object_kind":`);
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    const health = await fetch(stack.webhookUrl.replace('/webhook', '/healthz'));
    expect(health.status).toBe(200);
  });
});

describe('an event for an issue that is gone', () => {
  it('is ignored, not failed', async () => {
    const payload = webhookFixture('issue.open');
    payload.project.id = projectId;
    payload.object_attributes.iid = 99_999;
    payload.user = { id: 4, username: 'bruno', name: 'Bruno' };
    await deliver(payload, { 'idempotency-key': crypto.randomUUID() });
    await stack.settle();
    const metrics = await (await fetch(stack.webhookUrl.replace('/webhook', '/metrics'))).text();
    expect(metrics).toMatch(/support_bot_webhook_events_total\{event="issue.open",result="ignored"\} [1-9]/);
    expect(metrics).not.toMatch(/result="failed"/);
  });
});
