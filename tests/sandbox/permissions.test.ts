// Who may do what, role by role, as GitLab decides it (app/policies/*.rb): the bot is a normal
// user, so every place where GitLab refuses or silently drops part of a request must do the
// same here, or a bot test passes only because the sandbox is kinder than GitLab.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCESS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client } from './helpers.js';

let sb: Sandbox;
let pub: number;
let priv: number;
const token = (name: string): string => `tok-${name}`;
beforeAll(async () => {
  sb = await startSandbox({});
  const { store } = sb;
  pub = store.createProject({ path_with_namespace: 'acme/public', visibility: 'public' }).id;
  priv = store.createProject({ path_with_namespace: 'acme/private', visibility: 'private' }).id;
  for (const [name, level] of [
    ['guest', ACCESS.guest],
    ['reporter', ACCESS.reporter],
    ['developer', ACCESS.developer],
    ['maintainer', ACCESS.maintainer],
  ] as const) {
    const user = store.createUser({ username: name, token: token(name) });
    store.addProjectMember(pub, user.id, level);
    store.addProjectMember(priv, user.id, level);
  }
  store.createUser({ username: 'outsider', token: token('outsider') });
  for (const project of [pub, priv]) {
    store.ensureLabel(project, 'bug');
    store.ensureLabel(project, 'triage::new');
  }
});
afterAll(() => sb.close());

const as = (name: string) => client(sb, token(name));

describe('editing issues (app/policies/issuable_policy.rb, IssuableBaseService#filter_params)', () => {
  test('a Guest edits only issues it wrote or is assigned to, and its label, assignee and confidentiality changes are dropped', async () => {
    const guest = sb.store.findUserByUsername('guest')!;
    const other = sb.store.createIssue(pub, { title: 'not mine', authorId: sb.store.findUserByUsername('reporter')!.id });
    expect((await as('guest').put(`/projects/${pub}/issues/${other.iid}`, { title: 'x' })).status).toBe(403);

    const own = sb.store.createIssue(pub, { title: 'mine', authorId: guest.id });
    const res = await as('guest').put(`/projects/${pub}/issues/${own.iid}`, {
      title: 'mine, edited',
      add_labels: 'bug',
      assignee_ids: [guest.id],
      confidential: true,
      due_date: '2030-01-01',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'mine, edited', labels: [], assignees: [], confidential: false, due_date: null });

    const assigned = sb.store.createIssue(pub, { title: 'assigned to guest', assigneeIds: [guest.id] });
    expect((await as('guest').put(`/projects/${pub}/issues/${assigned.iid}`, { state_event: 'close' })).body.state).toBe('closed');
  });

  test('a Reporter sets labels on any issue', async () => {
    const issue = sb.store.createIssue(priv, { title: 'r' });
    const res = await as('reporter').put(`/projects/${priv}/issues/${issue.iid}`, { add_labels: 'bug' });
    expect(res.body.labels).toEqual(['bug']);
  });

  test('creating: a Guest member may set labels (issue_policy.rb: guest members set metadata on new issues); a non-member of a public project only confidential', async () => {
    const guest = await as('guest').post(`/projects/${pub}/issues`, { title: 'g', labels: 'bug' });
    expect(guest.body.labels).toEqual(['bug']);
    const outsider = sb.store.findUserByUsername('outsider')!;
    const res = await as('outsider').post(`/projects/${pub}/issues`, { title: 'o', labels: 'bug', assignee_ids: [outsider.id], confidential: true, due_date: '2030-01-01' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ labels: [], assignees: [], confidential: true, due_date: null });
    expect((await as('outsider').post(`/projects/${priv}/issues`, { title: 'o' })).status).toBe(404);
  });
});

