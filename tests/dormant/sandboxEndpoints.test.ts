import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestGateway } from '../../src/gitlab/gateway.js';
import { collect } from '../../src/gitlab/collect.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client, enc } from '../sandbox/helpers.js';

// The endpoints the dormant checks read, with GitLab's permissions: administrators see
// admin-only fields and every namespace; others do not (doc/api/users.md, namespaces.md,
// projects.md "statistics").

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  sb.store.findUserByUsername('support-bot')!.isAdmin = false;
  const coolname = sb.store.findUserByUsername('coolname')!;
  const project = sb.store.createProject({ path_with_namespace: 'coolname/old-stuff', visibility: 'public', creatorId: coolname.id });
  sb.store.addCommit(project.id, { branch: 'main', message: 'first', authorId: coolname.id });
});
afterAll(() => sb.close());

const admin = () => client(sb, SANDBOX_TOKENS.admin);
const regular = () => client(sb, SANDBOX_TOKENS.bot);

describe('users', () => {
  it('GET /users?username= hides last_activity_on, last_sign_in_at and is_admin from a regular user', async () => {
    const [seen] = (await regular().get('/users?username=coolname')).body;
    expect(Object.keys(seen).sort()).toEqual(['avatar_url', 'id', 'locked', 'name', 'state', 'username', 'web_url']);
    const [full] = (await admin().get('/users?username=coolname')).body;
    expect(full).toHaveProperty('last_activity_on');
    expect(full).toHaveProperty('last_sign_in_at');
    expect(full).toHaveProperty('is_admin', false);
  });

  it("GET /user: is_admin only in an administrator's answer", async () => {
    expect((await admin().get('/user')).body.is_admin).toBe(true);
    expect((await regular().get('/user')).body).not.toHaveProperty('is_admin');
  });

  it('the gateway tells "hidden from this token" (undefined) from "never" (null)', async () => {
    const asRegular = new RestGateway({ url: sb.url, token: SANDBOX_TOKENS.bot, concurrency: 2, retry: { retries: 0, baseMs: 1, maxMs: 1 }, slowDownBelow: 0, timeoutMs: 5000 });
    const asAdmin = new RestGateway({ url: sb.url, token: SANDBOX_TOKENS.admin, concurrency: 2, retry: { retries: 0, baseMs: 1, maxMs: 1 }, slowDownBelow: 0, timeoutMs: 5000 });
    expect((await asRegular.findUser('never-active'))!.lastActivityOn).toBeUndefined();
    expect((await asAdmin.findUser('never-active'))!.lastActivityOn).toBeNull();
    expect(await asRegular.currentUserIsAdmin()).toBe(false);
    expect(await asAdmin.currentUserIsAdmin()).toBe(true);
    const coolname = (await asAdmin.findUser('coolname'))!;
    const [owned] = await collect(asAdmin.listOwnedProjects(coolname.id));
    expect(owned).toMatchObject({ pathWithNamespace: 'coolname/old-stuff', emptyRepo: false, openIssuesCount: 0, statistics: { commitCount: 1 } });
    const [visible] = await collect(asRegular.listOwnedProjects(coolname.id));
    expect(visible!.statistics).toBeNull();
  });
});

describe('namespaces', () => {
  it("GET /namespaces/:id: an administrator sees any, others only their own and their groups'", async () => {
    expect((await admin().get('/namespaces/coolname')).body).toMatchObject({ kind: 'user', full_path: 'coolname' });
    expect((await admin().get(`/namespaces/${enc('gitlab-com/support')}`)).body).toMatchObject({ kind: 'group', full_path: 'gitlab-com/support' });
    expect((await regular().get('/namespaces/coolname')).status).toBe(404);
    expect((await regular().get('/namespaces/support-bot')).body).toMatchObject({ kind: 'user' });
    // The bot is a member of gitlab-com/support, not of gitlab-com.
    expect((await regular().get(`/namespaces/${enc('gitlab-com/support')}`)).status).toBe(200);
    expect((await regular().get('/namespaces/gitlab-com')).status).toBe(404);
  });

  it('GET /namespaces/:path/exists answers anyone, with a free numbered suggestion', async () => {
    expect((await regular().get('/namespaces/gitlab-com/exists')).body).toEqual({ exists: true, suggests: ['gitlab-com1'] });
    expect((await regular().get('/namespaces/CoolName/exists')).body).toEqual({ exists: true, suggests: ['CoolName1'] });
    expect((await regular().get('/namespaces/idlecoolname/exists')).body).toEqual({ exists: false, suggests: [] });
  });

  it('PUT /users/:id (rename) is for administrators only', async () => {
    const coolname = sb.store.findUserByUsername('coolname')!;
    expect((await regular().put(`/users/${coolname.id}`, { username: 'idlecoolname' })).status).toBe(403);
    expect(coolname.username).toBe('coolname');
  });
});
