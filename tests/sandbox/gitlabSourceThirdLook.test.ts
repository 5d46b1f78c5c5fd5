import { afterEach, describe, expect, test } from 'vitest';
import { ACCESS } from '../../src/sandbox/store.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client, startReceiver } from './helpers.js';

// Issue 21, "The sandbox against GitLab's source, third look": each behaviour cites its file.

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function project() {
  sb = await startSandbox();
  const p = sb.store.createProject({ path_with_namespace: 'g/third-look', visibility: 'public' });
  sb.store.addProjectMember(p.id, sb.store.findUserByUsername('support-bot')!.id, ACCESS.maintainer);
  return { sb, pid: p.id };
}

describe("GitLab's source, third look", () => {
  test('labels given at creation get resource label events (app/services/issuable/common_system_notes_service.rb, old_labels: [])', async () => {
    const { sb, pid } = await project();
    const created = await client(sb).post(`/projects/${pid}/issues`, { title: 'labelled', labels: 'triage::ready,bug' });
    expect(created.status).toBe(201);
    const events = await client(sb).get(`/projects/${pid}/issues/${created.body.iid}/resource_label_events`);
    expect(events.status).toBe(200);
    expect((events.body as Array<{ action: string; label: { name: string } }>).map((e) => `${e.action} ${e.label.name}`).sort()).toEqual(['add bug', 'add triage::ready']);
  });

  test("an open hook's changes carry no labels or assignees (associations are not previous_changes, app/services/issuable_base_service.rb)", async () => {
    const { sb, pid } = await project();
    const received: Array<Record<string, unknown>> = [];
    sb.addProjectHook('g/third-look', { url: 'http://127.0.0.1:9/unused', token: 't' });
    const bot = sb.store.findUserByUsername('support-bot')!;
    await client(sb).post(`/projects/${pid}/issues`, { title: 'labelled', labels: 'bug', assignee_ids: String(bot.id) });
    await sb.flushWebhooks();
    for (const d of sb.deliveries) received.push(d.body as Record<string, unknown>);
    const open = received.find((b) => (b.object_attributes as { action?: string }).action === 'open')!;
    expect(Object.keys(open.changes as object)).not.toContain('labels');
    expect(Object.keys(open.changes as object)).not.toContain('assignees');
    expect(Object.keys(open.changes as object)).toContain('title');
  });

  test('take_ownership by the owner answers 200, by someone else 201 (lib/api/ci/pipeline_schedules.rb, `status(:ok)`)', async () => {
    const { sb, pid } = await project();
    const api = client(sb);
    const schedule = await api.post(`/projects/${pid}/pipeline_schedules`, { description: 'd', ref: 'main', cron: '0 * * * *' });
    expect(schedule.status).toBe(201);
    expect((await api.post(`/projects/${pid}/pipeline_schedules/${schedule.body.id}/take_ownership`)).status).toBe(200);
  });
});

