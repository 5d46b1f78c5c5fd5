import { runDormant } from '../../jobs/dormant.js';
import { printWrites } from '../../commands/output.js';
import { createRuntime } from '../../runtime.js';
import { SANDBOX_TOKENS } from '../../sandbox/index.js';
import { nameSquattingRequest, seedWorkedRequest } from '../nameSquatting.js';
import type { DemoScenario } from '../types.js';

// Name Squatting Requests (handbook "Dormant usernames"): one request in each state, the
// difference an administrator token makes, a contact attempt arriving by webhook, and the
// release as a dry run — nobody is renamed in the demo.

export const dormantNamespaces: DemoScenario = {
  title: 'Name Squatting Requests: the dormant-namespace checks (support-bot run dormant)',
  async run(ctx) {
    const { store } = ctx.stack.sandbox;
    const project = store.resolveProject(ctx.projectPath('internal-requests'))!;
    const bot = store.findUserByUsername('support-bot')!;
    const wasAdmin = bot.isAdmin;
    // Requests Support has worked on for two weeks: written into the store with their history.
    const worked = (namespace: string, attempts: number[]) => seedWorkedRequest(store, project.id, namespace, attempts, 20);
    try {
      bot.isAdmin = false;
      const eligible = worked('https://gitlab.com/coolname', [18, 15, 12, 9]);
      const pending = worked('@never-active', [5]);
      const active = worked('busy-owner', [18, 15, 12, 9]);
      const owner = store.findUserByUsername('busy-owner')!;
      const sideProject = store.resolveProject('busy-owner/side-project');
      if (sideProject) store.addCommit(sideProject.id, { branch: 'main', message: 'Side project work', authorId: owner.id });
      ctx.say(
        `three Name Squatting Requests Support has worked on: #${eligible} (@coolname, 4 contact attempts), #${pending} (@never-active, 1 attempt), #${active} (@busy-owner, 4 attempts)`,
      );
      const ghost = await ctx.openIssue('sam-sales', 'internal-requests', {
        title: 'Release the namespace nobody-here',
        description: nameSquattingRequest('@nobody-here'),
        confidential: true,
      });
      const group = await ctx.openIssue('sam-sales', 'internal-requests', {
        title: 'Release the namespace gitlab-com',
        description: nameSquattingRequest('gitlab-com'),
        confidential: true,
      });
      await ctx.settle();
      ctx.show('internal-requests', ghost);
      ctx.show('internal-requests', group);

      ctx.say(
        "scheduled pipeline with the bot's usual (non-administrator) token: support-bot run dormant — it says at once that an administrator must check (dormant::needs-admin)",
      );
      await ctx.runJob('dormant');
      ctx.show('internal-requests', eligible);

      ctx.say('the same job with an administrator token: last_activity_on and private projects are readable now');
      bot.isAdmin = true;
      await ctx.runJob('dormant');
      ctx.show('internal-requests', eligible);
      ctx.show('internal-requests', pending);
      ctx.show('internal-requests', active);

      await ctx.comment('chen', 'internal-requests', pending, 'Contact attempt: second email, to the commit email address.');
      await ctx.settle();
      ctx.say('the webhook of that comment updated the count:');
      ctx.show('internal-requests', pending);

      ctx.say('support-bot run dormant --apply-rename --dry-run, with dormant.allowRename: true: the release, planned and not sent');
      const { loaded } = ctx.stack.runtime;
      const runtime = createRuntime({
        log: ctx.stack.runtime.bot.deps.log,
        dryRun: true,
        loaded: { ...loaded, config: { ...loaded.config, dormant: { ...loaded.config.dormant, allowRename: true } } },
        env: { gitlabUrl: ctx.stack.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
      });
      const lines: string[] = [];
      const out = { write: (chunk: string) => (lines.push(...chunk.split('\n').filter(Boolean)), true) } as NodeJS.WritableStream;
      const result = await runDormant(runtime, { out, applyRename: true });
      printWrites(runtime.writer, out);
      for (const line of lines) ctx.say(`  ${line}`);
      ctx.say(`  ${result.summary}`);
      ctx.say(`@coolname is still @${store.findUserByUsername('coolname')?.username ?? '(renamed!)'}: a dry run sends nothing`);
    } finally {
      bot.isAdmin = wasAdmin;
    }
  },
};
