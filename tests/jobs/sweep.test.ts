import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { greetRule } from '../helpers/testRules.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

function seed(s: Stack, count: number, project = 'gitlab-com/support/feedback') {
  const p = s.sandbox.store.resolveProject(project)!;
  const author = s.sandbox.store.findUserByUsername('dana')!;
  for (let i = 0; i < count; i += 1) s.sandbox.store.createIssue(p.id, { title: `Issue ${i}`, description: 'd', authorId: author.id });
  return p.id;
}

const writes = (s: Stack) => s.sandbox.requests.filter((r) => r.method !== 'GET').length;

describe('run sweep', () => {
  it('applies the rules to every open issue across pages, then makes zero writes the second time', async () => {
    // 130 notes exceed GitLab.com's 60 notes a minute: that limit has its own test (sweepEndpointLimits).
    stack = await startStack({ rules: [greetRule], hooks: false, sandbox: { endpointLimits: { notes_create: null } } });
    const projectId = seed(stack, 130);
    const first = await JOBS.sweep(stack.runtime, { out: sink });
    expect(first.summary).toMatch(/130 issues seen, 130 changed, 260 writes/);
    const issue = stack.sandbox.store.getIssue(projectId, 130)!;
    expect(issue.labels).toContain('seen::yes');
    const before = writes(stack);
    const second = await JOBS.sweep(stack.runtime, { out: sink });
    expect(second.summary).toMatch(/130 issues seen, 0 changed, 0 writes/);
    expect(writes(stack)).toBe(before);
    // Pages of 100: the issue list was read in two requests per project run.
    const pages = stack.sandbox.requests.filter((r) => r.path.endsWith(`/projects/${projectId}/issues`) && r.method === 'GET');
    expect(pages.length).toBe(4);
    expect(pages.every((r) => r.query.per_page === '100')).toBe(true);
  });

  it('plans a recently closed issue only with the rules that ask for closed ones (runsOn.states), though another rule made the job list it', async () => {
    // Without states, this rule would label every issue it is handed, closed ones too.
    const anyIssue: typeof greetRule = { ...greetRule, key: 'any-issue', applies: () => true, plan: () => [{ action: { type: 'addLabels', labels: ['seen::yes'] }, reason: 'r' }] };
    const closedToo: typeof greetRule = {
      ...anyIssue,
      key: 'closed-too',
      runsOn: { ...greetRule.runsOn, states: ['opened', 'closed'] },
      plan: () => [{ action: { type: 'addLabels', labels: ['closed::seen'] }, reason: 'r' }],
    };
    stack = await startStack({ rules: [anyIssue, closedToo], hooks: false });
    const { store } = stack.sandbox;
    const p = store.resolveProject('gitlab-com/support/feedback')!;
    const author = store.findUserByUsername('dana')!;
    const open = store.createIssue(p.id, { title: 'Open', description: 'd', authorId: author.id });
    const closed = store.createIssue(p.id, { title: 'Closed', description: 'd', authorId: author.id, state: 'closed', closedAt: store.now() });
    await JOBS.sweep(stack.runtime, { out: sink });
    expect(store.getIssue(p.id, open.iid)!.labels).toEqual(['closed::seen', 'seen::yes']);
    expect(store.getIssue(p.id, closed.iid)!.labels).toEqual(['closed::seen']);
  });

  it('reads notes only for issues whose plan has something to write', async () => {
    const labelOnly: typeof greetRule = { ...greetRule, key: 'label-only', plan: () => [{ action: { type: 'addLabels', labels: ['seen::yes'] }, reason: 'r' }] };
    stack = await startStack({ rules: [labelOnly], hooks: false });
    seed(stack, 5);
    await JOBS.sweep(stack.runtime, { out: sink });
    expect(stack.sandbox.requests.filter((r) => r.path.endsWith('/notes'))).toHaveLength(0);
  });

  it('keeps going when one issue fails and reports it', async () => {
    stack = await startStack({ rules: [greetRule], hooks: false });
    seed(stack, 3);
    stack.sandbox.faults.failNext(10, 403, { methods: ['PUT'] });
    const result = await JOBS.sweep(stack.runtime, { out: sink });
    expect(result.failed).toBe(true);
    expect(result.summary).toMatch(/3 issues seen/);
    expect(result.summary).toMatch(/3 failed/);
  });

  it('stops writing at the run budget', async () => {
    const base = loadConfig();
    stack = await startStack({ rules: [greetRule], hooks: false, loaded: base });
    seed(stack, 4);
    const limited = createRuntime({
      log: silentLogger,
      loaded: base,
      rules: [greetRule],
      maxWrites: 3,
      env: { gitlabUrl: stack.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
    });
    const result = await JOBS.sweep(limited, { out: sink });
    expect(result.summary).toMatch(/3 writes, 5 over budget/);
  });
});

describe('run sweep under a rate limit', () => {
  it('slows down on RateLimit headers, waits out 429s, and still writes each change once', async () => {
    // A limit any machine reaches within one window, however loaded: 8 requests a second.
    stack = await startStack({ rules: [greetRule], hooks: false, sandbox: { rateLimit: { limit: 8, windowMs: 1_000 } } });
    const projectId = seed(stack, 6);
    const result = await JOBS.sweep(stack.runtime, { out: sink });
    expect(result.summary).toMatch(/6 issues seen, 6 changed, 12 writes/);
    expect(stack.runtime.gateway.rateLimit.waitedMs).toBeGreaterThan(0);
    for (let iid = 1; iid <= 6; iid += 1) {
      const notes = stack.sandbox.store.listNotes(stack.sandbox.store.getIssue(projectId, iid)!).filter((n) => n.body.includes('support-bot:greet'));
      expect(notes).toHaveLength(1);
    }
  });
});

describe('run sweep with a project GitLab cannot find', () => {
  it('sweeps the others, names the unreadable one and fails the run', async () => {
    const base = loadConfig();
    const loaded = {
      ...base,
      config: { ...base.config, projects: { ...base.config.projects, gone: { path: 'gitlab-com/support/moved-away', templatesRequired: false, public: false, issues: true } } },
    };
    stack = await startStack({ rules: [greetRule], hooks: false, loaded });
    seed(stack, 2);
    const result = await JOBS.sweep(stack.runtime, { out: sink });
    expect(result.summary).toMatch(/^sweep: 4 projects \(1 unreadable: gitlab-com\/support\/moved-away \(404\)\), 2 issues seen, 2 changed/);
    expect(result.failed).toBe(true);
  });
});
