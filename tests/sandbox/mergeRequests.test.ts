import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCESS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client, enc } from './helpers.js';

let sb: Sandbox;
let pid: number;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  pid = sb.store.requireProject('gitlab-com/content-sites/handbook').id;
});
afterAll(() => sb.close());

describe('merge requests', () => {
  test('create, list by state/labels, approve → Merge Request Hook actions, merge', async () => {
    const events: { action: string; user: string }[] = [];
    const off = sb.onWebhook(({ event, body }) => {
      const b = body as any;
      if (event === 'Merge Request Hook') events.push({ action: b.object_attributes.action, user: b.user.username });
    });
    const bruno = sb.store.findUserByUsername('bruno')!;
    sb.store.addToken('bruno-token', bruno.id);
    const created = await client(sb, 'bruno-token').post(`/projects/${pid}/merge_requests`, { source_branch: 'fix', target_branch: 'main', title: 'Fix typo', labels: 'handbook' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ iid: 1, state: 'opened', source_branch: 'fix', labels: ['handbook'], author: { username: 'bruno' }, draft: false });
    expect((await client(sb).get(`/projects/${pid}/merge_requests?state=opened&labels=handbook`)).body.map((m: any) => m.iid)).toEqual([1]);
    expect((await client(sb).get(`/projects/${pid}/merge_requests?state=merged`)).body).toEqual([]);

    const maria = sb.store.findUserByUsername('maria-manager')!;
    sb.store.addToken('maria-token', maria.id);
    const approved = await client(sb, 'maria-token').post(`/projects/${pid}/merge_requests/1/approve`);
    expect(approved.status).toBe(201);
    expect(approved.body.approved_by.map((a: any) => a.user.username)).toEqual(['maria-manager']);
    expect((await client(sb, 'maria-token').post(`/projects/${pid}/merge_requests/1/approve`)).status).toBe(401);

    const labelled = await client(sb).put(`/projects/${pid}/merge_requests/1`, { add_labels: 'approval::done' });
    expect(labelled.body.labels).toEqual(['approval::done', 'handbook']);
    const merged = await client(sb, 'maria-token').put(`/projects/${pid}/merge_requests/1/merge`);
    expect(merged.body).toMatchObject({ state: 'merged', merged_by: { username: 'maria-manager' } });
    expect(merged.body.merged_at).not.toBeNull();

    await client(sb).post(`/projects/${pid}/merge_requests/1/notes`, { body: 'Approved by @maria-manager' });
    await sb.flushWebhooks();
    off();
    expect(events).toEqual([
      { action: 'open', user: 'bruno' },
      { action: 'approved', user: 'maria-manager' },
      { action: 'update', user: 'support-bot' },
      { action: 'merge', user: 'maria-manager' },
    ]);
    const notes = await client(sb).get(`/projects/${pid}/merge_requests/1/notes`);
    expect(notes.body[0]).toMatchObject({ noteable_type: 'MergeRequest', noteable_iid: 1 });
  });
});

