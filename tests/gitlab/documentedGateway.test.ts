import { describe, expect, it } from 'vitest';
import { GitLabResponseError } from '../../src/gitlab/errors.js';
import { all, fixture, gatewayFor, useDocumentedServer, type DocumentedServer } from './documentedServer.js';

// Every call the bot makes, through the real gateway (gitbeaker, the single-attempt requester,
// the retry policy), against a server answering with the example response GitLab's
// documentation gives for that endpoint (tests/fixtures/gitlab-api/README.md names the
// section of each). Paths are the ones the docs give; a call to any other path gets a 404.

let server: DocumentedServer;
useDocumentedServer((started) => (server = started));

const ok = (body: unknown, status = 200) => ({ status, body });
const first = (name: string): unknown => (fixture(name) as unknown[])[0];

describe('users and the token', () => {
  it('GET /user, GET /users?username=, PUT /users/:id', async () => {
    server.on('GET', '/api/v4/user', ok(first('users-list-admin')));
    server.on('GET', '/api/v4/users', ok(fixture('users-list-regular')));
    server.on('PUT', '/api/v4/users/2', ok((fixture('users-list-admin') as unknown[])[1]));
    const gateway = gatewayFor(server);
    expect(await gateway.currentUser()).toEqual({ id: 1, username: 'john_smith', name: 'John Smith' });
    expect(await gateway.currentUserIsAdmin()).toBe(false);
    expect(await gateway.findUser('JACK_smith')).toMatchObject({ id: 2, username: 'jack_smith', state: 'blocked' });
    expect(server.requests).toContain('GET /api/v4/users?username=JACK_smith');
    expect(await gateway.renameUser(2, 'jack_smith')).toMatchObject({ username: 'jack_smith', lastSignInAt: null });
  });

  it('currentUserIsAdmin: is_admin only when GitLab sends it true; a body that is no user is a clear error', async () => {
    server.on('GET', '/api/v4/user', ok({ ...(first('users-list-admin') as object), is_admin: true }));
    expect(await gatewayFor(server).currentUserIsAdmin()).toBe(true);
    server.on('GET', '/api/v4/user', ok(fixture('users-get-regular')));
    expect(await gatewayFor(server).currentUserIsAdmin()).toBe(false);
    server.on('GET', '/api/v4/user', { status: 200, headers: { 'content-type': 'application/json' }, body: 'null' });
    await expect(gatewayFor(server).currentUserIsAdmin()).rejects.toThrow(GitLabResponseError);
  });

  it("GET /users/:id: isBotUser reads GitLab's `bot` flag (lib/api/entities/user.rb); null for a user that is not there", async () => {
    server.on('GET', '/api/v4/users/1', ok(fixture('users-get-regular')));
    server.on('GET', '/api/v4/users/7', ok({ ...(fixture('users-get-regular') as object), id: 7, username: 'project_3_bot_0a1b2c3d4e5f60718293a4b5c6d7e8f9', bot: true }));
    server.on('GET', '/api/v4/users/8', { status: 404, body: { message: '404 User Not Found' } });
    const gateway = gatewayFor(server);
    expect(await gateway.isBotUser(1)).toBe(false);
    expect(await gateway.isBotUser(7)).toBe(true);
    expect(await gateway.isBotUser(8)).toBeNull();
  });

  it('findUser: an answer that is not a list is a clear error, not a TypeError', async () => {
    server.on('GET', '/api/v4/users', ok({ id: 1, username: 'john_smith' }));
    await expect(gatewayFor(server).findUser('john_smith')).rejects.toThrow(GitLabResponseError);
  });

  it('GET /users/:id/events: the documented events without created_at cannot date the latest contribution', async () => {
    server.on('GET', '/api/v4/users/1/events', ok(fixture('user-contribution-events')));
    await expect(all(gatewayFor(server).listUserEvents(1, { after: new Date('2015-01-01T00:00:00Z') }))).rejects.toThrow(/created_at: missing/);
    expect(server.requests[0]).toContain('after=2015-01-01');
    server.on('GET', '/api/v4/users/1/events', ok((fixture('user-contribution-events') as unknown[]).slice(3)));
    expect(await all(gatewayFor(server).listUserEvents(1))).toEqual([
      { actionName: 'commented on', projectId: 15, targetType: 'Note', createdAt: new Date('2015-12-04T10:33:58.089Z') },
    ]);
  });

  it('GET /users/:id/projects (with statistics) and /users/:id/contributed_projects', async () => {
    server.on('GET', '/api/v4/users/1/projects', ok([fixture('projects-get')]));
    server.on('GET', '/api/v4/users/1/contributed_projects', ok([fixture('projects-get')]));
    const gateway = gatewayFor(server);
    expect((await all(gateway.listOwnedProjects(1)))[0]).toMatchObject({ pathWithNamespace: 'diaspora/diaspora-project-site', statistics: { commitCount: 37 } });
    expect(server.requests[0]).toContain('statistics=true');
    expect((await all(gateway.listUserProjects(1))).map((p) => p.id)).toEqual([3]);
    expect((await all(gateway.listUserContributedProjects(1))).map((p) => p.id)).toEqual([3]);
  });
});

