// Proves the sandbox understands @gitbeaker/rest 43's encoding: GET options in
// the query string (arrays as `x[]=`, `not[labels]`), JSON bodies with
// snake_case keys, multipart for Users.edit, and Link-header pagination.

import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

let sb: Sandbox;
let gl: InstanceType<typeof Gitlab>;
const PATH = 'gitlab-com/support/support-team-meta';
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  gl = new Gitlab({ host: sb.url, token: SANDBOX_TOKENS.bot });
});
afterAll(() => sb.close());

describe('@gitbeaker/rest against the sandbox', () => {
  test('Users.showCurrentUser, Projects.show by path', async () => {
    expect((await gl.Users.showCurrentUser()).username).toBe('support-bot');
    const project = await gl.Projects.show(PATH);
    expect(project.path_with_namespace).toBe(PATH);
  });

  test('Issues.create / edit (add_labels, scoped) / all with labels, iids and not[labels], following Link pages', async () => {
    const pid = sb.store.requireProject(PATH).id;
    const created = await gl.Issues.create(pid, 'Support Readiness: new feature', { labels: 'readiness::new,Support Readiness', description: 'body' });
    expect(created.labels).toEqual(['Support Readiness', 'readiness::new']);
    const edited = await gl.Issues.edit(pid, created.iid, { addLabels: 'readiness::ready', removeLabels: 'Support Readiness' });
    expect(edited.labels).toEqual(['readiness::ready']);
    for (let i = 0; i < 30; i++) sb.store.createIssue(pid, { title: `bulk ${i}`, labels: ['bulk'] });

    const all = await gl.Issues.all({ projectId: pid, labels: 'bulk', perPage: 7 });
    expect(all).toHaveLength(30);
    const byIids = await gl.Issues.all({ projectId: PATH, iids: [created.iid, 999] } as never);
    expect(byIids.map((i) => i.iid)).toEqual([created.iid]);
    const withoutBulk = await gl.Issues.all({ projectId: pid, state: 'opened', not: { labels: 'bulk' } } as never);
    expect(withoutBulk.map((i) => i.iid)).toEqual([created.iid]);
  });

  test('IssueNotes.create / edit / all', async () => {
    const pid = sb.store.requireProject(PATH).id;
    const issue = sb.store.createIssue(pid, { title: 'notes via gitbeaker' });
    const note = await gl.IssueNotes.create(pid, issue.iid, 'hello <!-- support-bot:x -->');
    expect(note.body).toBe('hello <!-- support-bot:x -->');
    await gl.IssueNotes.edit(pid, issue.iid, note.id, { body: 'edited' });
    const notes = await gl.IssueNotes.all(pid, issue.iid, { sort: 'asc', orderBy: 'created_at' } as never);
    expect(notes.map((n) => n.body)).toEqual(['edited']);
  });

  test('a 404 surfaces as an error with the status on err.cause.response', async () => {
    const err = (await gl.Issues.show(99999, { projectId: PATH }).catch((e: unknown) => e)) as { cause?: { response?: { status?: number } } };
    expect(err.cause?.response?.status).toBe(404);
  });

  test('Users.all by username and Users.edit (multipart) as admin', async () => {
    const admin = new Gitlab({ host: sb.url, token: SANDBOX_TOKENS.admin });
    const [user] = await admin.Users.all({ username: 'never-active' });
    expect(user?.username).toBe('never-active');
    const renamed = await admin.Users.edit(user!.id as number, { username: 'idle-never-active' } as never);
    expect(renamed.username).toBe('idle-never-active');
  });

  test('merge request approvals, approval state, diffs, award emoji and commit status', async () => {
    const handbook = sb.store.requireProject('gitlab-com/content-sites/handbook');
    const mr = sb.store.createMergeRequest(handbook.id, {
      title: 'Update support page',
      authorId: sb.store.findUserByUsername('bruno')!.id,
      changes: [{ new_path: 'content/handbook/support/_index.md', diff: '@@ -1 +1 @@\n-a\n+b\n' }],
      approvalsRequired: 1,
    });
    sb.store.addApproval(handbook.id, mr.iid, sb.store.findUserByUsername('maria-manager')!.id);
    const approvals = await gl.MergeRequestApprovals.showConfiguration(handbook.id, { mergerequestIId: mr.iid });
    expect((approvals as any).approved_by.map((a: any) => a.user.username)).toEqual(['maria-manager']);
    expect((approvals as any).approved).toBe(true);
    const state = await gl.MergeRequestApprovals.showApprovalState(handbook.id, mr.iid);
    expect((state as any).rules[0].approved_by.map((u: any) => u.username)).toEqual(['maria-manager']);
    const diffs = await gl.MergeRequests.allDiffs(handbook.id, mr.iid);
    expect(diffs.map((d) => d.new_path)).toEqual(['content/handbook/support/_index.md']);
    await gl.MergeRequestAwardEmojis.award(handbook.id, mr.iid, 'thumbsup');
    const emojis = await gl.MergeRequestAwardEmojis.all(handbook.id, mr.iid);
    expect(emojis.map((e) => [e.name, (e.user as any).username])).toEqual([['thumbsup', 'support-bot']]);
    const status = await gl.Commits.editStatus(handbook.id, mr.sha, 'success', { name: 'support-bot/approval', description: 'Approved by @maria-manager' });
    expect(status.status).toBe('success');
    const statuses = await gl.Commits.allStatuses(handbook.id, mr.sha);
    expect(statuses.map((s) => [s.name, s.status])).toEqual([['support-bot/approval', 'success']]);
  });

  test('repository files and commits', async () => {
    const pid = sb.store.requireProject(PATH).id;
    await gl.Commits.create(pid, 'main', 'Add templates', [{ action: 'create', filePath: '.gitlab/issue_templates/Contact Request.md', content: '# Contact Request\n' }] as never);
    const file = await gl.RepositoryFiles.show(pid, '.gitlab/issue_templates/Contact Request.md', 'main');
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe('# Contact Request\n');
    const raw = await gl.RepositoryFiles.showRaw(pid, '.gitlab/issue_templates/Contact Request.md', 'main');
    expect(String(raw)).toBe('# Contact Request\n');
    const tree = await gl.Repositories.allRepositoryTrees(pid, { path: '.gitlab/issue_templates', ref: 'main' });
    expect(tree.map((t) => t.name)).toEqual(['Contact Request.md']);
  });
});