describe('commit statuses', () => {
  test('post and list; repeating a non-final state is 400; final states start a new job', async () => {
    const mr = sb.store.createMergeRequest(pid, { title: 'status' });
    const api = client(sb);
    const pending = await api.post(`/projects/${pid}/statuses/${mr.sha}`, { state: 'pending', name: 'approval', target_url: 'https://example.com' });
    expect(pending.status).toBe(201);
    expect(pending.body).toMatchObject({ status: 'pending', name: 'approval', ref: mr.sourceBranch, sha: mr.sha });
    const again = await api.post(`/projects/${pid}/statuses/${mr.sha}`, { state: 'pending', name: 'approval' });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/^Cannot transition status via :enqueue from :pending/);
    expect((await api.post(`/projects/${pid}/statuses/${mr.sha}`, { state: 'success', name: 'approval' })).status).toBe(201);
    expect((await api.post(`/projects/${pid}/statuses/${mr.sha}`, { state: 'failed', name: 'approval' })).status).toBe(201);
    expect((await api.get(`/projects/${pid}/repository/commits/${mr.sha}/statuses`)).body.map((s: any) => s.status)).toEqual(['failed']);
    expect((await api.get(`/projects/${pid}/repository/commits/${mr.sha}/statuses?all=true`)).body.map((s: any) => s.status)).toEqual(['success', 'failed']);
    expect((await api.post(`/projects/${pid}/statuses/${mr.sha}`, {})).body).toEqual({ error: 'state is missing' });
    expect((await api.post(`/projects/${pid}/statuses/${'0'.repeat(40)}`, { state: 'success' })).status).toBe(404);
  });

  test('past 1,000 changed files the diff overflows: /diffs and /changes list 1,000, /changes says overflow, changes_count "1000+" (doc/administration/diff_limits.md)', async () => {
    const changes = Array.from({ length: 1001 }, (_, i) => ({ new_path: `f/${String(i).padStart(4, '0')}.md` }));
    const big = sb.store.createMergeRequest(pid, { title: 'big', changes });
    const small = sb.store.createMergeRequest(pid, { title: 'small', changes: changes.slice(0, 3) });
    const api = client(sb);
    const diffs = await api.get(`/projects/${pid}/merge_requests/${big.iid}/diffs?per_page=100&page=11`);
    expect([diffs.body.length, diffs.headers.get('x-total')]).toEqual([0, '1000']);
    const listed = await api.get(`/projects/${pid}/merge_requests/${big.iid}/changes`);
    expect([listed.body.changes.length, listed.body.overflow, listed.body.changes_count]).toEqual([1000, true, '1000+']);
    expect((await api.get(`/projects/${pid}/merge_requests/${big.iid}`)).body.changes_count).toBe('1000+');
    expect((await api.get(`/projects/${pid}/merge_requests/${small.iid}`)).body.changes_count).toBe('3');
  });

  test('the raw diff (GET …/raw_diffs, doc/api/merge_requests.md "Show merge request raw diffs") is plain text naming every changed file, past the 1,000 /diffs lists', async () => {
    const changes = Array.from({ length: 1001 }, (_, i) => ({ new_path: `f/${String(i).padStart(4, '0')}.md` }));
    const big = sb.store.createMergeRequest(pid, { title: 'big raw', changes });
    const raw = await client(sb).get(`/projects/${pid}/merge_requests/${big.iid}/raw_diffs`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    const headers = String(raw.body)
      .split('\n')
      .filter((l) => l.startsWith('diff --git '));
    expect(headers).toHaveLength(1001);
    expect(headers.at(-1)).toBe('diff --git a/f/1000.md b/f/1000.md');
  });

  test('a fork merge request head: without ref 404 References for commit (Ci::CreateCommitStatusService#ref), with its merge request ref placed there', async () => {
    const fork = sb.store.createProject({ path_with_namespace: 'bruno/handbook-fork', visibility: 'public' });
    const mr = sb.store.createMergeRequest(pid, { title: 'from a fork', sourceProjectId: fork.id, sourceBranch: 'main' });
    const api = client(sb);
    expect((await api.get(`/projects/${pid}/merge_requests/${mr.iid}`)).body).toMatchObject({ source_project_id: fork.id, target_project_id: pid });
    const without = await api.post(`/projects/${pid}/statuses/${mr.sha}`, { state: 'failed', name: 'approval' });
    expect([without.status, without.body]).toEqual([404, { message: '404 References for commit Not Found' }]);
    const ref = `refs/merge-requests/${mr.iid}/head`;
    const placed = await api.post(`/projects/${pid}/statuses/${mr.sha}`, { state: 'failed', name: 'approval', ref });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ ref, status: 'failed' });
    // Once a pipeline holds the commit, a status without ref goes on that pipeline's ref.
    const next = await api.post(`/projects/${pid}/statuses/${mr.sha}`, { state: 'success', name: 'approval' });
    expect([next.status, next.body.ref]).toEqual([201, ref]);
  });
});

