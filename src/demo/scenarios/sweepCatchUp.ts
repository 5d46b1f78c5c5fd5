import type { DemoScenario } from '../types.js';

/** A webhook that never arrived: the scheduled sweep finds the issue and applies the same rules. */
export const sweepCatchUp: DemoScenario = {
  title: 'A missed webhook, caught by the scheduled sweep',
  async run(ctx) {
    const store = ctx.stack.sandbox.store;
    const project = store.resolveProject(ctx.projectPath('feedback'))!;
    const author = store.findUserByUsername('dana')!;
    // Written straight into the store: no webhook fires, as when the bot was down.
    const issue = store.createIssue(project.id, {
      title: 'Customer feedback forwarded by email',
      description: '## Customer\n\nAcme Corp\n\n## Feedback\n\nThe new ticket form is confusing.\n\n## Source\n\nEmail to their account manager\n',
      authorId: author.id,
    });
    ctx.say(`@dana's ${ctx.projectPath('feedback')}#${issue.iid} was opened while the bot was offline (no webhook)`);
    ctx.show('feedback', issue.iid);
    ctx.say('scheduled pipeline: support-bot run sweep');
    await ctx.runJob('sweep');
    ctx.show('feedback', issue.iid);
    ctx.say('second sweep: nothing left to do');
    await ctx.runJob('sweep');
  },
};
