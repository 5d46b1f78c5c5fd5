import { afterEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { approvalArtifact } from '../../src/rules/approvalArtifact.js';
import { templateCheck } from '../../src/rules/templateCheck.js';
import { filledTemplate, fillIn } from '../templates/descriptions.js';
import { defaultConfig } from '../helpers/builders.js';
import { expectNoWritesOnReplayAndSweep } from '../helpers/replay.js';

// On GitLab Free scoped labels are plain labels: adding `triage::ready` leaves
// `triage::needs-info` on the issue. The bot must swap them itself (issue 8: "never rely on
// Premium-only behaviour (scoped-label exclusivity …) for correctness"), end to end.

let stack: Stack;
let demo: DemoContext;
afterEach(() => stack.close());

async function start(rules: Parameters<typeof startStack>[0] = {}) {
  stack = await startStack({ sandbox: { tier: 'free' }, ...rules });
  demo = createDemoContext(stack, 'out', () => {});
}

describe('on GitLab Free (no scoped-label exclusivity)', () => {
  it('template-check swaps triage::needs-info for triage::ready and the template label for template::none itself', async () => {
    await start({ rules: [templateCheck] });
    const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
    const iid = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Contact', description: filledTemplate(contact, ['Message']) });
    await demo.settle();
    const labels = () => {
      const store = stack.sandbox.store;
      return [...store.getIssue(store.resolveProject(demo.projectPath('internal-requests'))!.id, iid)!.labels].sort();
    };
    expect(labels()).toEqual(['template::contact-request', 'triage::needs-info']);
    await demo.editIssue('sam-sales', 'internal-requests', iid, { description: fillIn(filledTemplate(contact, ['Message']), { Message: 'Please answer ticket 123.' }) });
    await demo.settle();
    expect(labels()).toEqual(['template::contact-request', 'triage::ready']);
    await demo.editIssue('sam-sales', 'internal-requests', iid, { description: 'Free text now.' });
    await demo.settle();
    expect(labels()).toEqual(['template::none']);
    await expectNoWritesOnReplayAndSweep(stack);
  });

  it('approval-artifact swaps approval::missing for approval::present itself, failed → success', async () => {
    await start({ rules: [approvalArtifact] });
    const page = 'content/handbook/support/workflows/handover.md';
    await demo.pushFiles('bruno', 'handbook', 'handover', { [page]: '# Handover\n' }, 'Document the handover');
    const iid = await demo.openMergeRequest('bruno', 'handbook', { sourceBranch: 'handover', title: 'Document the handover' });
    await demo.settle();
    const state = () => {
      const store = stack.sandbox.store;
      const project = store.resolveProject(demo.projectPath('handbook'))!;
      const mr = store.getMergeRequest(project.id, iid)!;
      const status = store.statuses.filter((s) => s.projectId === project.id && s.sha === mr.sha && s.name === defaultConfig.approvals.statusName).at(-1)?.state;
      return { labels: [...mr.labels].sort(), status };
    };
    expect(state()).toEqual({ labels: ['approval::missing'], status: 'failed' });
    await demo.approveMergeRequest('maria-manager', 'handbook', iid);
    await demo.settle();
    expect(state()).toEqual({ labels: ['approval::present'], status: 'success' });
    await expectNoWritesOnReplayAndSweep(stack);
  });
});
