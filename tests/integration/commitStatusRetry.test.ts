import { afterEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { approvalArtifact } from '../../src/rules/approvalArtifact.js';
import { defaultConfig } from '../helpers/builders.js';

// "A GitLab 429/500 gets a retry and never loses or duplicates a write", for commit statuses:
// GitLab adds another status (another external job) on every POST of a final state, so a POST
// that GitLab applied but answered 500 must not simply be sent again.

let stack: Stack;
afterEach(() => stack.close());

describe('the approval-artifact commit status under GitLab faults', () => {
  it.each([
    ['a 500 after GitLab saved it', { afterApply: true }],
    ['a 500 before GitLab saved it', { afterApply: false }],
  ])('%s: exactly one failed status on the head commit', async (_name, fault) => {
    stack = await startStack({ rules: [approvalArtifact] });
    const demo = createDemoContext(stack, 'out', () => {});
    const page = 'content/handbook/support/workflows/handover.md';
    await demo.pushFiles('bruno', 'handbook', 'handover', { [page]: '# Handover\n' }, 'Document the handover');
    stack.sandbox.faults.failNext(1, 500, { methods: ['POST'], pathPattern: /\/statuses\//, ...fault });
    const iid = await demo.openMergeRequest('bruno', 'handbook', { sourceBranch: 'handover', title: 'Document the handover' });
    await demo.settle();
    const { store } = stack.sandbox;
    const project = store.resolveProject(demo.projectPath('handbook'))!;
    const mr = store.getMergeRequest(project.id, iid)!;
    const statuses = store.statuses.filter((s) => s.projectId === project.id && s.sha === mr.sha && s.name === defaultConfig.approvals.statusName);
    expect(statuses.map((s) => s.state)).toEqual(['failed']);
    expect([...mr.labels]).toEqual(['approval::missing']);
  });
});
