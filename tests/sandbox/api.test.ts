import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client, enc } from './helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
});
afterAll(() => sb.close());

const META = enc('gitlab-com/support/support-team-meta');

describe('authentication', () => {
  test('missing or wrong token is 401 with GitLab body', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await client(sb, token).get('/projects/1');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: '401 Unauthorized' });
    }
  });

  test('PRIVATE-TOKEN and Bearer both work; /user returns the token owner', async () => {
    const viaHeader = await client(sb).get('/user');
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body.username).toBe('support-bot');
    const res = await fetch(`${sb.url}/api/v4/user`, { headers: { Authorization: `Bearer ${SANDBOX_TOKENS.member}` } });
    expect((await res.json()).username).toBe('alice');
  });

  test('admin-only endpoint is 403 for non-admins', async () => {
    const res = await client(sb, SANDBOX_TOKENS.member).put('/users/3', { name: 'x' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: '403 Forbidden' });
  });

  test('the request log records method, path, query, status and token', async () => {
    const before = sb.requests.length;
    await client(sb).get(`/projects/${META}/issues?state=opened`);
    const entry = sb.requests[before];
    expect(entry).toMatchObject({
      method: 'GET',
      path: `/api/v4/projects/${META}/issues`,
      query: { state: 'opened' },
      status: 200,
      token: SANDBOX_TOKENS.bot,
      user: 'support-bot',
    });
  });
});

describe('errors and projects', () => {
  test('project by URL-encoded path and by id', async () => {
    const byPath = await client(sb).get(`/projects/${META}`);
    expect(byPath.status).toBe(200);
    expect(byPath.body).toMatchObject({
      path_with_namespace: 'gitlab-com/support/support-team-meta',
      visibility: 'public',
      web_url: `${sb.url}/gitlab-com/support/support-team-meta`,
    });
    const byId = await client(sb).get(`/projects/${byPath.body.id}`);
    expect(byId.body.id).toBe(byPath.body.id);
  });

  test('404 bodies are shaped like GitLab', async () => {
    expect((await client(sb).get('/projects/9999')).body).toEqual({ message: '404 Project Not Found' });
    expect((await client(sb).get(`/projects/${META}/issues/9999`)).body).toEqual({ message: '404 Issue Not Found' });
    expect((await client(sb).get(`/projects/${META}/merge_requests/9999`)).body).toEqual({ message: '404 Merge Request Not Found' });
    expect((await client(sb).get('/users/9999')).body).toEqual({ message: '404 User Not Found' });
    const unknown = await client(sb).get('/no/such/route');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: '404 Not Found' });
  });

  test('400 bodies name the parameter', async () => {
    const missing = await client(sb).post(`/projects/${META}/issues`, { description: 'no title' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'title is missing' });
    const invalid = await client(sb).get(`/projects/${META}/issues?state=maybe`);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ error: 'state does not have a valid value' });
    const badInt = await client(sb).get(`/projects/${META}/issues?page=abc`);
    expect(badInt.body).toEqual({ error: 'page is invalid' });
  });
});

describe('users and groups', () => {
  test('GET /users?username= is case-insensitive; admin sees last_activity_on', async () => {
    const asMember = await client(sb, SANDBOX_TOKENS.member).get('/users?username=COOLNAME');
    expect(asMember.body).toHaveLength(1);
    expect(asMember.body[0].username).toBe('coolname');
    expect(asMember.body[0].last_activity_on).toBeUndefined();
    const asAdmin = await client(sb, SANDBOX_TOKENS.admin).get('/users?username=coolname');
    expect(asAdmin.body[0].last_activity_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(asAdmin.body[0]).toHaveProperty('last_sign_in_at');
    const single = await client(sb).get(`/users/${asAdmin.body[0].id}`);
    expect(single.body).toMatchObject({ username: 'coolname', state: 'active' });
    expect(single.body.created_at).toMatch(/Z$/);
  });

  test('user events, projects and contributed projects', async () => {
    const owner = sb.store.findUserByUsername('busy-owner')!;
    const events = await client(sb).get(`/users/${owner.id}/events`);
    expect(events.body[0]).toMatchObject({ action_name: 'pushed to', author_username: 'busy-owner' });
    const projects = await client(sb).get(`/users/${owner.id}/projects`);
    expect(projects.body.map((p: any) => p.path_with_namespace)).toEqual(['busy-owner/side-project']);
    const contributed = await client(sb).get(`/users/${owner.id}/contributed_projects`);
    expect(contributed.body.map((p: any) => p.path_with_namespace)).toEqual(['busy-owner/side-project']);
    const idle = sb.store.findUserByUsername('idle-squatter')!;
    expect((await client(sb).get(`/users/${idle.id}/projects`)).body).toEqual([]);
    expect((await client(sb).get(`/users/${idle.id}/events`)).body).toEqual([]);
  });

  test('admin rename; taken username is 409', async () => {
    const admin = client(sb, SANDBOX_TOKENS.admin);
    const idle = sb.store.findUserByUsername('coolname')!;
    const taken = await admin.put(`/users/${idle.id}`, { username: 'alice' });
    expect(taken.status).toBe(409);
    const renamed = await admin.put(`/users/${idle.id}`, { username: 'idle-coolname' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.username).toBe('idle-coolname');
    expect(sb.store.getUser(idle.id)!.username).toBe('idle-coolname');
    await admin.put(`/users/${idle.id}`, { username: 'coolname' });
  });

  test('group by path; members/all includes inherited members', async () => {
    const group = await client(sb).get(`/groups/${enc('gitlab-com/support/emea')}`);
    expect(group.body).toMatchObject({ full_path: 'gitlab-com/support/emea' });
    const direct = await client(sb).get(`/groups/${group.body.id}/members`);
    const all = await client(sb).get(`/groups/${group.body.id}/members/all`);
    expect(direct.body.map((m: any) => m.username).sort()).toEqual(['alice', 'bruno']);
    const usernames = all.body.map((m: any) => m.username);
    expect(usernames).toEqual(expect.arrayContaining(['alice', 'bruno', 'chen', 'maria-manager', 'support-bot']));
    expect(all.body.find((m: any) => m.username === 'maria-manager').access_level).toBe(40);
    expect(all.headers.get('x-total')).toBe(String(all.body.length));
  });
});

describe('descendant groups (doc/api/groups.md, GroupsFinder)', () => {
  test('a non-admin gets only groups within its membership unless all_available; admins get all', async () => {
    const root = sb.store.createGroup({ path: 'desc-root' });
    const pub = sb.store.createGroup({ path: 'pub', parentId: root.id });
    const priv = sb.store.createGroup({ path: 'priv', parentId: root.id, visibility: 'private' });
    const mine = sb.store.createGroup({ path: 'mine', parentId: priv.id, visibility: 'private' });
    sb.store.addGroupMember(mine.id, sb.store.findUserByUsername('alice')!.id, 30);
    const names = async (token: string, q = '') => (await client(sb, token).get(`/groups/${root.id}/descendant_groups${q}`)).body.map((g: any) => g.full_path);
    expect(await names(SANDBOX_TOKENS.member)).toEqual(['desc-root/priv/mine']);
    expect(await names(SANDBOX_TOKENS.member, '?all_available=true')).toEqual(['desc-root/pub', 'desc-root/priv/mine']);
    expect(await names(SANDBOX_TOKENS.bot)).toEqual([]);
    expect(await names(SANDBOX_TOKENS.admin)).toEqual([pub, priv, mine].map((g) => g.fullPath));
  });
});