describe('namespaces and groups', () => {
  it('GET /namespaces/:id, GET /namespaces/:namespace/exists', async () => {
    server.on('GET', '/api/v4/namespaces/group1', ok(fixture('namespaces-get')));
    server.on('GET', '/api/v4/namespaces/my-group/exists', ok(fixture('namespaces-exists')));
    const gateway = gatewayFor(server);
    expect(await gateway.getNamespace('group1')).toEqual({ id: 2, kind: 'group', fullPath: 'group1', webUrl: 'https://gitlab.example.com/groups/group1', visibility: null });
    expect(await gateway.getNamespace('nobody')).toBeNull();
    expect(await gateway.namespaceExists('my-group')).toEqual({ exists: true, suggests: ['my-group1'] });
  });

  it('GET /groups/:id/members, /groups/:id/descendant_groups, /groups/:id/members/all/:user_id', async () => {
    server.on('GET', '/api/v4/groups/5/members', ok(fixture('group-members-list')));
    server.on('GET', '/api/v4/groups/5/descendant_groups', ok([{ id: 6, name: 'Foobar Group', path: 'foo-bar', full_path: 'group5/foo-bar', parent_id: 5 }]));
    server.on('GET', '/api/v4/groups/6/members', ok([]));
    server.on('GET', '/api/v4/groups/5/members/all/1', ok(first('group-members-list')));
    const gateway = gatewayFor(server);
    expect((await all(gateway.listTeamMembers(5))).map((u) => u.username)).toEqual(['raymond_smith']);
    expect(server.requests).toContain('GET /api/v4/groups/5/descendant_groups?all_available=true&per_page=100&page=1');
    expect((await all(gateway.listGroupMembers(5))).map((u) => u.id)).toEqual([1]);
    expect(await gateway.isGroupMember(5, 1)).toBe(true);
  });
});

