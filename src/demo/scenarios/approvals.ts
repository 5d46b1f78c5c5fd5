import type { DemoScenario } from '../types.js';

// A handbook change needs a visible artifact of approval (handbook 004): the merge request
// starts with a failed commit status and a note naming who may approve; an engineer's
// approval does not count; a manager's does, and the status turns green. A new push
// resets GitLab's approval, and a manager's "LGTM" comment restores the artifact.

const PAGE = 'content/handbook/support/workflows/emergency-handover.md';

export const approvalArtifacts: DemoScenario = {
  title: 'Merge requests: no handbook change merges without a visible artifact of approval',
  async run(ctx) {
    const project = 'handbook';
    await ctx.pushFiles(
      'bruno',
      project,
      'emergency-handover',
      { [PAGE]: '# Emergency handover\n\nHand over open emergencies at the end of the shift.\n' },
      'Document the emergency handover',
    );
    const iid = await ctx.openMergeRequest('bruno', project, {
      sourceBranch: 'emergency-handover',
      title: 'Document the emergency handover',
      description: 'Discussed in the weekly call.',
    });
    await ctx.settle();
    ctx.say('the change touches content/handbook/support/: the bot sets a failed status, labels it and says who may approve');
    ctx.showMergeRequest(project, iid);

    await ctx.approveMergeRequest('chen', project, iid);
    await ctx.settle();
    ctx.say('@chen is not in gitlab-com/support/managers: still failed');

    await ctx.approveMergeRequest('maria-manager', project, iid);
    await ctx.settle();
    ctx.say("a manager's GitLab approval is the artifact: the status turns to success and the same note is edited");
    ctx.showMergeRequest(project, iid);

    await ctx.pushFiles(
      'bruno',
      project,
      'emergency-handover',
      { [PAGE]: '# Emergency handover\n\nHand over open emergencies at the end of the shift, in the #support_emergencies channel.\n' },
      'Name the channel',
    );
    await ctx.settle();
    ctx.say('a new push resets the approval (the project removes approvals on push): failed again on the new head');
    ctx.showMergeRequest(project, iid);

    await ctx.commentOnMergeRequest('maria-manager', project, iid, 'LGTM, thanks for writing this down.');
    await ctx.settle();
    ctx.say('an approving comment by a manager counts as well');
    ctx.showMergeRequest(project, iid);
  },
};