describe('repository', () => {
  test('commit actions: create/update/delete; conflicts are 400 and change nothing', async () => {
    const api = client(sb);
    const create = await api.post(`/projects/${pid}/repository/commits`, {
      branch: 'main',
      commit_message: 'Add templates',
      actions: [
        { action: 'create', file_path: 'templates/a.md', content: 'A' },
        { action: 'create', file_path: 'templates/b.md', content: Buffer.from('B').toString('base64'), encoding: 'base64' },
      ],
    });
    expect(create.status).toBe(201);
    expect(create.body).toMatchObject({ title: 'Add templates', author_name: 'Support Bot' });

    const conflict = await api.post(`/projects/${pid}/repository/commits`, {
      branch: 'main',
      commit_message: 'dup',
      actions: [
        { action: 'update', file_path: 'templates/a.md', content: 'A2' },
        { action: 'create', file_path: 'templates/b.md', content: 'x' },
      ],
    });
    expect(conflict.status).toBe(400);
    expect(conflict.body).toEqual({ message: 'A file with this name already exists' });
    const missing = await api.post(`/projects/${pid}/repository/commits`, {
      branch: 'main',
      commit_message: 'm',
      actions: [{ action: 'update', file_path: 'nope.md', content: '' }],
    });
    expect(missing.body).toEqual({ message: "A file with this name doesn't exist" });
    const a = await api.get(`/projects/${pid}/repository/files/${enc('templates/a.md')}?ref=main`);
    expect(Buffer.from(a.body.content, 'base64').toString()).toBe('A');
    expect(a.body).toMatchObject({ file_name: 'a.md', file_path: 'templates/a.md', encoding: 'base64', ref: 'main', last_commit_id: create.body.id });

    await api.post(`/projects/${pid}/repository/commits`, { branch: 'main', commit_message: 'Remove b', actions: [{ action: 'delete', file_path: 'templates/b.md' }] });
    const gone = await api.get(`/projects/${pid}/repository/files/${enc('templates/b.md')}?ref=main`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ message: '404 File Not Found' });
    expect((await api.get(`/projects/${pid}/repository/files/${enc('templates/a.md')}`)).body).toEqual({ error: 'ref is missing' });
    const raw = await fetch(`${sb.url}/api/v4/projects/${pid}/repository/files/${enc('templates/a.md')}/raw?ref=main`, { headers: { 'PRIVATE-TOKEN': SANDBOX_TOKENS.bot } });
    expect(await raw.text()).toBe('A');

    const tree = await api.get(`/projects/${pid}/repository/tree?ref=main`);
    expect(tree.body.map((t: any) => [t.type, t.path])).toEqual([
      ['tree', 'content'],
      ['tree', 'templates'],
    ]);
    const recursive = await api.get(`/projects/${pid}/repository/tree?ref=main&path=templates&recursive=true`);
    expect(recursive.body.map((t: any) => t.path)).toEqual(['templates/a.md']);
    const commits = await api.get(`/projects/${pid}/repository/commits?ref_name=main`);
    expect(commits.body.map((c: any) => c.title).slice(0, 2)).toEqual(['Remove b', 'Add templates']);
  });

  test('a commit to a new branch needs start_branch', async () => {
    const api = client(sb);
    const res = await api.post(`/projects/${pid}/repository/commits`, { branch: 'feature', commit_message: 'x', actions: [{ action: 'create', file_path: 'f.md', content: 'f' }] });
    expect(res.status).toBe(400);
    const ok = await api.post(`/projects/${pid}/repository/commits`, {
      branch: 'feature',
      start_branch: 'main',
      commit_message: 'x',
      actions: [{ action: 'create', file_path: 'f.md', content: 'f' }],
    });
    expect(ok.status).toBe(201);
    expect(sb.store.getFile(pid, 'feature', 'templates/a.md')).toBe('A');
    expect(sb.store.getFile(pid, 'main', 'f.md')).toBeUndefined();
  });
});

describe('approvals by tier', () => {
  // GitLab.com runs EE on every tier (issue 21, third look): Free answers the EE shape with
  // nothing required (ee/lib/ee/api/entities/approval_state.rb) and mounts approval_state
  // (ee/lib/ee/api/merge_request_approvals.rb) with no rules. The small shape is self-managed CE.
  test('Free on GitLab.com answers the EE shape, approved with nothing required; approval_state is mounted with no rules', async () => {
    const free = await startSandbox({ seed: 'demo', tier: 'free' });
    try {
      const project = free.store.requireProject('gitlab-com/content-sites/handbook');
      const mr = free.store.createMergeRequest(project.id, { title: 'x', approvalsRequired: 2 });
      const unapproved = await client(free).get(`/projects/${project.id}/merge_requests/${mr.iid}/approvals`);
      expect(unapproved.body).toMatchObject({ approved: true, approvals_required: 0, approvals_left: 0, approved_by: [], has_approval_rules: false });
      free.store.addApproval(project.id, mr.iid, free.store.findUserByUsername('maria-manager')!.id);
      const res = await client(free).get(`/projects/${project.id}/merge_requests/${mr.iid}/approvals`);
      expect(res.body).toMatchObject({ approved: true, approvals_required: 0, approvals_left: 0 });
      expect(res.body.approved_by.map((a: any) => a.user.username)).toEqual(['maria-manager']);
      const state = await client(free).get(`/projects/${project.id}/merge_requests/${mr.iid}/approval_state`);
      expect(state.status).toBe(200);
      expect(state.body).toEqual({ approval_rules_overwritten: false, rules: [] });
    } finally {
      await free.close();
    }
    const premium = await client(sb).get(`/projects/${pid}/merge_requests/1/approvals`);
    expect(premium.body).toHaveProperty('approvals_required');
  });
});

