import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

// `support-bot run sla` as the scheduled pipeline runs it: a real process against a GitLab.
const { labels } = loadConfig().config;
const DAY_MS = 24 * 3600 * 1000;

let sandbox: Sandbox;
let iid: number;
let projectId: number;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  const project = sandbox.store.resolveProject('gitlab-com/support/internal-requests')!;
  projectId = project.id;
  const author = sandbox.store.findUserByUsername('sam-sales')!;
  // A month old and never answered: past any target, whatever day the test runs on.
  const createdAt = new Date(Date.now() - 30 * DAY_MS);
  iid = sandbox.store.createIssue(project.id, {
    title: 'Contact a user about their blocked account',
    description: 'd',
    authorId: author.id,
    labels: [`${labels.templatePrefix}contact-request`],
    createdAt,
    updatedAt: createdAt,
  }).iid;
});
afterAll(() => sandbox.close());

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET').length;

describe('support-bot run sla', () => {
  it('plans in a dry run, labels the breached request, then has nothing left to do', async () => {
    const env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot };

    const dry = await runCli(['run', 'sla', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim().split('\n').at(-1)).toMatch(
      /^sla: 4 projects, 1 issues seen, .*writes planned \(dry run\).*; first response: 0 at risk, 1 breached, 0 answered, no median yet$/,
    );
    expect(writes()).toBe(0);

    const real = await runCli(['run', 'sla'], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`gitlab-com/support/internal-requests#${iid} breached`);
    expect(sandbox.store.getIssue(projectId, iid)!.labels).toContain(labels.slaBreached);
    const afterFirst = writes();
    expect(afterFirst).toBeGreaterThan(0);

    const again = await runCli(['run', 'sla'], env);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n').at(-1)).toMatch(/^sla: .*, 0 changed, 0 writes,/);
    expect(writes()).toBe(afterFirst);
  });
});
