import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client, startReceiver } from './helpers.js';

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let pid: number;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  receiver = await startReceiver();
  pid = sb.store.requireProject('gitlab-com/support/internal-requests').id;
  sb.addProjectHook('gitlab-com/support/internal-requests', { url: receiver.url, token: 'hook-secret' });
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});
afterEach(() => {
  receiver.received.length = 0;
});

const HOOK_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('webhook deliveries', () => {
  test('Issue Hook on open: GitLab headers and payload shape', async () => {
    sb.store.clock = () => new Date('2026-11-16T09:00:00Z');
    const created = await client(sb, SANDBOX_TOKENS.member).post(`/projects/${pid}/issues`, { title: 'Contact Request', labels: 'triage::new' });
    sb.store.clock = () => new Date();
    expect(created.status).toBe(201);
    await sb.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toMatch(/^GitLab\/\d+\.\d+/);
    expect(headers['x-gitlab-event']).toBe('Issue Hook');
    expect(headers['x-gitlab-token']).toBe('hook-secret');
    expect(headers['x-gitlab-instance']).toBe(sb.url);
    expect(headers['x-gitlab-webhook-uuid']).toMatch(UUID);
    expect(headers['x-gitlab-event-uuid']).toMatch(UUID);
    expect(headers['idempotency-key']).toMatch(UUID);
    expect(body).toMatchObject({
      object_kind: 'issue',
      event_type: 'issue',
      user: { username: 'alice' },
      project: { id: pid, path_with_namespace: 'gitlab-com/support/internal-requests' },
      object_attributes: { iid: 1, title: 'Contact Request', action: 'open', state: 'opened', created_at: '2026-11-16 09:00:00 UTC', confidential: false },
    });
    expect(body.labels[0]).toMatchObject({ title: 'triage::new', project_id: pid, type: 'ProjectLabel', template: false });
    expect(Object.keys(body.labels[0]).sort()).toEqual(['color', 'created_at', 'description', 'group_id', 'id', 'project_id', 'template', 'title', 'type', 'updated_at']);
    expect(body.object_attributes.labels[0].title).toBe('triage::new');
    expect(body.changes.title).toEqual({ previous: null, current: 'Contact Request' });
  });

  test('a task comes under Issue Hook as object_kind work_item with its type (webhook_events.md, "Work item events")', async () => {
    await sb.flushWebhooks();
    receiver.received.length = 0;
    await client(sb, SANDBOX_TOKENS.member).post(`/projects/${pid}/issues`, { title: 'Call back', issue_type: 'task', confidential: true });
    await sb.flushWebhooks();
    const { headers, body } = receiver.received[0]!;
    expect(headers['x-gitlab-event']).toBe('Confidential Issue Hook');
    expect(body).toMatchObject({ object_kind: 'work_item', event_type: 'confidential_work_item', object_attributes: { type: 'Task', action: 'open' } });
  });

  test("update carries changes with previous/current; the bot's own writes fire hooks too", async () => {
    const api = client(sb);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'T', labels: 'triage::new' });
    await sb.flushWebhooks();
    receiver.received.length = 0;
    await api.put(`/projects/${pid}/issues/${issue.iid}`, { add_labels: 'triage::ready', description: 'new text' });
    await sb.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const { body } = receiver.received[0]!;
    expect(body.user.username).toBe('support-bot');
    expect(body.object_attributes.action).toBe('update');
    expect(body.changes.labels.previous.map((l: any) => l.title)).toEqual(['triage::new']);
    expect(body.changes.labels.current.map((l: any) => l.title)).toEqual(['triage::ready']);
    expect(body.changes.description).toEqual({ previous: '', current: 'new text' });
    expect(body.changes.updated_at.current).toMatch(HOOK_TIME);

    receiver.received.length = 0;
    await api.put(`/projects/${pid}/issues/${issue.iid}`, { confidential: true });
    await api.put(`/projects/${pid}/issues/${issue.iid}`, { state_event: 'close' });
    await api.put(`/projects/${pid}/issues/${issue.iid}`, { add_labels: 'triage::ready' }); // no change: an update hook all the same
    await sb.flushWebhooks();
    expect(receiver.received.map((r) => [r.headers['x-gitlab-event'], r.body.event_type, r.body.object_attributes.action])).toEqual([
      ['Confidential Issue Hook', 'confidential_issue', 'update'],
      ['Confidential Issue Hook', 'confidential_issue', 'close'],
      ['Confidential Issue Hook', 'confidential_issue', 'update'],
    ]);
    expect(receiver.received[2]!.body.changes).toEqual({});
    expect(receiver.received[0]!.body.changes.confidential).toEqual({ previous: false, current: true });
  });

  test('Note Hook with the issue object; internal notes are Confidential Note Hook', async () => {
    const api = client(sb);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'N', labels: 'x' });
    await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'hello' });
    await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'psst', internal: true });
    await sb.flushWebhooks();
    const notes = receiver.received.filter((r) => r.body.object_kind === 'note');
    expect(notes.map((r) => r.headers['x-gitlab-event'])).toEqual(['Note Hook', 'Confidential Note Hook']);
    expect(notes[0]!.body).toMatchObject({
      event_type: 'note',
      object_attributes: { note: 'hello', noteable_type: 'Issue', author_id: sb.store.findUserByUsername('support-bot')!.id },
      issue: { iid: issue.iid },
    });
    expect(notes[0]!.body.issue.labels[0].title).toBe('x');
    expect(notes[1]!.body.event_type).toBe('confidential_note');
  });

  test('seeding through the store fires nothing', async () => {
    const before = sb.deliveries.length;
    const issue = sb.store.createIssue(pid, { title: 'seeded' });
    sb.store.createNote(issue, { body: 'seeded note' });
    await sb.flushWebhooks();
    expect(sb.deliveries.length).toBe(before);
    expect(receiver.received).toHaveLength(0);
  });

  test('redeliver keeps Idempotency-Key and changes both UUIDs', async () => {
    await client(sb).post(`/projects/${pid}/issues`, { title: 'R' });
    await sb.flushWebhooks();
    const index = sb.deliveries.length - 1;
    const original = sb.deliveries[index]!;
    expect(original.status).toBe(200);
    const again = await sb.redeliver(index);
    expect(again.headers['Idempotency-Key']).toBe(original.headers['Idempotency-Key']);
    expect(again.headers['X-Gitlab-Event-UUID']).not.toBe(original.headers['X-Gitlab-Event-UUID']);
    expect(again.headers['X-Gitlab-Webhook-UUID']).not.toBe(original.headers['X-Gitlab-Webhook-UUID']);
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([original.headers['Idempotency-Key'], original.headers['Idempotency-Key']]);
  });

  test('hook subscriptions are respected and failures are recorded', async () => {
    const other = await startReceiver(500);
    const feedback = sb.store.requireProject('gitlab-com/support/feedback');
    sb.addProjectHook(feedback.id, { url: other.url, issuesEvents: false, noteEvents: true });
    const { body: issue } = await client(sb).post(`/projects/${feedback.id}/issues`, { title: 'no issue hook' });
    await client(sb).post(`/projects/${feedback.id}/issues/${issue.iid}/notes`, { body: 'note' });
    await sb.flushWebhooks();
    expect(other.received.map((r) => r.headers['x-gitlab-event'])).toEqual(['Note Hook']);
    expect(other.received[0]!.headers['x-gitlab-token']).toBeUndefined();
    expect(sb.deliveries[sb.deliveries.length - 1]).toMatchObject({ url: other.url, status: 500, event: 'Note Hook' });
    await other.close();
  });

  test('onWebhook listeners get every event in-process', async () => {
    const seen: string[] = [];
    const off = sb.onWebhook(({ event, body, projectId }) => {
      seen.push(`${event}:${(body as any).object_attributes.action}:${projectId}`);
    });
    await client(sb).post(`/projects/${pid}/issues`, { title: 'L' });
    await sb.flushWebhooks();
    expect(seen).toEqual([`Issue Hook:open:${pid}`]);
    off();
  });

  test('a listener that writes back through the API is awaited by flushWebhooks', async () => {
    const api = client(sb);
    const off = sb.onWebhook(async ({ body }) => {
      const b = body as any;
      if (b.object_kind === 'issue' && b.object_attributes.action === 'open') {
        await api.put(`/projects/${b.project.id}/issues/${b.object_attributes.iid}`, { add_labels: 'bot::seen' });
      }
    });
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'Loop' });
    await sb.flushWebhooks();
    off();
    expect(sb.store.getIssue(pid, issue.iid)!.labels).toEqual(['bot::seen']);
    const actions = receiver.received.filter((r) => r.body.object_attributes?.iid === issue.iid).map((r) => r.body.object_attributes.action);
    expect(actions).toEqual(['open', 'update']);
  });
});