describe.each(['free', 'premium'] as const)('a push to the source branch on %s', (tier) => {
  test(
    tier === 'premium'
      ? 'removes the approvals ten seconds later (MergeRequestResetApprovalsWorker), then sends a system Merge Request Hook "unapproved"'
      : 'keeps the approvals (resetting them is Premium)',
    async () => {
      const sandbox = await startSandbox({ seed: 'demo', tier });
      const hooks: any[] = [];
      sandbox.onWebhook(({ event, body }) => {
        if (event === 'Merge Request Hook') hooks.push(body);
      });
      try {
        const project = sandbox.store.requireProject('gitlab-com/content-sites/handbook');
        const mr = sandbox.store.createMergeRequest(project.id, { title: 'Push', sourceBranch: 'main' });
        sandbox.store.addApproval(project.id, mr.iid, sandbox.store.findUserByUsername('maria-manager')!.id);
        const pushed = await client(sandbox).post(`/projects/${project.id}/repository/commits`, {
          branch: 'main',
          commit_message: 'More',
          actions: [{ action: 'create', file_path: 'more.md', content: 'x' }],
        });
        expect(pushed.status).toBe(201);
        // Until the worker runs, approved_by still lists the approval on either tier.
        expect((await client(sandbox).get(`/projects/${project.id}/merge_requests/${mr.iid}/approvals`)).body.approved_by).toHaveLength(1);
        expect(sandbox.runDelayedJobs()).toBe(tier === 'premium' ? 1 : 0);
        await sandbox.flushWebhooks();
        expect(sandbox.store.getMergeRequest(project.id, mr.iid)!.approvedBy).toHaveLength(tier === 'premium' ? 0 : 1);
        const actions = hooks.map((h) => [h.object_attributes.action, h.object_attributes.system ?? false, h.object_attributes.system_action ?? null]);
        expect(actions).toEqual(
          tier === 'premium'
            ? [
                ['update', false, null],
                ['unapproved', true, 'approvals_reset_on_push'],
              ]
            : [['update', false, null]],
        );
      } finally {
        await sandbox.close();
      }
    },
  );
});

// POST /api/graphql answers the one query the bot sends, Query.note with author and
// lastEditedBy (app/graphql/types/query_type.rb, app/graphql/types/notes/base_note_interface.rb).

const QUERY = 'query($id: NoteID!) { note(id: $id) { author { username } lastEditedBy { username } } }';

async function graphql(token: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${sb.url}/api/graphql`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': token, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('GraphQL Query.note', () => {
  test('lastEditedBy is null until the body is edited, then the editor (Notes::UpdateService, Editable#last_edited_by)', async () => {
    const maria = sb.store.findUserByUsername('maria-manager')!;
    const chen = sb.store.findUserByUsername('chen')!;
    sb.store.addProjectMember(pid, chen.id, ACCESS.maintainer);
    sb.store.addToken('chen-token', chen.id);
    const mr = sb.store.createMergeRequest(pid, { title: 'edits' });
    const note = sb.store.createNote(mr, { body: 'Thanks, will look.', authorId: maria.id });
    const id = `gid://gitlab/Note/${note.id}`;
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id })).body).toEqual({ data: { note: { author: { username: 'maria-manager' }, lastEditedBy: null } } });
    // The same body again changes nothing, so records no editor.
    expect((await client(sb, 'chen-token').put(`/projects/${pid}/merge_requests/${mr.iid}/notes/${note.id}`, { body: 'Thanks, will look.' })).status).toBe(200);
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id })).body.data.note.lastEditedBy).toBeNull();
    expect((await client(sb, 'chen-token').put(`/projects/${pid}/merge_requests/${mr.iid}/notes/${note.id}`, { body: 'LGTM' })).status).toBe(200);
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id })).body).toEqual({ data: { note: { author: { username: 'maria-manager' }, lastEditedBy: { username: 'chen' } } } });
  });

  test('a note the user cannot read (an internal note for a non-member, a missing note) is null', async () => {
    const mr = sb.store.createMergeRequest(pid, { title: 'internal' });
    const internal = sb.store.createNote(mr, { body: 'LGTM', internal: true });
    sb.store.createUser({ username: 'outsider', name: 'Outsider', token: 'outsider-token' });
    expect((await graphql('outsider-token', QUERY, { id: `gid://gitlab/Note/${internal.id}` })).body).toEqual({ data: { note: null } });
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id: `gid://gitlab/Note/${internal.id}` })).body.data.note).not.toBeNull();
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id: 'gid://gitlab/Note/999999' })).body).toEqual({ data: { note: null } });
  });

  test('anything else is a GraphQL error; no token is 401', async () => {
    expect((await graphql(SANDBOX_TOKENS.bot, '{ currentUser { username } }', {})).body.errors).toHaveLength(1);
    expect((await graphql(SANDBOX_TOKENS.bot, 'query($id: NoteID!) { note(id: $id) { secret } }', { id: 'gid://gitlab/Note/1' })).body.errors[0].message).toBe(
      "Field 'secret' doesn't exist on type 'Note'",
    );
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id: '12' })).body.errors).toHaveLength(1);
    expect((await graphql('no-such-token', QUERY, { id: 'gid://gitlab/Note/1' })).status).toBe(401);
  });
});
