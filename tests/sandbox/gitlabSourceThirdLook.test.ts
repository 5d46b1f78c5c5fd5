import { afterEach, describe, expect, test } from 'vitest';
import { ACCESS } from '../../src/sandbox/store.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client } from './helpers.js';

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