describe('updates that change nothing (Issues::UpdateService executes hooks after every update)', () => {
  // app/services/issuable_base_service.rb, `update`: the parameters are assigned with
  // `updated_by: current_user`, so a no-op saves (and touches updated_at) when the updater differs.
  test('a no-op by the last updater fires an update hook with no changes; by someone else it moves updated_at and updated_by_id', async () => {
    const member = client(sb, SANDBOX_TOKENS.member);
    const { body: issue } = await member.post(`/projects/${pid}/issues`, { title: 'Same' });
    const rec = sb.store.getIssue(pid, issue.iid)!;
    expect((await member.put(`/projects/${pid}/issues/${issue.iid}`, { title: 'Renamed' })).status).toBe(200);
    await sb.flushWebhooks();
    receiver.received.length = 0;
    const before = rec.updatedAt;
    sb.store.clock = () => new Date(before.getTime() + 5_000);
    try {
      expect((await member.put(`/projects/${pid}/issues/${issue.iid}`, { title: 'Renamed' })).status).toBe(200);
      expect(rec.updatedAt).toEqual(before);
      const bot = sb.store.findUserByUsername('support-bot')!;
      const byBot = await client(sb).put(`/projects/${pid}/issues/${issue.iid}`, { title: 'Renamed' });
      expect(byBot.status).toBe(200);
      expect(byBot.body.updated_at).toBe(new Date(before.getTime() + 5_000).toISOString());
      await sb.flushWebhooks();
      const hooks = receiver.received.map((r) => [r.body.object_attributes.action, Object.keys(r.body.changes).sort()]);
      expect(hooks).toEqual([
        ['update', []],
        ['update', ['updated_at', 'updated_by_id']],
      ]);
      expect(receiver.received[1]!.body.changes.updated_by_id.current).toBe(bot.id);
    } finally {
      sb.store.clock = () => new Date();
    }
  });
});

