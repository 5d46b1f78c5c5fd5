import { parseEvent } from '../../events/parse.js';
import type { BotEvent } from '../../events/types.js';
import { JOBS } from '../../jobs/index.js';
import { silentLogger } from '../../logger.js';
import { announceIssueOpened } from '../../rules/announceIssueOpened.js';
import { createRuntime } from '../../runtime.js';
import { SANDBOX_TOKENS, startSlackStandIn, type SlackMessage } from '../../sandbox/index.js';
import type { DemoScenario } from '../types.js';

const PROJECT = 'internal-requests';
const CHANNEL = 'internal-requests-new';
const ENV = 'SLACK_WEBHOOK_INTERNAL_REQUESTS';

/** One message as the channel shows it: the fallback text, and the excerpt when there is one. */
function shown(message: SlackMessage): string {
  const blocks = (message.payload.blocks ?? []) as { type: string; text?: { text: string } }[];
  const section = blocks.find((b) => b.type === 'section')?.text?.text ?? '';
  const quote = section.split('\n').filter((l) => l.startsWith('>'));
  return [`slack #${message.hook} ← ${String(message.payload.text)}`, ...quote.map((l) => `    ${l}`)].join('\n');
}

/**
 * The handbook's Zapier glue, replaced: a second bot (another `serve` replica) with a Slack
 * channel for new internal requests, against the Slack stand-in. Each new issue is announced
 * once: the same delivery handled by both replicas, resent, or caught up by a sweep still
 * makes one message; a confidential one says only where it is.
 */
export const slackAnnouncements: DemoScenario = {
  title: 'Slack: new internal requests announced once (replaces the Zapier glue)',
  async run(ctx) {
    const { sandbox, runtime } = ctx.stack;
    const slack = await startSlackStandIn();
    const loaded = {
      ...runtime.loaded,
      config: {
        ...runtime.loaded.config,
        notifications: { slack: [{ name: CHANNEL, webhookUrlEnv: ENV, events: ['issue.opened' as const], projects: [PROJECT], format: 'message' as const }], catchUpHours: 24 },
      },
    };
    const replica = () =>
      createRuntime({
        log: silentLogger,
        loaded,
        rules: [announceIssueOpened],
        env: { gitlabUrl: sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
        chatEnv: { [ENV]: slack.url(CHANNEL) },
        chatIntervalMs: 0,
      });
    const [a, b] = [replica(), replica()];
    let seen = 0;
    const print = () => {
      for (const message of slack.messages.slice(seen)) ctx.say(shown(message));
      seen = slack.messages.length;
    };
    const openEvent = (iid: number): BotEvent => {
      const delivery = sandbox.deliveries.find((d) => {
        const attrs = (d.body as { object_attributes?: { iid?: number; action?: string } }).object_attributes;
        return (
          attrs?.iid === iid && attrs.action === 'open' && (d.body as { project?: { path_with_namespace?: string } }).project?.path_with_namespace === ctx.projectPath(PROJECT)
        );
      });
      const parsed = parseEvent(delivery?.body);
      if (parsed.status !== 'event') throw new Error(`demo: no open delivery for #${iid}`);
      return parsed.event;
    };
    try {
      ctx.say(`notifications.slack: channel ${CHANNEL} (URL from ${ENV}) gets issue.opened for ${PROJECT}`);
      const iid = await ctx.openIssue('sam-sales', PROJECT, {
        title: 'Access request: Zendesk light agent for <Sam> & team @channel',
        description: 'Please add me as a light agent for the EMEA queue.',
      });
      await ctx.settle();
      const event = openEvent(iid);
      ctx.say(`the open event of #${iid} reaches two replicas at once: one wins the claim (the bot's emoji on the issue)`);
      await Promise.all([a.bot.handleEvent(event), b.bot.handleEvent(event)]);
      print();
      ctx.say('GitLab resends the delivery; a retried handle-event pipeline runs it again: no second message');
      await a.bot.handleEvent(event);
      await replica().bot.handleEvent(event);
      ctx.say(`messages in #${CHANNEL} so far: ${slack.to(CHANNEL).length}`);

      const secret = await ctx.openIssue('sam-sales', PROJECT, { title: 'Customer Initech: SSO outage', description: 'Their admin pasted a token: glpat-Zq8vR2mN4kT7wX1yB3cD' });
      await ctx.settle();
      ctx.say(`#${secret} held a token, so sensitive-data made it confidential: the message names only its project; Slack answers 429 with Retry-After: 1 first`);
      slack.fail(CHANNEL, { status: 429, retryAfterSeconds: 1 });
      await a.bot.handleEvent(openEvent(secret));
      print();

      ctx.say(
        'the bot was down while two requests were opened; the next sweep announces them, and the confidential ones opened earlier today, before this channel was set up (within notifications.catchUpHours, 24 by default); the sweep after announces nothing',
      );
      const store = sandbox.store;
      const project = store.requireProject(ctx.projectPath(PROJECT));
      const sam = store.findUserByUsername('sam-sales')!;
      for (const title of ['Access request: Salesforce read-only', 'Access request: Gong viewer']) store.createIssue(project.id, { title, authorId: sam.id });
      const before = slack.messages.length;
      await JOBS.sweep(a, { out: { write: () => true } as unknown as NodeJS.WritableStream });
      print();
      await JOBS.sweep(b, { out: { write: () => true } as unknown as NodeJS.WritableStream });
      ctx.say(`the sweeps sent ${slack.messages.length - before} messages; #${CHANNEL} has ${slack.to(CHANNEL).length} in all, one per issue`);
    } finally {
      await slack.close();
    }
  },
};