describe("GitLab's source, third look: one request, its hooks", () => {
  test('state_event with other fields sends the close hook, then the update hook, with one X-Gitlab-Event-UUID (issuable_base_service.rb `change_state`; recursion_detection/uuid.rb)', async () => {
    const { sb, pid } = await project();
    const rx = await startReceiver();
    try {
      sb.addProjectHook(pid, { url: rx.url });
      const api = client(sb);
      const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'before' });
      await api.put(`/projects/${pid}/issues/${issue.iid}`, { state_event: 'close', title: 'after', add_labels: 'done' });
      await api.put(`/projects/${pid}/issues/${issue.iid}`, { state_event: 'reopen' });
      await sb.flushWebhooks();
      const [open, close, update, reopen] = rx.received;
      expect(rx.received.map((r) => r.body.object_attributes.action)).toEqual(['open', 'close', 'update', 'reopen']);
      expect(Object.keys(close!.body.changes)).toEqual(expect.arrayContaining(['state_id', 'closed_at']));
      expect(Object.keys(close!.body.changes)).not.toContain('title');
      expect(Object.keys(update!.body.changes)).toEqual(expect.arrayContaining(['title', 'labels']));
      expect(Object.keys(update!.body.changes)).not.toContain('state_id');
      // One request, one Event-UUID per hook; each delivery its own Webhook-UUID and Idempotency-Key.
      expect(close!.headers['x-gitlab-event-uuid']).toBe(update!.headers['x-gitlab-event-uuid']);
      expect(new Set([open, close, reopen].map((r) => r!.headers['x-gitlab-event-uuid'])).size).toBe(3);
      expect(close!.headers['x-gitlab-webhook-uuid']).not.toBe(update!.headers['x-gitlab-webhook-uuid']);
      expect(close!.headers['idempotency-key']).not.toBe(update!.headers['idempotency-key']);
    } finally {
      await rx.close();
    }
  });

  test('merge request hooks carry object_attributes.system, false for what a user did (18.6, approvals_reset_on_push)', async () => {
    const { sb, pid } = await project();
    const bodies: Array<Record<string, any>> = [];
    sb.onWebhook(({ event, body }) => {
      if (event === 'Merge Request Hook') bodies.push(body as Record<string, any>);
    });
    const mr = await client(sb).post(`/projects/${pid}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'mr' });
    expect(mr.status).toBe(201);
    await client(sb).put(`/projects/${pid}/merge_requests/${mr.body.iid}`, { title: 'mr 2' });
    await sb.flushWebhooks();
    expect(bodies.map((b) => [b.object_attributes.action, b.object_attributes.system])).toEqual([
      ['open', false],
      ['update', false],
    ]);
  });

  test("a label event's label has description_html and text_color (lib/api/entities/label_basic.rb; labels_helper.rb text_color_for_bg)", async () => {
    const { sb, pid } = await project();
    const api = client(sb);
    expect((await api.post(`/projects/${pid}/labels`, { name: 'light', color: '#FFECDB', description: 'pale' })).status).toBe(201);
    expect((await api.post(`/projects/${pid}/labels`, { name: 'dark', color: '#004E00' })).status).toBe(201);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 't', labels: 'light,dark' });
    const events = await api.get(`/projects/${pid}/issues/${issue.iid}/resource_label_events`);
    const labels = Object.fromEntries((events.body as Array<{ label: Record<string, unknown> }>).map((e) => [e.label['name'], e.label]));
    expect(labels['light']).toMatchObject({ color: '#FFECDB', text_color: '#333333', description: 'pale', description_html: expect.any(String) });
    expect(labels['dark']).toMatchObject({ color: '#004E00', text_color: '#FFFFFF' });
    expect(labels['dark']).toHaveProperty('description_html');
  });

  test("a note touches its issue's updated_at at most once a minute (app/models/concerns/throttled_touch.rb)", async () => {
    const { sb, pid } = await project();
    const api = client(sb);
    const start = Date.now();
    let offset = 0;
    sb.store.clock = () => new Date(start + offset);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 't' });
    const rec = sb.store.getIssue(pid, issue.iid)!;
    offset = 30_000;
    await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'within the minute' });
    expect(rec.updatedAt.getTime()).toBe(start);
    offset = 61_000;
    await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'after it' });
    expect(rec.updatedAt.getTime()).toBe(start + 61_000);
  });
});

describe("GitLab's source, third look: commit statuses (app/services/ci/create_commit_status_service.rb)", () => {
  test('pending after running is refused; only the caller reuses its own pending or running job', async () => {
    const { sb, pid } = await project();
    const mr = sb.store.createMergeRequest(pid, { title: 'm', sourceBranch: 'feature' });
    const bot = client(sb);
    const admin = client(sb, SANDBOX_TOKENS.admin);
    const post = (api: typeof bot, state: string) => api.post(`/projects/${pid}/statuses/${mr.sha}`, { state, name: 'check', ref: 'feature' });
    const running = await post(bot, 'running');
    expect(running.status).toBe(201);
    const pending = await post(bot, 'pending');
    expect(pending.status).toBe(400);
    expect(pending.body.message).toMatch(/^Cannot transition status via :enqueue from :running/);
    // Someone else's post is a job of its own: the bot's running one is left as it is.
    const other = await post(admin, 'success');
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(running.body.id);
    const done = await post(bot, 'success');
    expect(done.body.id).toBe(running.body.id);
    const all = await bot.get(`/projects/${pid}/repository/commits/${mr.sha}/statuses?all=true`);
    expect((all.body as Array<{ id: number; author: { username: string } }>).map((s) => s.author.username).sort()).toEqual(['root', 'support-bot']);
  });
});

test('issue search is full-text word-prefix matching, not substring (app/models/concerns/pg_full_text_searchable.rb)', async () => {
  const { sb, pid } = await project();
  sb.store.createIssue(pid, { title: 'Deployment failed on staging', description: 'The runner timed out.' });
  sb.store.createIssue(pid, { title: 'Weekly review 2026-W49', description: '' });
  const titles = async (search: string) =>
    ((await client(sb).get(`/projects/${pid}/issues?search=${encodeURIComponent(search)}`)).body as Array<{ title: string }>).map((i) => i.title);
  expect(await titles('deploy')).toEqual(['Deployment failed on staging']);
  expect(await titles('DEPLOY stag')).toEqual(['Deployment failed on staging']);
  expect(await titles('runner time')).toEqual(['Deployment failed on staging']);
  expect(await titles('ployment')).toEqual([]);
  expect(await titles('deploy review')).toEqual([]);
  expect(await titles('Weekly review 2026-W49')).toEqual(['Weekly review 2026-W49']);
});

test('only who may manage labels creates a missing one: a Guest keeps the existing labels only (app/services/labels/find_or_create_service.rb)', async () => {
  const { sb, pid } = await project();
  sb.store.addProjectMember(pid, sb.store.findUserByUsername('alice')!.id, ACCESS.guest);
  sb.store.ensureLabel(pid, 'bug');
  const guest = await client(sb, SANDBOX_TOKENS.member).post(`/projects/${pid}/issues`, { title: 'g', labels: 'bug,invented' });
  expect(guest.status).toBe(201);
  expect(guest.body.labels).toEqual(['bug']);
  expect(sb.store.findLabel(pid, 'invented')).toBeUndefined();
  const maintainer = await client(sb).post(`/projects/${pid}/issues`, { title: 'm', labels: 'bug,invented' });
  expect(maintainer.body.labels).toEqual(['bug', 'invented']);
  expect(sb.store.findLabel(pid, 'invented')).toBeDefined();
});

describe("GitLab's source, third look: whose profile a token reads", () => {
  // app/policies/user_policy.rb (`read_user_profile`), lib/api/entities/user.rb (`created_at`),
  // EventsFinder and ContributedProjectsFinder; app/models/user.rb `contributed_projects` with
  // Event.contributions (pushes, comments; issues and merge requests created, closed or merged).
  test('contributed_projects: the last year and only some actions', async () => {
    const { sb, pid } = await project();
    const s = sb.store;
    const carol = s.createUser({ username: 'carol' });
    const other = s.createProject({ path_with_namespace: 'g/approved-only', visibility: 'public' });
    const old = s.createProject({ path_with_namespace: 'g/long-ago', visibility: 'public' });
    const day = 24 * 3600_000;
    s.addEvent(carol.id, { projectId: pid, actionName: 'commented on', targetType: 'Note', createdAt: new Date(Date.now() - 10 * day) });
    s.addEvent(carol.id, { projectId: other.id, actionName: 'approved', targetType: 'MergeRequest', createdAt: new Date(Date.now() - day) });
    s.addEvent(carol.id, { projectId: old.id, actionName: 'pushed to', createdAt: new Date(Date.now() - 400 * day) });
    const res = await client(sb).get(`/users/${carol.id}/contributed_projects`);
    expect((res.body as Array<{ path_with_namespace: string }>).map((p) => p.path_with_namespace)).toEqual(['g/third-look']);
  });

  test.each([
    ['a private profile', { privateProfile: true }],
    ['a blocked user', { state: 'blocked' as const }],
  ])('%s hides events, contributions and created_at from non-administrators', async (_, input) => {
    const { sb, pid } = await project();
    const dave = sb.store.createUser({ username: 'dave', ...input });
    sb.store.addEvent(dave.id, { projectId: pid, actionName: 'pushed to', createdAt: new Date() });
    const bot = client(sb);
    const admin = client(sb, SANDBOX_TOKENS.admin);
    expect((await bot.get(`/users/${dave.id}/events`)).body).toEqual([]);
    expect((await bot.get(`/users/${dave.id}/contributed_projects`)).body).toEqual([]);
    expect((await bot.get(`/users/${dave.id}`)).body).not.toHaveProperty('created_at');
    expect((await admin.get(`/users/${dave.id}/events`)).body).toHaveLength(1);
    expect((await admin.get(`/users/${dave.id}/contributed_projects`)).body).toHaveLength(1);
    expect((await admin.get(`/users/${dave.id}`)).body).toHaveProperty('created_at');
  });
});