describe('editing merge requests: Developer, or author or assignee (issuable_policy.rb, project_policy.rb update_merge_request)', () => {
  test('a Reporter cannot edit a merge request it did not write; its author can, without labels', async () => {
    const mr = sb.store.createMergeRequest(pub, { title: 'mr', authorId: sb.store.findUserByUsername('developer')!.id });
    const refused = await as('reporter').put(`/projects/${pub}/merge_requests/${mr.iid}`, { add_labels: 'bug' });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: '403 Forbidden' });
    expect((await as('developer').put(`/projects/${pub}/merge_requests/${mr.iid}`, { add_labels: 'bug' })).body.labels).toEqual(['bug']);

    const byReporter = sb.store.createMergeRequest(pub, { title: 'by reporter', sourceBranch: 'r', authorId: sb.store.findUserByUsername('reporter')!.id });
    const own = await as('reporter').put(`/projects/${pub}/merge_requests/${byReporter.iid}`, { title: 'by reporter, edited', add_labels: 'bug' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ title: 'by reporter, edited', labels: [] });
  });

  test('quick actions follow the same permissions: /label from a Reporter on a merge request does nothing', async () => {
    const mr = sb.store.createMergeRequest(pub, { title: 'qa', sourceBranch: 'qa' });
    const res = await as('reporter').post(`/projects/${pub}/merge_requests/${mr.iid}/notes`, { body: 'looks fine\n/label ~bug' });
    expect(res.status).toBe(201);
    expect(sb.store.getMergeRequest(pub, mr.iid)!.labels).toEqual([]);
  });
});

describe('internal notes (app/policies/note_policy.rb, Notes::BuildService, lib/api/notes.rb)', () => {
  test('hidden from Guests in the list (after paginating) and 404 one by one; shown to Reporters', async () => {
    const issue = sb.store.createIssue(pub, { title: 'notes' });
    sb.store.createNote(issue, { body: 'public 1' });
    const internal = sb.store.createNote(issue, { body: 'internal', internal: true });
    sb.store.createNote(issue, { body: 'public 2' });

    const guestPage = await as('guest').get(`/projects/${pub}/issues/${issue.iid}/notes?sort=asc&per_page=2`);
    expect(guestPage.body.map((n: { body: string }) => n.body)).toEqual(['public 1']);
    expect(guestPage.headers.get('x-total')).toBe('3');
    expect(guestPage.headers.get('x-next-page')).toBe('2');
    const single = await as('guest').get(`/projects/${pub}/issues/${issue.iid}/notes/${internal.id}`);
    expect(single.status).toBe(404);
    expect(single.body).toEqual({ message: '404 Note Not Found' });

    const reporter = await as('reporter').get(`/projects/${pub}/issues/${issue.iid}/notes?sort=asc`);
    expect(reporter.body.map((n: { body: string }) => n.body)).toEqual(['public 1', 'internal', 'public 2']);
  });

  test('internal: true from a Guest is ignored: the note is public', async () => {
    const issue = sb.store.createIssue(pub, { title: 'guest internal' });
    const guest = await as('guest').post(`/projects/${pub}/issues/${issue.iid}/notes`, { body: 'psst', internal: true });
    expect(guest.status).toBe(201);
    expect(guest.body.internal).toBe(false);
    const reporter = await as('reporter').post(`/projects/${pub}/issues/${issue.iid}/notes`, { body: 'psst', internal: true });
    expect(reporter.body.internal).toBe(true);
  });
});

describe('editing and deleting notes: admin_note (lib/api/helpers/notes_helpers.rb)', () => {
  test("a Maintainer may edit and delete others' notes, a Developer may not, and nobody touches a system note", async () => {
    const issue = sb.store.createIssue(pub, { title: 'moderation' });
    const note = sb.store.createNote(issue, { body: 'spam', authorId: sb.store.findUserByUsername('guest')!.id });
    const path = `/projects/${pub}/issues/${issue.iid}/notes/${note.id}`;
    expect((await as('developer').put(path, { body: 'edited' })).status).toBe(403);
    expect((await as('developer').del(path)).status).toBe(403);
    expect((await as('maintainer').put(path, { body: 'edited' })).body.body).toBe('edited');
    expect((await as('maintainer').del(path)).status).toBe(204);

    const system = sb.store.createNote(issue, { body: 'changed the description', system: true, authorId: sb.store.findUserByUsername('maintainer')!.id });
    expect((await as('maintainer').del(`/projects/${pub}/issues/${issue.iid}/notes/${system.id}`)).status).toBe(403);
  });
});

