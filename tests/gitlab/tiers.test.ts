import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import type { IssueRule } from '../../src/rules/types.js';
import type { Tier } from '../../src/sandbox/index.js';
import { greetRule } from '../helpers/testRules.js';

// What differs between GitLab Free and Premium and the bot depends on: the approvals answer
// (GitLab.com runs EE on every tier: Free answers the EE shape with no rules, so nothing is
// required and `approved` is true; the four-field shape is self-managed CE only, mapped in
// tests/gitlab/documentedShapes.test.ts) and scoped-label exclusivity (Premium only).
// Each test runs on both tiers.

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

describe.each<Tier>(['free', 'premium'])('on GitLab %s', (tier) => {
  let stack: Stack;
  beforeAll(async () => {
    const seenRule: IssueRule = { ...greetRule, key: 'seen', plan: () => [{ action: { type: 'addLabels', labels: ['seen::yes'] }, reason: 'seen' }] };
    stack = await startStack({ rules: [seenRule], hooks: false, sandbox: { tier } });
  });
  afterAll(() => stack.close());

  it('maps the approvals answer: approved means what GitLab says, with the approvals still needed', async () => {
    const { store } = stack.sandbox;
    const project = store.resolveProject('gitlab-com/content-sites/handbook')!;
    const mr = store.createMergeRequest(project.id, { title: 'Two approvals', approvalsRequired: 2 });
    const gateway = stack.runtime.gateway;
    const free = tier === 'free';
    expect(await gateway.getMergeRequestApprovals(project.id, mr.iid)).toMatchObject({
      approved: free,
      approvalsRequired: free ? 0 : 2,
      approvalsLeft: free ? 0 : 2,
      approvedBy: [],
    });
    store.addApproval(project.id, mr.iid, store.findUserByUsername('maria-manager')!.id);
    const once = await gateway.getMergeRequestApprovals(project.id, mr.iid);
    expect(once).toMatchObject({ approved: free, approvalsLeft: free ? 0 : 1 });
    expect(once.approvedBy.map((u) => u.username)).toEqual(['maria-manager']);
    store.addApproval(project.id, mr.iid, store.findUserByUsername('alice')!.id);
    expect(await gateway.getMergeRequestApprovals(project.id, mr.iid)).toMatchObject({ approved: true, approvalsLeft: 0 });
  });

  it('replaces a scoped label itself, so an issue never holds two values of one scope', async () => {
    const { store } = stack.sandbox;
    const project = store.resolveProject('gitlab-com/support/feedback')!;
    const issue = store.createIssue(project.id, { title: 'Scoped', labels: ['seen::no', 'bug'] });
    await JOBS.sweep(stack.runtime, { out: sink });
    expect(store.getIssue(project.id, issue.iid)!.labels).toEqual(['bug', 'seen::yes']);
  });
});
