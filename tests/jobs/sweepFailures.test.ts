import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { GitLabError } from '../../src/gitlab/errors.js';
import { JOBS } from '../../src/jobs/index.js';
import { sensitiveData } from '../../src/rules/sensitiveData.js';
import { runCli } from '../helpers/cli.js';
import { greetRule } from '../helpers/testRules.js';
import { SANDBOX_TOKENS, startSandbox } from '../../src/sandbox/index.js';
import { fake } from '../secrets/fakeSecrets.js';

// How a sweep meets a refused token and a project it may not read (hardening #7), and
// the closed issues it reads for sensitive-data (hardening #3).

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});
const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const DAY = 86_400_000;

describe('a sweep and refused requests', () => {
  it('does not count as written what GitLab silently dropped: a Guest bot may edit an issue it wrote, but not its labels or confidentiality', async () => {
    // IssuableBaseService#filter_params: the PUT answers 200 with the issue as it was.
    stack = await startStack({ rules: [sensitiveData], hooks: false });
    const { store } = stack.sandbox;
    const bot = store.findUserByUsername('support-bot')!;
    for (const m of store.members) if (m.userId === bot.id) m.accessLevel = 10;
    const meta = store.resolveProject('gitlab-com/support/support-team-meta')!;
    for (const i of store.issues) if (i.projectId === meta.id) i.state = 'closed';
    const issue = store.createIssue(meta.id, { title: 'Runner', description: `token ${fake.glpat}`, authorId: bot.id });
    const result = await JOBS.sweep(stack.runtime, { out: sink });
    expect(store.getIssue(meta.id, issue.iid)!.confidential).toBe(false);
    expect(result.failed).toBe(true);
    expect(result.summary).toMatch(/0 writes, .*1 failed/);
  });

  it('skips a project answering 403, names it, sweeps the others and fails the run', async () => {
    stack = await startStack({ rules: [greetRule], hooks: false });
    const feedback = stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    stack.sandbox.store.createIssue(feedback.id, { title: 'Still swept', description: 'd' });
    const meta = stack.sandbox.store.resolveProject('gitlab-com/support/support-team-meta')!;
    stack.sandbox.faults.failNext(1, 403, { pathPattern: new RegExp(`/projects/${meta.id}/issues$`) });
    const result = await JOBS.sweep(stack.runtime, { out: sink });
    expect(result.failed).toBe(true);
    expect(result.summary).toMatch(/\(1 unreadable: gitlab-com\/support\/support-team-meta \(403\)\)/);
    expect(stack.sandbox.store.getIssue(feedback.id, 1)!.labels).toContain('seen::yes');
  });

  it('stops at once when the token is refused mid-sweep (401), without one failing request per remaining issue', async () => {
    stack = await startStack({ rules: [greetRule], hooks: false });
    const feedback = stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    for (let i = 0; i < 40; i += 1) stack.sandbox.store.createIssue(feedback.id, { title: `Issue ${i}`, description: 'd' });
    stack.sandbox.faults.failNext(1000, 401, { methods: ['PUT'] });
    await expect(JOBS.sweep(stack.runtime, { out: sink })).rejects.toSatisfy((e: unknown) => e instanceof GitLabError && e.status === 401);
    const refused = stack.sandbox.requests.filter((r) => r.method === 'PUT');
    // At most the requests already in flight (gitlab.concurrency), not one per issue.
    expect(refused.length).toBeLessThanOrEqual(stack.runtime.loaded.config.gitlab.concurrency);
  });

  it('stops at once when a write needs a scope the token lacks (403 insufficient_scope): not one failure per issue', async () => {
    stack = await startStack({ rules: [greetRule], hooks: false });
    const feedback = stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    for (let i = 0; i < 40; i += 1) stack.sandbox.store.createIssue(feedback.id, { title: `Issue ${i}`, description: 'd' });
    let refused = 0;
    // A read_api token: reads pass, every write gets GitLab's OAuth answer.
    stack.runtime.gateway.updateIssue = () => {
      refused += 1;
      return Promise.reject(new GitLabError('PUT → 403: insufficient_scope', 'PUT', 'projects/:id/issues/:iid', 403, undefined, 'insufficient_scope'));
    };
    await expect(JOBS.sweep(stack.runtime, { out: sink })).rejects.toSatisfy((e: unknown) => e instanceof GitLabError && e.isRefusedToken);
    expect(refused).toBeLessThanOrEqual(stack.runtime.loaded.config.gitlab.concurrency);
  });

  it('exits 2 from the CLI when the token is refused mid-sweep', async () => {
    const sandbox = await startSandbox({ seed: 'demo' });
    try {
      const feedback = sandbox.store.resolveProject('gitlab-com/support/feedback')!;
      for (let i = 0; i < 5; i += 1) sandbox.store.createIssue(feedback.id, { title: `Issue ${i}`, description: 'no template' });
      sandbox.faults.failNext(1000, 401, { methods: ['PUT', 'POST'] });
      const result = await runCli(['run', 'sweep'], { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });
      expect(result.code, result.stdout + result.stderr).toBe(2);
    } finally {
      await sandbox.close();
    }
  });
});

describe('a sweep and closed issues (sensitive-data)', () => {
  it('protects a closed public issue updated within bot.closedIssuesWindowDays, and lists closed issues only with updated_after', async () => {
    stack = await startStack({ rules: [sensitiveData], hooks: false });
    const { store } = stack.sandbox;
    const meta = store.resolveProject('gitlab-com/support/support-team-meta')!;
    const now = store.now().getTime();
    /** A public issue with a token in it, closed (and last updated) `closedDaysAgo` days ago. */
    const closedWithToken = (title: string, createdDaysAgo: number, closedDaysAgo: number) => {
      const issue = store.createIssue(meta.id, {
        title,
        description: `token ${fake.glpat}`,
        state: 'closed',
        createdAt: new Date(now - createdDaysAgo * DAY),
        closedAt: new Date(now - closedDaysAgo * DAY),
      });
      issue.updatedAt = new Date(now - closedDaysAgo * DAY);
      return issue;
    };
    const recent = closedWithToken('Runner broken', 3, 2);
    const old = closedWithToken('Old', 60, 30);
    await JOBS.sweep(stack.runtime, { out: sink });
    expect(store.getIssue(meta.id, recent.iid)!.confidential).toBe(true);
    expect(store.getIssue(meta.id, recent.iid)!.description).not.toContain(fake.glpat);
    // Older than the window: not read at all (a sweep never lists every closed issue ever).
    expect(store.getIssue(meta.id, old.iid)!.confidential).toBe(false);
    const closedLists = stack.sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues') && r.query.state === 'closed');
    expect(closedLists.length).toBeGreaterThan(0);
    expect(closedLists.every((r) => typeof r.query.updated_after === 'string')).toBe(true);
  });
});
