import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { extractCommands } from '../../src/sandbox/quickActions.js';
import { client, startReceiver } from './helpers.js';

// Quick actions run in notes and descriptions sent through the API (doc/user/project/quick_actions.md,
// lib/gitlab/quick_actions/extractor.rb); a note made only of them is not saved (202, commands_changes)
// and fires no Note Hook (lib/api/helpers/notes_helpers.rb).

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let pid: number;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  receiver = await startReceiver();
  const project = sb.store.requireProject('gitlab-com/support/feedback');
  pid = project.id;
  for (const label of ['bug', 'needs info']) sb.store.ensureLabel(pid, label);
  sb.addProjectHook(project.id, { url: receiver.url });
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});

const alice = () => client(sb, SANDBOX_TOKENS.member);
const events = () => receiver.received.map((r) => `${r.headers['x-gitlab-event']}:${r.body.object_attributes.action ?? r.body.object_attributes.noteable_type}`);

describe('quick actions', () => {
  test('only whole lines starting with a known command count, outside code blocks and >>> quotes', () => {
    const text = 'Hi\n/close\n> /label ~bug\n ```\n/reopen\n```\n>>>\n/assign @bruno\n>>>\nsee /close\n/unknown\n/label ~bug ~"needs info"';
    const { text: rest, commands } = extractCommands(text);
    expect(commands).toEqual([
      { name: 'close', arg: '' },
      { name: 'label', arg: '~bug ~"needs info"' },
    ]);
    expect(rest).toBe('Hi\n> /label ~bug\n ```\n/reopen\n```\n>>>\n/assign @bruno\n>>>\nsee /close\n/unknown');
  });

  test('a note made only of quick actions runs them, answers 202 with commands_changes, is not saved and fires no Note Hook', async () => {
    const { body: issue } = await alice().post(`/projects/${pid}/issues`, { title: 'Quick' });
    await sb.flushWebhooks();
    receiver.received.length = 0;
    const res = await alice().post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: '/label ~bug ~"needs info"\n/close' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      commands_changes: { add_label_ids: expect.any(Array), state_event: 'close' },
      summary: ['Added ~"bug" ~"needs info" labels.', 'Closed this issue.'],
    });
    await sb.flushWebhooks();
    const stored = sb.store.getIssue(pid, issue.iid)!;
    expect(stored).toMatchObject({ state: 'closed', labels: ['bug', 'needs info'] });
    expect(sb.store.listNotes(stored).filter((n) => !n.system)).toEqual([]);
    expect(events()).toEqual(['Issue Hook:close']);
  });

  test('a note with text keeps the text, drops the command lines, and runs them after its Note Hook', async () => {
    const { body: issue } = await alice().post(`/projects/${pid}/issues`, { title: 'Mixed' });
    await sb.flushWebhooks();
    receiver.received.length = 0;
    const res = await alice().post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'Taking this.\n/assign me\n/confidential' });
    expect(res.status).toBe(201);
    expect(res.body.body).toBe('Taking this.');
    await sb.flushWebhooks();
    expect(sb.store.getIssue(pid, issue.iid)).toMatchObject({ confidential: true, assigneeIds: [sb.store.findUserByUsername('alice')!.id] });
    expect(events()).toEqual(['Note Hook:create', 'Confidential Issue Hook:update']);
  });

  test('/reopen and /unlabel; quick actions never create labels; a description runs them too', async () => {
    const { body: issue } = await alice().post(`/projects/${pid}/issues`, { title: 'Desc', description: 'Details\n/label ~bug ~nonexistent' });
    expect(issue.description).toBe('Details');
    expect(issue.labels).toEqual(['bug']);
    expect(sb.store.findLabel(pid, 'nonexistent')).toBeUndefined();
    await alice().put(`/projects/${pid}/issues/${issue.iid}`, { state_event: 'close' });
    const edited = await alice().put(`/projects/${pid}/issues/${issue.iid}`, { description: 'Details again\n/reopen\n/unlabel ~bug' });
    expect(edited.body).toMatchObject({ description: 'Details again', state: 'opened', labels: [] });
  });

  test('/approve on a merge request approves it', async () => {
    const handbook = sb.store.requireProject('gitlab-com/content-sites/handbook');
    const mr = sb.store.createMergeRequest(handbook.id, { title: 'Approve me', approvalsRequired: 1 });
    const res = await alice().post(`/projects/${handbook.id}/merge_requests/${mr.iid}/notes`, { body: '/approve' });
    expect(res.status).toBe(202);
    expect(sb.store.getMergeRequest(handbook.id, mr.iid)!.approvedBy.map((a) => a.userId)).toEqual([sb.store.findUserByUsername('alice')!.id]);
  });
});