describe('projects, labels, issues, notes, emoji, label events', () => {
  it('GET /projects/:id, GET /projects/:id/labels', async () => {
    server.on('GET', '/api/v4/projects/diaspora%2Fdiaspora-project-site', ok(fixture('projects-get')));
    server.on('GET', '/api/v4/projects/3/labels', ok(fixture('labels-list-project')));
    const gateway = gatewayFor(server);
    expect(await gateway.getProject('diaspora/diaspora-project-site')).toMatchObject({ id: 3, visibility: 'private', pipelineVariablesMinimumOverrideRole: 'maintainer' });
    expect(await all(gateway.listLabelNames(3))).toEqual(['bug', 'confirmed']);
    expect(server.requests[1]).toBe('GET /api/v4/projects/3/labels?include_ancestor_groups=true&per_page=100&page=1');
  });

  it('issues: list (with filters), get, create, update', async () => {
    server.on('GET', '/api/v4/projects/4/issues', ok(fixture('issues-list-project')));
    server.on('GET', '/api/v4/projects/4/issues/1', ok(first('issues-list-project')));
    server.on('POST', '/api/v4/projects/4/issues', ok(fixture('issues-create'), 201));
    server.on('PUT', '/api/v4/projects/4/issues/15', ok(fixture('issues-edit')));
    const gateway = gatewayFor(server);
    const listed = await all(gateway.listIssues(4, { state: 'all', labels: ['foo', 'bar'], notLabels: ['baz'], iids: [1, 2], updatedAfter: new Date('2016-01-01T00:00:00Z') }));
    expect(listed.map((i) => i.iid)).toEqual([1]);
    const query = new URL(`http://x${server.requests[0]!.slice(4)}`).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      state: 'all',
      labels: 'foo,bar',
      'not[labels]': 'baz',
      order_by: 'created_at',
      sort: 'asc',
      updated_after: '2016-01-01T00:00:00.000Z',
    });
    expect(query.getAll('iids[]')).toEqual(['1', '2']);
    expect(await gateway.getIssue(4, 1)).toMatchObject({ id: 41, state: 'closed' });
    expect(await gateway.createIssue(4, { title: 'Issues with auth', labels: ['bug'] })).toMatchObject({ iid: 14, description: '' });
    expect(await gateway.updateIssue(4, 15, { stateEvent: 'close' })).toMatchObject({ iid: 15, state: 'closed' });
  });

  it('notes: list, get, create, update, delete (204, and 404 when already gone)', async () => {
    server.on('GET', '/api/v4/projects/5/issues/11/notes', ok(fixture('notes-list-issue')));
    server.on('GET', '/api/v4/projects/5/merge_requests/2/notes/301', ok(fixture('notes-get-merge-request')));
    server.on('POST', '/api/v4/projects/5/merge_requests/2/notes', ok(fixture('notes-get-merge-request'), 201));
    server.on('PUT', '/api/v4/projects/5/issues/11/notes/305', ok((fixture('notes-list-issue') as unknown[])[1]));
    server.on('DELETE', '/api/v4/projects/5/issues/11/notes/305', { status: 204 });
    server.on('DELETE', '/api/v4/projects/5/issues/11/notes/306', { status: 404, body: { message: '404 Note Not Found' } });
    const gateway = gatewayFor(server);
    const issueRef = { projectId: 5, kind: 'issue' as const, iid: 11 };
    expect((await all(gateway.listNotes(issueRef))).map((n) => n.id)).toEqual([302, 305]);
    expect(server.requests[0]).toBe('GET /api/v4/projects/5/issues/11/notes?sort=asc&order_by=created_at&per_page=100&page=1');
    expect(await gateway.getNote(5, 'merge_request', 2, 301)).toMatchObject({ body: 'Comment for MR' });
    expect(await gateway.getNote(5, 'merge_request', 2, 999)).toBeNull();
    expect(await gateway.createNote({ projectId: 5, kind: 'merge_request', iid: 2 }, 'Comment for MR')).toMatchObject({ id: 301 });
    expect(await gateway.updateNote(issueRef, 305, 'Text of the comment')).toMatchObject({ id: 305, internal: true });
    await expect(gateway.deleteNote(issueRef, 305)).resolves.toBeUndefined();
    await expect(gateway.deleteNote(issueRef, 306)).resolves.toBeUndefined();
  });

  it('GET …/award_emoji and …/resource_label_events', async () => {
    server.on('GET', '/api/v4/projects/1/issues/80/award_emoji', ok(fixture('award-emoji-list')));
    server.on('GET', '/api/v4/projects/5/issues/11/resource_label_events', ok(fixture('resource-label-events')));
    const gateway = gatewayFor(server);
    expect((await all(gateway.listAwardEmoji({ projectId: 1, kind: 'issue', iid: 80 }))).map((a) => a.name)).toEqual(['1234', 'microphone']);
    expect(await all(gateway.listLabelEvents({ projectId: 5, kind: 'issue', iid: 11 }))).toMatchObject([{ action: 'add', label: 'a1' }]);
  });
});

describe('merge requests, approvals, statuses', () => {
  it('list, get, update, diffs', async () => {
    server.on('GET', '/api/v4/projects/3/merge_requests', ok(fixture('merge-requests-list-project')));
    server.on('GET', '/api/v4/projects/7/merge_requests/10', ok(fixture('merge-request-merged-without-sha')));
    server.on('PUT', '/api/v4/projects/15513260/merge_requests/133', ok(fixture('merge-requests-get')));
    server.on('GET', '/api/v4/projects/1/merge_requests/1/diffs', ok(fixture('merge-request-diffs')));
    const gateway = gatewayFor(server);
    expect((await all(gateway.listMergeRequests(3, { labels: ['Manage'] }))).map((m) => m.iid)).toEqual([1]);
    expect(await gateway.getMergeRequest(7, 10)).toMatchObject({ state: 'merged', sha: '' });
    expect(await gateway.updateMergeRequest(15513260, 133, { addLabels: ['x'] })).toMatchObject({ iid: 133 });
    expect(await gateway.listMergeRequestChangedPaths(1, 1)).toEqual(['README', 'VERSION']);
  });

  it('GET …/approvals in the Premium and the Free shape', async () => {
    server.on('GET', '/api/v4/projects/1/merge_requests/5/approvals', ok(fixture('merge-request-approvals-premium')));
    server.on('GET', '/api/v4/projects/1/merge_requests/6/approvals', ok(fixture('merge-request-approvals-free')));
    const gateway = gatewayFor(server);
    expect(await gateway.getMergeRequestApprovals(1, 5)).toMatchObject({ tier: 'premium', approved: false, approvalsLeft: 1 });
    expect(await gateway.getMergeRequestApprovals(1, 6)).toMatchObject({ tier: 'free', approved: true, approvalsLeft: 0 });
  });

  it('commit statuses: list by name, set', async () => {
    const sha = '18f3e63d05582537db6d183d9d557be09e1f90c8';
    server.on('GET', `/api/v4/projects/17/repository/commits/${sha}/statuses`, ok(fixture('commit-statuses-list')));
    server.on('POST', `/api/v4/projects/17/statuses/${sha}`, ok(first('commit-statuses-list'), 201));
    const gateway = gatewayFor(server);
    expect(await all(gateway.listCommitStatuses(17, sha, { name: 'bundler:audit' }))).toMatchObject([{ id: 91, description: null }]);
    expect(server.requests[0]).toContain('name=bundler%3Aaudit');
    await expect(gateway.setCommitStatus(17, { sha, state: 'pending', name: 'bundler:audit' })).resolves.toBeUndefined();
  });
});

