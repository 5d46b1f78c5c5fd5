import { afterEach, describe, expect, test } from 'vitest';
import { RestGateway } from '../../src/gitlab/gateway.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client } from './helpers.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function withProject(opts: Parameters<typeof startSandbox>[0] = {}) {
  sb = await startSandbox(opts);
  const project = sb.store.createProject({ path_with_namespace: 'g/p', visibility: 'public' });
  return { sb, pid: project.id };
}

describe('rate limit (lib/gitlab/rack_attack/request_throttle_data.rb)', () => {
  test('RateLimit headers on every response; 429 with Retry-After, RateLimit-ResetTime and "Retry later" over the limit', async () => {
    const { sb, pid } = await withProject({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const api = client(sb);
    const first = await api.get(`/projects/${pid}`);
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-observed')).toBe('1');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    const reset = Number(first.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset % 60).toBe(0); // windows are aligned to the epoch
    expect(first.headers.get('ratelimit-resettime')).toBeNull();
    expect(first.headers.get('retry-after')).toBeNull();
    await api.get(`/projects/${pid}`);
    await api.get(`/projects/${pid}`);
    const limited = await api.post(`/projects/${pid}/issues`, { title: 'must not be created' });
    expect(limited.status).toBe(429);
    expect(limited.body).toBe('Retry later\n');
    expect(limited.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(new Date(limited.headers.get('ratelimit-resettime')!).getTime()).toBe(reset * 1000);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(sb.store.issues).toHaveLength(0);
    // The limit is per user: another user is unaffected.
    expect((await client(sb, SANDBOX_TOKENS.member).get(`/projects/${pid}`)).status).toBe(200);
  });

  test('RateLimit-Limit is normalised to a minute while RateLimit-Remaining counts the real period (3600 s)', async () => {
    const { sb, pid } = await withProject({ rateLimit: { limit: 7200, windowMs: 3_600_000 } });
    const res = await client(sb).get(`/projects/${pid}`);
    expect(res.headers.get('ratelimit-limit')).toBe('120');
    expect(res.headers.get('ratelimit-remaining')).toBe('7199');
    expect(Number(res.headers.get('ratelimit-reset')) % 3600).toBe(0);
  });

  test('the window resets', async () => {
    // A window long enough for two requests on a loaded machine (200 ms was not, now and then).
    const { sb, pid } = await withProject({ rateLimit: { limit: 1, windowMs: 1000 } });
    const api = client(sb);
    // Windows are epoch-aligned: start at the beginning of one.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    expect((await api.get(`/projects/${pid}`)).status).toBe(200);
    expect((await api.get(`/projects/${pid}`)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    expect((await api.get(`/projects/${pid}`)).status).toBe(200);
  });
});

describe('per-endpoint limits (Gitlab::ApplicationRateLimiter; GitLab.com: notes 60/min, issues 200/min)', () => {
  test("GitLab.com's values by default: the 61st note in a minute is refused with JSON and no header saying how long (lib/api/helpers/rate_limiter.rb)", async () => {
    const { sb, pid } = await withProject();
    // Windows are epoch-aligned minutes: keep all 61 notes in one (waits at most 3 s, rarely).
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 3_000) await new Promise((r) => setTimeout(r, left));
    const issue = sb.store.createIssue(pid, { title: 'busy' });
    sb.store.addProjectMember(pid, sb.store.findUserByUsername('support-bot')!.id, 30);
    const api = client(sb);
    const results: number[] = [];
    for (let i = 0; i < 60; i++) results.push((await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: `n${i}` })).status);
    expect(results.filter((s) => s === 201)).toHaveLength(60);
    const limited = await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'more' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: { error: 'This endpoint has been requested too many times. Try again later.' } });
    for (const header of ['retry-after', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-limit', 'ratelimit-resettime']) expect(limited.headers.get(header)).toBeNull();
    expect(sb.store.notes.filter((n) => n.body === 'more')).toHaveLength(0);
    // Per user, and per endpoint: alice may still comment, the bot may still create issues.
    expect((await client(sb, SANDBOX_TOKENS.member).post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'alice' })).status).toBe(201);
    expect((await api.post(`/projects/${pid}/issues`, { title: 'still fine' })).status).toBe(201);
  });

  test('configurable: shorter periods, issue creation, and off', async () => {
    const { sb, pid } = await withProject({ endpointLimits: { issues_create: { limit: 2, windowMs: 60_000 }, notes_create: null } });
    sb.store.addProjectMember(pid, sb.store.findUserByUsername('support-bot')!.id, 30);
    const api = client(sb);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api.post(`/projects/${pid}/issues`, { title: `i${i}` })).status);
    expect(statuses).toEqual([201, 201, 429]);
    // Per project and user (app/services/issues/create_service.rb, `scope: [:project, :current_user, …]`).
    const other = sb.store.createProject({ path_with_namespace: 'g/other', visibility: 'public' });
    sb.store.addProjectMember(other.id, sb.store.findUserByUsername('support-bot')!.id, 30);
    expect((await api.post(`/projects/${other.id}/issues`, { title: 'elsewhere' })).status).toBe(201);
    for (let i = 0; i < 70; i++) expect((await api.post(`/projects/${pid}/issues/1/notes`, { body: `n${i}` })).status).toBe(201);
  });
  test("GitLab.com's Projects API limits (rate_limit_on_projects_api.md): GET /projects/:id, a user's projects and contributions, per user", async () => {
    const { sb, pid } = await withProject({ endpointLimits: { project_get: { limit: 2, windowMs: 60_000 }, user_contributed_projects: { limit: 1, windowMs: 60_000 } } });
    const api = client(sb);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api.get(`/projects/${pid}`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await api.get(`/projects/${pid}`);
    expect(limited.body).toEqual({ message: { error: 'This endpoint has been requested too many times. Try again later.' } });
    expect(limited.headers.get('retry-after')).toBeNull();
    expect((await client(sb, SANDBOX_TOKENS.member).get(`/projects/${pid}`)).status).toBe(200);
    expect((await api.get('/users/3/contributed_projects')).status).toBe(200);
    expect((await api.get('/users/3/contributed_projects')).status).toBe(429);
    expect((await api.get('/users/3/projects')).status).toBe(200);
  });
});

