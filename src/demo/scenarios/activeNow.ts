import type { DemoScenario } from '../types.js';

// The 'Active Now' board at its limit: a column fills up through webhooks, then one
// more issue gets the label and the bot comments on it (comment mode) with a note linking the board and listing the six.

export const activeNowLimitHit: DemoScenario = {
  title: "'Active Now' board: a full column and a seventh issue",
  async run(ctx) {
    const { activeNow } = ctx.stack.runtime.loaded.config;
    const label = activeNow.labels[1] ?? activeNow.labels[0]!;
    for (let n = 1; n <= activeNow.limit; n += 1) {
      await ctx.openIssue('dana', activeNow.project, { title: `Initiative ${n}: improve a workflow`, description: 'Process proposal.', labels: [label] });
    }
    await ctx.settle();
    ctx.say(`~"${label}" now has ${activeNow.limit} open issues: the limit (activeNow.limit), nothing to do`);

    const extra = await ctx.openIssue('bruno', activeNow.project, { title: 'One more initiative', description: 'Can we start this now as well?' });
    await ctx.editIssue('bruno', activeNow.project, extra, { add_labels: [label] });
    await ctx.settle();
    ctx.say(
      `the issue that took the ${activeNow.limit + 1}th place ${activeNow.mode === 'revert' ? 'loses the label' : 'keeps the label'} (activeNow.mode: ${activeNow.mode}) and gets a note linking the board and listing the ${activeNow.limit}`,
    );
    ctx.show(activeNow.project, extra);
  },
};