describe('emoji reactions (lib/api/award_emoji.rb)', () => {
  test("removing someone else's reaction is 401, not 403; a second one of the same name is 404 naming the validation", async () => {
    const issue = sb.store.createIssue(pub, { title: 'emoji' });
    const path = `/projects/${pub}/issues/${issue.iid}/award_emoji`;
    const award = await as('guest').post(path, { name: 'thumbsup' });
    expect(award.status).toBe(201);
    const again = await as('guest').post(path, { name: 'thumbsup' });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ message: '404 Award Emoji ["Name has already been taken"] Not Found' });
    const removed = await as('maintainer').del(`${path}/${award.body.id}`);
    expect(removed.status).toBe(401);
    expect(removed.body).toEqual({ message: '401 Unauthorized' });
    expect((await client(sb, SANDBOX_TOKENS.admin).del(`${path}/${award.body.id}`)).status).toBe(204);
  });
});

describe('approving (lib/api/merge_request_approvals.rb, merge_request_policy.rb)', () => {
  test('a Reporter is refused with 403; a second approval is 401; unapproving without an approval is 404 Not Found', async () => {
    const mr = sb.store.createMergeRequest(pub, { title: 'approve me', sourceBranch: 'approve' });
    const path = `/projects/${pub}/merge_requests/${mr.iid}`;
    const reporter = await as('reporter').post(`${path}/approve`);
    expect(reporter.status).toBe(403);
    expect(reporter.body).toEqual({ message: '403 Forbidden' });
    expect((await as('developer').post(`${path}/approve`)).status).toBe(201);
    expect((await as('developer').post(`${path}/approve`)).body).toEqual({ message: '401 Unauthorized' });
    const none = await as('maintainer').post(`${path}/unapprove`);
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ message: '404 Not Found' });
  });
});

describe('merge requests of a private project are for Reporters and up (project_policy.rb read_merge_request; doc/user/permissions.md)', () => {
  test('a Guest gets 403 on the list and on one, and 404 on its notes; on a public project it reads them', async () => {
    const mr = sb.store.createMergeRequest(priv, { title: 'secret', sourceBranch: 'secret' });
    expect((await as('guest').get(`/projects/${priv}/merge_requests`)).status).toBe(403);
    expect((await as('guest').get(`/projects/${priv}/merge_requests/${mr.iid}`)).body).toEqual({ message: '403 Forbidden' });
    expect((await as('guest').get(`/projects/${priv}/merge_requests/${mr.iid}/notes`)).status).toBe(404);
    expect((await as('reporter').get(`/projects/${priv}/merge_requests/${mr.iid}`)).status).toBe(200);
    expect((await as('guest').get(`/projects/${pub}/merge_requests`)).status).toBe(200);
    expect((await as('outsider').get(`/projects/${pub}/merge_requests`)).status).toBe(200);
  });
});

describe('user search (User.search via UsersFinder)', () => {
  test('blocked and banned users are left out for non-administrators, also by username (UsersFinder#base_scope)', async () => {
    sb.store.createUser({ username: 'blocked-one', state: 'blocked' });
    sb.store.createUser({ username: 'banned-one', state: 'banned' });
    for (const username of ['blocked-one', 'banned-one']) {
      expect((await as('guest').get(`/users?username=${username}`)).body).toEqual([]);
      expect((await client(sb, SANDBOX_TOKENS.admin).get(`/users?username=${username}`)).body).toHaveLength(1);
    }
  });

  test('matches name and username; a private email only for administrators, and only whole', async () => {
    const names = (body: { username: string }[]) => body.map((u) => u.username);
    expect(names((await as('guest').get('/users?search=outsider@example.com')).body)).toEqual([]);
    expect(names((await as('guest').get('/users?search=@outsid')).body)).toEqual(['outsider']);
    expect(names((await client(sb, SANDBOX_TOKENS.admin).get('/users?search=outsider@example.com')).body)).toEqual(['outsider']);
    expect(names((await client(sb, SANDBOX_TOKENS.admin).get('/users?search=example.com')).body)).toEqual([]);
  });
});