describe('fault injection', () => {
  test('failNext fails before applying: a retried write is not duplicated', async () => {
    const { sb, pid } = await withProject();
    sb.faults.failNext(2, 500, { methods: ['POST'] });
    const api = client(sb);
    const a = await api.post(`/projects/${pid}/issues`, { title: 'once' });
    const b = await api.post(`/projects/${pid}/issues`, { title: 'once' });
    expect([a.status, b.status]).toEqual([500, 500]);
    expect(a.body).toEqual({ message: '500 Internal Server Error' });
    expect(sb.store.issues).toHaveLength(0);
    expect((await api.get(`/projects/${pid}`)).status).toBe(200);
    expect((await api.post(`/projects/${pid}/issues`, { title: 'once' })).status).toBe(201);
    expect(sb.store.issues).toHaveLength(1);
    await sb.flushWebhooks();
  });

  test('a 502, 503 or 504 is the HTML page served in front of Rails, as GitLab.com answers it; the bot reads it as one line', async () => {
    const { sb, pid } = await withProject();
    sb.faults.failNext(1, 502, { methods: ['GET'] });
    const res = await client(sb).get(`/projects/${pid}`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(String(res.body)).toContain('<title>GitLab is not responding (502)</title>');
    sb.faults.failNext(1, 503, { methods: ['GET'] });
    const gateway = new RestGateway({ url: sb.url, token: SANDBOX_TOKENS.bot, concurrency: 1, retry: { retries: 0, baseMs: 1, maxMs: 1 }, slowDownBelow: 0.1, timeoutMs: 2_000 });
    await expect(gateway.getProject(pid)).rejects.toThrow(`GET /api/v4/projects/${pid} → 503: GitLab is not responding (503) (an HTML page)`);
  });

  test('afterApply: the write and its webhooks happen, the client sees the failure', async () => {
    const { sb, pid } = await withProject();
    const events: string[] = [];
    sb.onWebhook(({ event }) => void events.push(event));
    const issue = sb.store.createIssue(pid, { title: 'x' });
    sb.faults.failNext(1, 502, { afterApply: true, pathPattern: /\/notes$/ });
    const res = await client(sb).post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'applied' });
    expect(res.status).toBe(502);
    expect(sb.store.listNotes(issue).map((n) => n.body)).toEqual(['applied']);
    await sb.flushWebhooks();
    expect(events).toEqual(['Note Hook']);
  });

  test('dropConnection after apply looks like a network failure to the client', async () => {
    const { sb, pid } = await withProject();
    const issue = sb.store.createIssue(pid, { title: 'x' });
    sb.faults.failNext(1, 500, { afterApply: true, dropConnection: true });
    await expect(client(sb).post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'applied' })).rejects.toThrow();
    expect(sb.store.listNotes(issue)).toHaveLength(1);
  });

  test('Retry-After on injected 429s; seeded error rate is repeatable', async () => {
    const { sb, pid } = await withProject();
    sb.faults.failNext(1, 429, { retryAfterSeconds: 7 });
    const limited = await client(sb).get(`/projects/${pid}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');

    const run = async () => {
      sb.faults.setErrorRate(0.3, [500, 502], { seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await client(sb).get(`/projects/${pid}`)).status);
      return statuses;
    };
    const one = await run();
    const two = await run();
    expect(one).toEqual(two);
    expect(one.some((s) => s !== 200)).toBe(true);
    expect(one.every((s) => [200, 500, 502].includes(s))).toBe(true);
    sb.faults.clear();
    expect((await client(sb).get(`/projects/${pid}`)).status).toBe(200);
  });

  test('latency is added per request', async () => {
    const { sb, pid } = await withProject({ latencyMs: 60 });
    const t = Date.now();
    await client(sb).get(`/projects/${pid}`);
    expect(Date.now() - t).toBeGreaterThanOrEqual(55);
  });
});
