import { silentLogger } from '../../logger.js';
import { createRuntime } from '../../runtime.js';
import { SANDBOX_TOKENS } from '../../sandbox/index.js';
import { withBotUsername } from '../../trigger/botUsername.js';
import { deliverWebhooksAsTriggers, inProcessTrigger } from '../triggerRunner.js';
import { STACK_WEBHOOK_SECRET } from '../stack.js';
import type { DemoScenario } from '../types.js';

const PROJECT = 'feedback';

/**
 * No server: the feedback project's webhook goes to a pipeline trigger URL, and each
 * delivery becomes a pipeline running `support-bot handle-event` on TRIGGER_PAYLOAD.
 * Here the "pipeline" is the same command body run in this process.
 */
export const serverlessTrigger: DemoScenario = {
  title: 'Serverless: webhooks delivered as pipeline triggers (handle-event)',
  async run(ctx) {
    const { sandbox, runtime, webhookUrl } = ctx.stack;
    const path = ctx.projectPath(PROJECT);
    const project = sandbox.store.requireProject(path);
    const serverHooks = sandbox.store.hooks.filter((h) => h.projectId === project.id && h.url === webhookUrl);
    for (const hook of serverHooks) {
      await fetch(`${sandbox.url}/api/v4/projects/${project.id}/hooks/${hook.id}`, { method: 'DELETE', headers: { 'private-token': SANDBOX_TOKENS.admin } });
    }
    const bot = await runtime.bot.user();
    const loaded = withBotUsername(runtime.loaded, bot.username);
    ctx.say(`${path}'s webhook now points at a pipeline trigger URL, not the bot's server; each delivery starts a pipeline`);
    ctx.say(`that runs \`support-bot handle-event\` with SUPPORT_BOT_USERNAME=${bot.username}`);
    const pipelineJob = inProcessTrigger(() =>
      createRuntime({ log: silentLogger, loaded, env: { gitlabUrl: sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined } }),
    );
    let pipeline = 0;
    const delivery = deliverWebhooksAsTriggers(sandbox, {
      projects: [path],
      run: pipelineJob,
      onRun(run) {
        pipeline += 1;
        ctx.say(`  pipeline ${pipeline} (trigger, TRIGGER_PAYLOAD file): exit ${run.code}, ${Math.round(run.ms)} ms`);
        for (const l of run.output.trimEnd().split('\n')) ctx.say(`    ${l}`);
      },
    });
    try {
      const iid = await ctx.openIssue('dana', PROJECT, {
        title: 'Feedback from a call with Globex',
        description: '## Customer\n\nGlobex\n\n## Feedback\n\nThey want a status page for their tickets.\n',
      });
      await ctx.settle();
      ctx.show(PROJECT, iid);
      ctx.say(`the bot's own writes fired webhooks too: their pipelines stopped before any API call`);
      await ctx.editIssue('dana', PROJECT, iid, {
        description: '## Customer\n\nGlobex\n\n## Feedback\n\nThey want a status page for their tickets.\n\n## Source\n\nQuarterly business review call\n',
      });
      await ctx.settle();
      ctx.show(PROJECT, iid);
      ctx.say('the same payload delivered again (GitLab "Resend request"): nothing to write');
      const first = delivery.runs[0];
      if (first) {
        const replay = await pipelineJob(first.payloadFile);
        for (const l of replay.output.trimEnd().split('\n')) ctx.say(`    ${l}`);
      }
    } finally {
      delivery.detach();
      for (const hook of serverHooks) sandbox.addProjectHook(project.id, { url: hook.url, token: hook.token ?? STACK_WEBHOOK_SECRET });
    }
  },
};