describe('pipeline schedules, files, commits', () => {
  it('list, get, create, update, take ownership, variables, delete', async () => {
    server.on('GET', '/api/v4/projects/29/pipeline_schedules', ok(fixture('pipeline-schedules-list')));
    server.on('GET', '/api/v4/projects/29/pipeline_schedules/13', ok(fixture('pipeline-schedule-get')));
    server.on('POST', '/api/v4/projects/29/pipeline_schedules', ok(fixture('pipeline-schedule-create'), 201));
    server.on('PUT', '/api/v4/projects/29/pipeline_schedules/13', ok(fixture('pipeline-schedule-take-ownership')));
    server.on('POST', '/api/v4/projects/29/pipeline_schedules/13/take_ownership', ok(fixture('pipeline-schedule-take-ownership'), 201));
    server.on('POST', '/api/v4/projects/29/pipeline_schedules/13/variables', ok({ key: 'SUPPORT_BOT_JOB', variable_type: 'env_var', value: 'sweep' }, 201));
    server.on('PUT', '/api/v4/projects/29/pipeline_schedules/13/variables/SUPPORT_BOT_JOB', ok({ key: 'SUPPORT_BOT_JOB', variable_type: 'env_var', value: 'sla' }));
    server.on('DELETE', '/api/v4/projects/29/pipeline_schedules/13', ok(fixture('pipeline-schedule-take-ownership')));
    const gateway = gatewayFor(server);
    expect((await all(gateway.listPipelineSchedules(29))).map((s) => s.description)).toEqual(['Test schedule pipeline']);
    expect((await gateway.getPipelineSchedule(29, 13)).variables).toEqual([{ key: 'TEST_VARIABLE_1', value: 'TEST_1' }]);
    expect(await gateway.createPipelineSchedule(29, { description: 'Build packages', ref: 'main', cron: '0 1 * * 5', cronTimezone: 'UTC', active: true })).toMatchObject({
      id: 14,
    });
    expect(await gateway.updatePipelineSchedule(29, 13, { cron: '0 2 * * *' })).toMatchObject({ cron: '0 2 * * *' });
    expect((await gateway.takePipelineScheduleOwnership(29, 13)).owner).toMatchObject({ username: 'maeda' });
    await gateway.setPipelineScheduleVariable(29, 13, 'SUPPORT_BOT_JOB', 'sweep', false);
    await gateway.setPipelineScheduleVariable(29, 13, 'SUPPORT_BOT_JOB', 'sla', true);
    await expect(gateway.deletePipelineSchedule(29, 13)).resolves.toBeUndefined();
  });

  it('GET …/repository/files/:file_path (base64), and a 404 for a file that is not there', async () => {
    server.on('GET', '/api/v4/projects/13083/repository/files/app%2Fmodels%2Fkey.rb', ok(fixture('repository-file')));
    const gateway = gatewayFor(server);
    expect(await gateway.getFile(13083, 'app/models/key.rb', 'main')).toMatch(/^# == Schema Info/);
    expect(server.requests[0]).toBe('GET /api/v4/projects/13083/repository/files/app%2Fmodels%2Fkey.rb?ref=main');
    expect(await gateway.getFile(13083, 'missing.md', 'main')).toBeNull();
  });

  it('getFile: an answer without content is a clear error', async () => {
    server.on('GET', '/api/v4/projects/13083/repository/files/app%2Fmodels%2Fkey.rb', ok({ file_name: 'key.rb' }));
    await expect(gatewayFor(server).getFile(13083, 'app/models/key.rb', 'main')).rejects.toThrow(GitLabResponseError);
  });

  it('POST …/repository/commits', async () => {
    server.on('POST', '/api/v4/projects/1/repository/commits', ok({ id: 'ed899a2f4b50b4370feeea94676502b42383c746', short_id: 'ed899a2f4b5', title: 'some commit message' }, 201));
    await expect(gatewayFor(server).commitFiles(1, 'main', 'some commit message', [{ action: 'create', filePath: 'foo/bar', content: 'some content' }])).resolves.toBeUndefined();
  });
});