describe('delivery order and auto-disabling (doc/user/project/integrations/webhooks.md)', () => {
  test('delayed delivery reorders events (seeded)', async () => {
    const shuffled = await startSandbox({ seed: 'demo', webhookDelivery: { maxDelayMs: 300, seed: 7 } });
    const rx = await startReceiver();
    try {
      const p = shuffled.store.requireProject('gitlab-com/support/feedback');
      shuffled.addProjectHook(p.id, { url: rx.url });
      const api = client(shuffled, SANDBOX_TOKENS.member);
      // Sent together, as a burst of activity: delays of up to 300 ms reorder them.
      await Promise.all(Array.from({ length: 8 }, (_, i) => api.post(`/projects/${p.id}/issues`, { title: `t${i}` })));
      await shuffled.flushWebhooks();
      const order = rx.received.map((r) => r.body.object_attributes.iid);
      expect([...order].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(order).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    } finally {
      await shuffled.close();
      await rx.close();
    }
  });

  // app/models/concerns/web_hooks/auto_disabling.rb and WebHookService#response_category: every
  // answer that is not a 2xx or 3xx counts, 4xx like 5xx; the 4th in a row disables for a minute,
  // each further one doubles it, the 40th disables for good.
  test.each([500, 404])('a hook answering %i four times in a row is disabled for a minute, then for two', async (status) => {
    const failing = await startSandbox({ seed: 'demo' });
    const rx = await startReceiver(status);
    try {
      const p = failing.store.requireProject('gitlab-com/support/feedback');
      const { id } = failing.addProjectHook(p.id, { url: rx.url });
      const hook = failing.store.hooks.find((h) => h.id === id)!;
      const api = client(failing, SANDBOX_TOKENS.member);
      for (let i = 0; i < 6; i++) await api.post(`/projects/${p.id}/issues`, { title: `t${i}` });
      await failing.flushWebhooks();
      expect(rx.received).toHaveLength(4);
      expect(hook.recentFailures).toBe(4);
      expect(hook.permanentlyDisabled).toBe(false);
      expect(hook.disabledUntil!.getTime() - Date.now()).toBeGreaterThan(50_000);
      expect(hook.disabledUntil!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
      // After the minute, deliveries resume; another failure doubles the pause.
      failing.store.clock = () => new Date(Date.now() + 61_000);
      await api.post(`/projects/${p.id}/issues`, { title: 'later' });
      await failing.flushWebhooks();
      expect(rx.received).toHaveLength(5);
      expect(hook.disabledUntil!.getTime() - failing.store.now().getTime()).toBeGreaterThan(110_000);
      expect(hook.disabledUntil!.getTime() - failing.store.now().getTime()).toBeLessThanOrEqual(120_000);
    } finally {
      await failing.close();
      await rx.close();
    }
  });

  test('the 40th failure in a row disables a hook for good; the pause never exceeds a day (auto_disabling.rb)', async () => {
    const failing = await startSandbox({ seed: 'demo' });
    const rx = await startReceiver(500);
    try {
      const p = failing.store.requireProject('gitlab-com/support/feedback');
      const { id } = failing.addProjectHook(p.id, { url: rx.url });
      const hook = failing.store.hooks.find((h) => h.id === id)!;
      const api = client(failing, SANDBOX_TOKENS.member);
      // 38 failures behind it, the last pause over: the 39th pauses for a day at most, the 40th is final.
      Object.assign(hook, { recentFailures: 38, disabledUntil: null });
      const start = Date.now();
      failing.store.clock = () => new Date(start);
      await api.post(`/projects/${p.id}/issues`, { title: '39th' });
      await failing.flushWebhooks();
      expect(hook.permanentlyDisabled).toBe(false);
      expect(hook.disabledUntil!.getTime() - failing.store.now().getTime()).toBe(24 * 3600_000);
      failing.store.clock = () => new Date(start + 24 * 3600_000 + 1000);
      await api.post(`/projects/${p.id}/issues`, { title: '40th' });
      await failing.flushWebhooks();
      expect(hook.permanentlyDisabled).toBe(true);
      failing.store.clock = () => new Date(start + 90 * 24 * 3600_000);
      await api.post(`/projects/${p.id}/issues`, { title: 'never delivered' });
      await failing.flushWebhooks();
      expect(rx.received).toHaveLength(2);
    } finally {
      await failing.close();
      await rx.close();
    }
  });

  test('a 3xx answer is a success: it resets the failures (WebHookService#response_category)', async () => {
    const redirecting = await startSandbox({ seed: 'demo' });
    const rx = await startReceiver(302);
    try {
      const p = redirecting.store.requireProject('gitlab-com/support/feedback');
      const { id } = redirecting.addProjectHook(p.id, { url: rx.url });
      const hook = redirecting.store.hooks.find((h) => h.id === id)!;
      hook.recentFailures = 3;
      const api = client(redirecting, SANDBOX_TOKENS.member);
      for (let i = 0; i < 5; i++) await api.post(`/projects/${p.id}/issues`, { title: `t${i}` });
      await redirecting.flushWebhooks();
      expect(rx.received).toHaveLength(5);
      expect(redirecting.deliveries.map((d) => d.status)).toEqual([302, 302, 302, 302, 302]);
      expect(hook).toMatchObject({ recentFailures: 0, disabledUntil: null, permanentlyDisabled: false });
    } finally {
      await redirecting.close();
      await rx.close();
    }
  });
});
