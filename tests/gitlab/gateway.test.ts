import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitLabError } from '../../src/gitlab/errors.js';
import { RestGateway } from '../../src/gitlab/gateway.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

// The gateway against the sandbox over HTTP: the typed interface every feature uses.

let sandbox: Sandbox;
let gateway: RestGateway;
const retry = { retries: 3, baseMs: 1, maxMs: 50 };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  gateway = new RestGateway({ url: sandbox.url, token: SANDBOX_TOKENS.bot, concurrency: 4, retry, slowDownBelow: 0.1, timeoutMs: 5_000 });
});
afterAll(() => sandbox.close());

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('RestGateway', () => {
  it('knows its own user and projects by path', async () => {
    expect((await gateway.currentUser()).username).toBe('support-bot');
    const project = await gateway.getProject('gitlab-com/support/internal-requests');
    expect(project).toMatchObject({ pathWithNamespace: 'gitlab-com/support/internal-requests', visibility: 'public' });
  });

  it('streams issues across pages with filters, and updates labels in one call', async () => {
    const project = sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    for (let i = 0; i < 105; i += 1) sandbox.store.createIssue(project.id, { title: `n${i}`, labels: i % 2 ? ['odd'] : [] });
    expect(await all(gateway.listIssues(project.id))).toHaveLength(105);
    expect(await all(gateway.listIssues(project.id, { labels: ['odd'] }))).toHaveLength(52);
    expect(await all(gateway.listIssues(project.id, { notLabels: ['odd'] }))).toHaveLength(53);
    const updated = await gateway.updateIssue(project.id, 1, { addLabels: ['triage::ready', 'x'], removeLabels: [] });
    expect(updated.labels).toEqual(expect.arrayContaining(['triage::ready', 'x']));
    const swapped = await gateway.updateIssue(project.id, 1, { addLabels: ['triage::needs-info'] });
    expect(swapped.labels).not.toContain('triage::ready');
  });

  it('creates, lists and edits notes', async () => {
    const project = sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    const ref = { projectId: project.id, kind: 'issue' as const, iid: 2 };
    const note = await gateway.createNote(ref, 'first');
    await gateway.updateNote(ref, note.id, 'edited');
    const notes = await all(gateway.listNotes(ref));
    expect(notes.filter((n) => !n.system).map((n) => n.body)).toEqual(['edited']);
    expect(notes[0]!.author.username).toBe('support-bot');
  });

  it('reads users, their events and projects, and renames (admin)', async () => {
    // Sign-in data and renaming are for administrators; the bot is a normal user: it finds
    // the user, and the admin-only fields are absent (undefined), not "never" (null).
    const seen = await gateway.findUser('busy-owner');
    expect(seen).toMatchObject({ username: 'busy-owner', state: 'active' });
    expect(seen!.lastActivityOn).toBeUndefined();
    expect(seen!.createdAt).toBeUndefined();
    const admin = new RestGateway({ url: sandbox.url, token: SANDBOX_TOKENS.admin, concurrency: 1, retry, slowDownBelow: 0.1, timeoutMs: 5_000 });
    const user = await admin.findUser('busy-owner');
    expect(user).toMatchObject({ username: 'busy-owner', state: 'active' });
    expect(user!.lastActivityOn).toBeInstanceOf(Date);
    expect(await admin.findUser('nobody-here')).toBeNull();
    const events = await all(gateway.listUserEvents(user!.id));
    expect(events[0]).toMatchObject({ actionName: 'pushed to' });
    expect((await all(gateway.listUserProjects(user!.id))).map((p) => p.pathWithNamespace)).toContain('busy-owner/side-project');
    expect(await all(gateway.listUserContributedProjects(user!.id))).toEqual(expect.any(Array));
    await expect(gateway.renameUser(user!.id, 'renamed')).rejects.toMatchObject({ status: 403 });
    const idle = await admin.findUser('coolname');
    expect((await admin.renameUser(idle!.id, 'idle-coolname')).username).toBe('idle-coolname');
  });

  it('reads merge requests, their approvals and changed paths', async () => {
    const project = sandbox.store.resolveProject('gitlab-com/content-sites/handbook')!;
    const manager = sandbox.store.findUserByUsername('maria-manager')!;
    const mr = sandbox.store.createMergeRequest(project.id, {
      title: 'Change the triage process',
      approvalsRequired: 1,
      changes: [{ new_path: 'content/handbook/support/workflows/triage.md' }, { old_path: 'a.md', new_path: 'b.md', renamed_file: true }],
    });
    expect((await gateway.getMergeRequestApprovals(project.id, mr.iid)).approved).toBe(false);
    sandbox.store.addApproval(project.id, mr.iid, manager.id);
    const approvals = await gateway.getMergeRequestApprovals(project.id, mr.iid);
    expect(approvals).toMatchObject({ approved: true, approvalsLeft: 0, approvedBy: [expect.objectContaining({ username: 'maria-manager' })] });
    expect(await gateway.listMergeRequestChangedPaths(project.id, mr.iid)).toEqual(['content/handbook/support/workflows/triage.md', 'a.md', 'b.md']);
    expect((await all(gateway.listMergeRequests(project.id))).map((m) => m.iid)).toContain(mr.iid);
    expect((await gateway.getMergeRequest(project.id, mr.iid)).sha).toBe(mr.sha);
  });

  it('reads a team as the group and its subgroups, not the members inherited from above', async () => {
    const store = sandbox.store;
    const company = store.findGroupByPath('gitlab-com')!;
    const emea = store.findGroupByPath('gitlab-com/support/emea')!;
    const salesPerson = store.createUser({ username: 'company-wide' });
    const emeaOnly = store.createUser({ username: 'emea-only' });
    store.addGroupMember(company.id, salesPerson.id, 30);
    store.addGroupMember(emea.id, emeaOnly.id, 30);
    const team = new Set((await all(gateway.listTeamMembers('gitlab-com/support'))).map((u) => u.username));
    expect(team.has('emea-only')).toBe(true);
    expect(team.has('bruno')).toBe(true);
    expect(team.has('company-wide')).toBe(false);
  });

  it('reads the subgroups of a team the (non-admin) bot is not a member of, as long as they are public', async () => {
    const store = sandbox.store;
    const team = store.createGroup({ path: 'partner-support', parentId: store.findGroupByPath('gitlab-com')!.id });
    const apac = store.createGroup({ path: 'apac', parentId: team.id });
    const hidden = store.createGroup({ path: 'hidden', parentId: team.id, visibility: 'private' });
    const lead = store.createUser({ username: 'partner-lead' });
    const apacEngineer = store.createUser({ username: 'apac-engineer' });
    const hiddenEngineer = store.createUser({ username: 'hidden-engineer' });
    store.addGroupMember(team.id, lead.id, 40);
    store.addGroupMember(apac.id, apacEngineer.id, 30);
    store.addGroupMember(hidden.id, hiddenEngineer.id, 30);
    const names = (await all(gateway.listTeamMembers('gitlab-com/partner-support'))).map((u) => u.username);
    expect(names).toEqual(['partner-lead', 'apac-engineer']);
    // What ARCHITECTURE.md asks for: a member of the team group sees its private subgroups too.
    store.addGroupMember(team.id, store.findUserByUsername('support-bot')!.id, 20);
    expect((await all(gateway.listTeamMembers('gitlab-com/partner-support'))).map((u) => u.username)).toContain('hidden-engineer');
  });

  it('tells whether the bot is a member of a group, through a parent group too, or cannot see it', async () => {
    const store = sandbox.store;
    const bot = store.findUserByUsername('support-bot')!;
    expect(await gateway.isGroupMember('gitlab-com/support/emea', bot.id)).toBe(true);
    expect(await gateway.isGroupMember('gitlab-com', bot.id)).toBe(false);
    store.createGroup({ path: 'secret-team', visibility: 'private' });
    expect(await gateway.isGroupMember('secret-team', bot.id)).toBeNull();
  });

  it('sets commit statuses and reads and commits repository files', async () => {
    const project = sandbox.store.resolveProject('gitlab-com/content-sites/handbook')!;
    expect(await gateway.getFile(project.id, '.gitlab/issue_templates/X.md', 'main')).toBeNull();
    await gateway.commitFiles(project.id, 'main', 'Add X', [{ action: 'create', filePath: '.gitlab/issue_templates/X.md', content: '# X\n' }]);
    expect(await gateway.getFile(project.id, '.gitlab/issue_templates/X.md', 'main')).toBe('# X\n');
    const mr = sandbox.store.createMergeRequest(project.id, { title: 'status' });
    await gateway.setCommitStatus(project.id, { sha: mr.sha, state: 'success', name: 'support-bot/approval' });
  });

  it('classifies errors by status and retries only what can be retried', async () => {
    sandbox.faults.failNext(2, 502);
    expect((await gateway.getProject('gitlab-com/support/feedback')).pathWithNamespace).toBe('gitlab-com/support/feedback');
    const missing = await gateway.getIssue(999_999, 1).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GitLabError);
    expect((missing as GitLabError).status).toBe(404);
    const bad = new RestGateway({ url: sandbox.url, token: 'wrong', concurrency: 1, retry, slowDownBelow: 0.1, timeoutMs: 5_000 });
    expect(((await bad.currentUser().catch((e: unknown) => e)) as GitLabError).status).toBe(401);
  });

  it('counts requests for metrics and summaries, without the token', async () => {
    const snapshot = gateway.stats.snapshot();
    expect(snapshot.some((c) => c.endpoint === 'projects/:id/issues' && c.status === '200')).toBe(true);
    expect(JSON.stringify(snapshot)).not.toContain(SANDBOX_TOKENS.bot);
  });

  it('counts note writes under the same endpoint template as note reads (gitbeaker puts projects/ in its prefix URL)', async () => {
    const project = sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    const issue = sandbox.store.createIssue(project.id, { title: 'notes counted' });
    const stats = new RestGateway({ url: sandbox.url, token: SANDBOX_TOKENS.bot, concurrency: 1, retry, slowDownBelow: 0.1, timeoutMs: 5_000 });
    const ref = { projectId: project.id, kind: 'issue' as const, iid: issue.iid };
    const note = await stats.createNote(ref, 'hello');
    await stats.updateNote(ref, note.id, 'hello again');
    await all(stats.listNotes(ref));
    await stats.deleteNote(ref, note.id);
    // A comment can link any project path: it must not become a metric label of its own.
    expect(await stats.getNote('nobody/made-up-path-123', 'issue', 1, 1)).toBeNull();
    const endpoints = stats.stats.snapshot().map((c) => `${c.method} ${c.endpoint}`);
    expect(endpoints.sort()).toEqual([
      'DELETE projects/:id/issues/:iid/notes/:id',
      'GET projects/:id/issues/:iid/notes',
      'GET projects/:id/issues/:iid/notes/:id',
      'POST projects/:id/issues/:iid/notes',
      'PUT projects/:id/issues/:iid/notes/:id',
    ]);
  });
});
