import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCESS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client, enc } from './helpers.js';

// What `templates sync` and `labels sync` use, as GitLab serves it to a non-admin bot:
// doc/api/labels.md with lib/api/labels.rb (create 201, taken name 409, bad colour 400,
// Guest 403); doc/api/branches.md with lib/api/branches.rb (missing 404, taken 400);
// doc/api/commits.md (`start_branch`); doc/api/merge_requests.md with lib/api/merge_requests.rb
// (handle_merge_request_errors!: a second open merge request from one source branch is 409).

let sb: Sandbox;
let pid: number;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  const p = sb.store.createProject({ path_with_namespace: 'gitlab-com/support/writes-home' });
  pid = p.id;
  sb.store.setFile(pid, 'main', 'README.md', 'hello\n');
  sb.store.addCommit(pid, { branch: 'main', message: 'init', authorId: sb.store.findUserByUsername('alice')!.id });
});
afterAll(() => sb.close());

const bot = () => client(sb, SANDBOX_TOKENS.bot);

describe('labels create and edit', () => {
  test('create answers 201 with colour and description; the same name again is 409', async () => {
    const created = await bot().post(`/projects/${pid}/labels`, { name: 'triage::ready', color: '#0E8A16', description: 'Ready for Support' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'triage::ready', color: '#0E8A16', description: 'Ready for Support', is_project_label: true });
    const again = await bot().post(`/projects/${pid}/labels`, { name: 'triage::ready', color: '#0E8A16' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ message: 'Label already exists' });
  });

  test('a colour GitLab cannot read is 400 naming the field; a missing colour is 400', async () => {
    expect((await bot().post(`/projects/${pid}/labels`, { name: 'x', color: 'not-a-colour' })).body).toEqual({ message: { color: ['must be a valid color code'] } });
    expect((await bot().post(`/projects/${pid}/labels`, { name: 'x' })).status).toBe(400);
  });

  test('edit by title (URL-encoded) changes colour and description; an unknown label is 404', async () => {
    await bot().post(`/projects/${pid}/labels`, { name: 'sla::at-risk', color: '#ffffff' });
    const edited = await bot().put(`/projects/${pid}/labels/${enc('sla::at-risk')}`, { color: '#D93F0B', description: 'Close to its target' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'sla::at-risk', color: '#D93F0B', description: 'Close to its target' });
    expect((await bot().put(`/projects/${pid}/labels/${enc('nope')}`, { color: '#000000' })).status).toBe(404);
    expect((await bot().put(`/projects/${pid}/labels/${enc('sla::at-risk')}`, {})).status).toBe(400);
  });

  test('a Guest may not manage labels (403)', async () => {
    const guest = sb.store.createUser({ username: 'guest-labels', name: 'G', token: 'guest-labels-token' });
    sb.store.addProjectMember(pid, guest.id, ACCESS.guest);
    expect((await client(sb, 'guest-labels-token').post(`/projects/${pid}/labels`, { name: 'g', color: '#000000' })).status).toBe(403);
  });
});

describe('branches, commits from a start branch, merge requests', () => {
  test('a missing branch is 404; a commit with start_branch creates it from the default branch', async () => {
    expect((await bot().get(`/projects/${pid}/repository/branches/${enc('support-bot/templates')}`)).status).toBe(404);
    const commit = await bot().post(`/projects/${pid}/repository/commits`, {
      branch: 'support-bot/templates',
      start_branch: 'main',
      commit_message: 'Add a template',
      actions: [{ action: 'create', file_path: '.gitlab/issue_templates/Bug.md', content: '## Summary\n' }],
    });
    expect(commit.status).toBe(201);
    const branch = await bot().get(`/projects/${pid}/repository/branches/${enc('support-bot/templates')}`);
    expect(branch.status).toBe(200);
    expect(branch.body).toMatchObject({ name: 'support-bot/templates', default: false });
    expect(branch.body.commit.id).toBe(commit.body.id);
    // The new branch kept the default branch's files.
    expect((await bot().get(`/projects/${pid}/repository/files/README.md/raw?ref=${enc('support-bot/templates')}`)).body).toBe('hello\n');
    const tree = await bot().get(`/projects/${pid}/repository/tree?path=.gitlab/issue_templates&ref=${enc('support-bot/templates')}`);
    expect(tree.body.map((e: { path: string }) => e.path)).toEqual(['.gitlab/issue_templates/Bug.md']);
  });

  test('POST branches: 201, then 400 for a taken name and for an unknown ref', async () => {
    expect((await bot().post(`/projects/${pid}/repository/branches`, { branch: 'feature', ref: 'main' })).status).toBe(201);
    expect((await bot().post(`/projects/${pid}/repository/branches`, { branch: 'feature', ref: 'main' })).body).toEqual({ message: 'Branch already exists' });
    expect((await bot().post(`/projects/${pid}/repository/branches`, { branch: 'other', ref: 'nope' })).body).toEqual({ message: 'Invalid reference name: nope' });
  });

  test('a second open merge request from the same source branch is 409 naming the first; the list filters by source_branch', async () => {
    const first = await bot().post(`/projects/${pid}/merge_requests`, { source_branch: 'support-bot/templates', target_branch: 'main', title: 'Templates' });
    expect(first.status).toBe(201);
    const second = await bot().post(`/projects/${pid}/merge_requests`, { source_branch: 'support-bot/templates', target_branch: 'main', title: 'Again' });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ message: [`Another open merge request already exists for this source branch: !${first.body.iid}`] });
    const listed = await bot().get(`/projects/${pid}/merge_requests?state=opened&source_branch=${enc('support-bot/templates')}`);
    expect(listed.body.map((m: { iid: number }) => m.iid)).toEqual([first.body.iid]);
    expect((await bot().get(`/projects/${pid}/merge_requests?state=opened&source_branch=feature`)).body).toEqual([]);
  });
});
