import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

// `support-bot check-mr` as a merge request pipeline runs it: the built CLI as a process,
// GitLab's CI variables, against a sandbox (no webhooks: the pipeline is the trigger).

const HANDBOOK = 'gitlab-com/content-sites/handbook';
let sandbox: Sandbox;
let projectId: number;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  projectId = sandbox.store.requireProject(HANDBOOK).id;
});
afterAll(() => sandbox.close());

function openMergeRequest(title: string, paths: string[], author = 'bruno') {
  const authorId = sandbox.store.findUserByUsername(author)!.id;
  return sandbox.store.createMergeRequest(projectId, { title, authorId, changes: paths.map((p) => ({ new_path: p })) });
}

const env = (iid: number, extra: Record<string, string> = {}) => ({
  GITLAB_URL: sandbox.url,
  GITLAB_TOKEN: SANDBOX_TOKENS.bot,
  CI_PROJECT_ID: String(projectId),
  CI_MERGE_REQUEST_IID: String(iid),
  ...extra,
});
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET').length;

describe('support-bot check-mr (process)', () => {
  it('exits 1 without an artifact, 0 once a manager approved, and writes nothing by default', async () => {
    const mr = openMergeRequest('Change the support workflow', ['content/handbook/support/workflows/x.md']);
    const before = writes();
    const missing = await runCli(['check-mr'], env(mr.iid));
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stdout).toMatch(
      /check-mr: gitlab-com\/content-sites\/handbook!\d+: no approval artifact: none from an eligible approver other than the author \(eligible: maria-manager\)/,
    );
    sandbox.store.addApproval(projectId, mr.iid, sandbox.store.findUserByUsername('maria-manager')!.id);
    const found = await runCli(['check-mr'], env(mr.iid));
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toMatch(/approval artifact found: GitLab approval by maria-manager/);
    expect(writes()).toBe(before);
  });

  it('with --set-status sets the commit status once, and not again when unchanged', async () => {
    const mr = openMergeRequest('Another change', ['content/handbook/support/y.md']);
    const first = await runCli(['check-mr', '--set-status'], env(mr.iid));
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/set commit status support-bot\/approval-artifact = failed/);
    const statuses = () => sandbox.store.statuses.filter((s) => s.sha === mr.sha).map((s) => s.state);
    expect(statuses()).toEqual(['failed']);
    const again = await runCli(['check-mr', '--set-status'], env(mr.iid));
    expect(again.stdout).toMatch(/is already failed/);
    expect(statuses()).toEqual(['failed']);
  });

  it('--set-status on a merge request from a fork places the status on the merge request ref (no branch of the project holds its head)', async () => {
    const fork = sandbox.store.createProject({ path_with_namespace: 'bruno/handbook', visibility: 'public' });
    const authorId = sandbox.store.findUserByUsername('bruno')!.id;
    const mr = sandbox.store.createMergeRequest(projectId, {
      title: 'Fix from a fork',
      authorId,
      sourceProjectId: fork.id,
      sourceBranch: 'main',
      changes: [{ new_path: 'content/handbook/support/fork.md' }],
    });
    const result = await runCli(['check-mr', '--set-status'], env(mr.iid));
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/set commit status support-bot\/approval-artifact = failed/);
    expect(sandbox.store.statuses.filter((s) => s.sha === mr.sha).map((s) => [s.state, s.ref])).toEqual([['failed', `refs/merge-requests/${mr.iid}/head`]]);
  });

  it('talks to the instance running the pipeline (CI_SERVER_URL) when GITLAB_URL is not set', async () => {
    const mr = openMergeRequest('Change a workflow page', ['content/handbook/support/w.md']);
    const result = await runCli(['check-mr'], { ...env(mr.iid), GITLAB_URL: undefined, CI_SERVER_URL: sandbox.url });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/no approval artifact/);
  });

  it('exits 0 with "out of scope" for a merge request the rules do not cover', async () => {
    const mr = openMergeRequest('Fix a typo elsewhere', ['content/handbook/sales/z.md']);
    const result = await runCli(['check-mr'], env(mr.iid));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/out of scope/);
  });

  it('exits 2 naming the variable when the token or the CI variables are missing', async () => {
    const noToken = await runCli(['check-mr'], { ...env(1), GITLAB_TOKEN: undefined });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/GITLAB_TOKEN/);
    const noIid = await runCli(['check-mr'], { ...env(1), CI_MERGE_REQUEST_IID: undefined });
    expect(noIid.code).toBe(2);
    expect(noIid.stderr).toMatch(/CI_MERGE_REQUEST_IID/);
  });

  it('exits 2 for a malformed variable ("not a number") and for a project the token cannot read', async () => {
    const malformed = await runCli(['check-mr'], { ...env(1), CI_MERGE_REQUEST_IID: 'abc' });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/CI_MERGE_REQUEST_IID is not a number/);
    const unreadable = await runCli(['check-mr'], { ...env(1), CI_PROJECT_ID: '999999' });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read project 999999/);
  });

  it('exits 2, not 1, when a read the check needs is refused: no verdict is not "no artifact"', async () => {
    const mr = openMergeRequest('Change the escalation page', ['content/handbook/support/workflows/escalations.md']);
    sandbox.faults.failNext(1, 403, { pathPattern: /\/merge_requests\/\d+\/approvals/ });
    const refused = await runCli(['check-mr'], env(mr.iid));
    expect(refused.code, refused.stdout).toBe(2);
    expect(refused.stderr).toMatch(/could not check/);
  });
});