describe('CI and code reads: read_commit_status, read_pipeline_schedule and download_code are public access or Reporter (project_policy.rb)', () => {
  test('a Guest of a private project gets 403; an unknown commit is 404 Commit (lib/api/commit_statuses.rb)', async () => {
    sb.store.createMergeRequest(priv, { title: 'ci', sourceBranch: 'ci', sha: 'c1c1c1c1' });
    expect((await as('guest').get(`/projects/${priv}/repository/commits/c1c1c1c1/statuses`)).status).toBe(403);
    expect((await as('guest').get(`/projects/${priv}/pipeline_schedules`)).status).toBe(403);
    expect((await as('guest').get(`/projects/${priv}/repository/tree`)).status).toBe(403);
    expect((await as('outsider').get(`/projects/${pub}/repository/tree`)).status).not.toBe(403);
    expect((await as('reporter').get(`/projects/${priv}/repository/commits/c1c1c1c1/statuses`)).status).toBe(200);
    expect((await as('reporter').get(`/projects/${priv}/pipeline_schedules`)).status).toBe(200);
    const unknown = await as('reporter').get(`/projects/${priv}/repository/commits/0000000/statuses`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: '404 Commit Not Found' });
  });
});

describe('text limits (issuable.rb, note.rb; doc/api/issues.md, doc/api/notes.md)', () => {
  test('a title over 255 characters, a description over 1 MiB and a note over 1,000,000 characters are 400', async () => {
    const api = as('maintainer');
    const title = await api.post(`/projects/${pub}/issues`, { title: 'x'.repeat(256) });
    expect(title.status).toBe(400);
    expect(title.body).toEqual({ message: { title: ['is too long (maximum is 255 characters)'] } });
    const ok = await api.post(`/projects/${pub}/issues`, { title: 'é'.repeat(255), description: 'd'.repeat(1_048_576) });
    expect(ok.status).toBe(201);
    const description = await api.put(`/projects/${pub}/issues/${ok.body.iid}`, { description: 'd'.repeat(1_048_577) });
    expect(description.body).toEqual({ message: { description: ['is too long (maximum is 1048576 characters)'] } });
    const note = await api.post(`/projects/${pub}/issues/${ok.body.iid}/notes`, { body: 'n'.repeat(1_000_001) });
    expect(note.status).toBe(400);
    expect(note.body).toEqual({ message: '400 Bad request - Note {:note=>["is too long (maximum is 1000000 characters)"]}' });
    expect((await api.post(`/projects/${pub}/issues/${ok.body.iid}/notes`, { body: 'n'.repeat(1_000_000) })).status).toBe(201);
  });
});

describe('the caller\'s own access in "Get a single project" (doc/api/projects.md; Entities::ProjectWithAccess)', () => {
  test('project_access is the direct role, group_access the highest through the group, null where there is none', async () => {
    const group = sb.store.findGroupByPath('acme')!;
    const lead = sb.store.createUser({ username: 'lead', token: token('lead') });
    sb.store.addGroupMember(group.id, lead.id, ACCESS.maintainer);
    expect((await as('reporter').get(`/projects/${pub}`)).body.permissions).toEqual({
      project_access: { access_level: ACCESS.reporter, notification_level: 3 },
      group_access: null,
    });
    expect((await as('lead').get(`/projects/${pub}`)).body.permissions).toEqual({ project_access: null, group_access: { access_level: ACCESS.maintainer, notification_level: 3 } });
    expect((await as('outsider').get(`/projects/${pub}`)).body.permissions).toEqual({ project_access: null, group_access: null });
  });
});
