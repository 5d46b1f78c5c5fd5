import { describe, expect, it } from 'vitest';
import type { SlackChannelConfig } from '../../src/config/schema.js';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import type { Stack } from '../../src/demo/stack.js';
import { parseEvent } from '../../src/events/parse.js';
import type { BotEvent } from '../../src/events/types.js';
import { JOBS } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { claimEmoji } from '../../src/notify/claim.js';
import { SlackChat } from '../../src/notify/slack.js';
import { announceIssueOpened } from '../../src/rules/announceIssueOpened.js';
import { createRuntime } from '../../src/runtime.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { slackStandInPerTest, stackPerTest } from '../helpers/perTest.js';
import { issueHook } from '../../src/sandbox/webhooks/payloads.js';

// Every path a Slack message can take, against the sandbox and the Slack stand-in, counted:
// one message per (event, channel) whatever delivers the event, and each of Slack's answers
// handled as Slack documents it.

const PROJECT = 'gitlab-com/support/feedback';
const sink = { write: () => true } as unknown as NodeJS.WritableStream;

const slack = slackStandInPerTest();
const startStack = stackPerTest();

function channel(name: string, extra: Partial<SlackChannelConfig> = {}): SlackChannelConfig {
  return { name, webhookUrlEnv: `SLACK_${name.toUpperCase().replace(/-/g, '_')}`, events: ['issue.opened'], format: 'message', ...extra };
}

function withChannels(channels: SlackChannelConfig[], gitlab: Partial<LoadedConfig['config']['gitlab']> = {}): LoadedConfig {
  const base = loadConfig();
  return { ...base, config: { ...base.config, gitlab: { ...base.config.gitlab, ...gitlab }, notifications: { slack: channels, catchUpHours: 24 } } };
}

function envFor(channels: SlackChannelConfig[]): Record<string, string> {
  return Object.fromEntries(channels.map((c) => [c.webhookUrlEnv, slack().url(c.name, c.format)]));
}

async function start(channels: SlackChannelConfig[], options: { hooks?: boolean; gitlab?: Partial<LoadedConfig['config']['gitlab']> } = {}): Promise<Stack> {
  return startStack({
    rules: [announceIssueOpened],
    loaded: withChannels(channels, options.gitlab),
    hooks: options.hooks ?? true,
    chatEnv: envFor(channels),
    chatIntervalMs: 0,
  });
}

/** A second `serve` replica (or a retried `handle-event` process): its own bot on the same sandbox. */
function replica(s: Stack, channels: SlackChannelConfig[]) {
  return createRuntime({
    log: silentLogger,
    loaded: s.runtime.loaded,
    rules: [announceIssueOpened],
    env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
    chatEnv: envFor(channels),
    chatIntervalMs: 0,
  });
}

/** Opens an issue through the API, as a person would (the project hook fires). */
async function openIssue(s: Stack, input: { title: string; description?: string; confidential?: boolean }, as = 'dana'): Promise<number> {
  const project = s.sandbox.store.resolveProject(PROJECT)!;
  const res = await fetch(`${s.sandbox.url}/api/v4/projects/${project.id}/issues`, {
    method: 'POST',
    headers: { 'private-token': s.tokenFor(as), 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { iid: number }).iid;
}

/** The open event of the issue as GitLab delivers it (built by the sandbox, whether or not a hook is registered). */
function openEvent(s: Stack, iid: number): { index: number; event: BotEvent } {
  const index = s.sandbox.deliveries.findIndex((d) => {
    const body = d.body as { object_attributes?: { iid?: number; action?: string } };
    return body.object_attributes?.iid === iid && body.object_attributes.action === 'open';
  });
  const project = s.sandbox.store.resolveProject(PROJECT)!;
  const issue = s.sandbox.store.getIssue(project.id, iid)!;
  const parsed = parseEvent(issueHook(s.sandbox.store, issue, s.sandbox.store.getUser(issue.authorId)!, 'open', {}));
  if (parsed.status !== 'event') throw new Error(`not an event: ${JSON.stringify(parsed)}`);
  return { index, event: parsed.event };
}

function botAwards(s: Stack, iid: number): string[] {
  const project = s.sandbox.store.resolveProject(PROJECT)!;
  const issue = s.sandbox.store.getIssue(project.id, iid)!;
  const bot = s.sandbox.store.findUserByUsername('support-bot')!;
  return s.sandbox.store
    .listAwards(issue)
    .filter((a) => a.userId === bot.id)
    .map((a) => a.name);
}

const slackRequests = (hook: string) => slack().to(hook).length;

describe('one message per event, whatever delivers it', () => {
  it('the webhook announces a new issue once, and GitLab resending the delivery (same Idempotency-Key) adds nothing', async () => {
    const s = await start([channel('new-requests')]);
    const iid = await openIssue(s, { title: 'Cannot log in', description: 'Since Tuesday.' });
    await s.settle();
    expect(slack().to('new-requests')).toHaveLength(1);
    expect(botAwards(s, iid)).toEqual([claimEmoji('issue.opened', 'new-requests')]);

    const { index } = openEvent(s, iid);
    await s.sandbox.redeliver(index);
    await s.settle();
    expect(slack().to('new-requests')).toHaveLength(1);
  });

  it('two replicas handling the same event at once send one message: the emoji claim has one winner', async () => {
    const channels = [channel('new-requests')];
    const s = await start(channels, { hooks: false });
    const iid = await openIssue(s, { title: 'Two replicas' });
    const { event } = openEvent(s, iid);
    const other = replica(s, channels);
    const reports = await Promise.all([s.runtime.bot.handleEvent(event), other.bot.handleEvent(event)]);
    expect(slack().to('new-requests')).toHaveLength(1);
    const outcomes = reports.flatMap((r) => (r.status === 'done' ? r.subject.changes.map((c) => c.outcome) : []));
    expect(outcomes.sort()).toEqual(['unchanged', 'written']);
    // Both looked before either claimed: GitLab's refusal of the second award decided it.
    const awards = s.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/issues/${iid}/award_emoji`));
    expect(awards.map((r) => r.status).sort()).toEqual([201, 404]);
  });

  it('a retried handle-event pipeline (a new process) finds the record and sends nothing', async () => {
    const channels = [channel('new-requests')];
    const s = await start(channels, { hooks: false });
    const iid = await openIssue(s, { title: 'Retried pipeline' });
    const { event } = openEvent(s, iid);
    await s.runtime.bot.handleEvent(event);
    const retried = replica(s, channels);
    const report = await retried.bot.handleEvent(event);
    expect(slack().to('new-requests')).toHaveLength(1);
    expect(report.status === 'done' && report.subject.changes.map((c) => c.outcome)).toEqual(['unchanged']);
  });

  it('the sweep announces issues opened while the bot was down (within catchUpHours) once, and not older ones', async () => {
    const s = await start([channel('new-requests')], { hooks: false });
    const project = s.sandbox.store.resolveProject(PROJECT)!;
    const dana = s.sandbox.store.findUserByUsername('dana')!;
    s.sandbox.store.createIssue(project.id, { title: 'Opened during the outage', authorId: dana.id, createdAt: new Date(Date.now() - 3 * 3600_000) });
    s.sandbox.store.createIssue(project.id, { title: 'Opened last week', authorId: dana.id, createdAt: new Date(Date.now() - 7 * 24 * 3600_000) });
    const first = await JOBS.sweep(s.runtime, { out: sink });
    expect(first.failed).toBe(false);
    const texts = slack()
      .to('new-requests')
      .map((m) => String(m.payload.text));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Opened during the outage');
    await JOBS.sweep(s.runtime, { out: sink });
    expect(slack().to('new-requests')).toHaveLength(1);
  });

  it('the webhook and then the sweep: still one message', async () => {
    const s = await start([channel('new-requests')]);
    await openIssue(s, { title: 'Seen by both' });
    await s.settle();
    await JOBS.sweep(s.runtime, { out: sink });
    expect(slack().to('new-requests')).toHaveLength(1);
  });

  it('two channels for one event each get one message, and filters pick the channels', async () => {
    const channels = [
      channel('all-new'),
      channel('workflow-new', { format: 'workflow' }),
      channel('elsewhere', { projects: ['internal-requests'] }),
      channel('bugs-only', { labels: ['bug'] }),
    ];
    const s = await start(channels);
    const iid = await openIssue(s, { title: 'For two channels' });
    await s.settle();
    await JOBS.sweep(s.runtime, { out: sink });
    expect([slackRequests('all-new'), slackRequests('workflow-new'), slackRequests('elsewhere'), slackRequests('bugs-only')]).toEqual([1, 1, 0, 0]);
    expect(botAwards(s, iid).sort()).toEqual([claimEmoji('issue.opened', 'all-new'), claimEmoji('issue.opened', 'workflow-new')].sort());
    // Workflow Builder gets flat string variables.
    const variables = slack().to('workflow-new')[0]!.payload;
    expect(Object.values(variables).every((v) => typeof v === 'string')).toBe(true);
    expect(variables).toMatchObject({ event: 'issue.opened', title: 'For two channels', author: 'dana', project: PROJECT });
  });
});

describe('nothing that must not leave GitLab', () => {
  it('a confidential issue is announced without its title, description or author', async () => {
    const s = await start([channel('new-requests')]);
    const iid = await openIssue(s, { title: 'Customer ACME outage', description: 'acme.example internal details', confidential: true });
    await s.settle();
    const [message] = slack().to('new-requests');
    const sent = JSON.stringify(message!.payload);
    expect(sent).not.toMatch(/ACME|acme|dana/);
    expect(sent).toContain('a confidential issue in gitlab-com/support/feedback');
    expect(sent).toContain(`/-/issues/${iid}`);
  });

  it('secrets are redacted as the sensitive-data rule redacts them, text is escaped for mrkdwn, and no title can mention the channel', async () => {
    const token = `glpat-${'a1B2c3D4e5F6g7H8i9J0'}`;
    const s = await start([channel('new-requests')]);
    await openIssue(s, { title: `Token ${token} leaked <!here> @channel & <b>`, description: `my token is ${token}` });
    await s.settle();
    const sent = JSON.stringify(slack().to('new-requests')[0]!.payload);
    expect(sent).not.toContain(token);
    expect(sent).toContain('[REDACTED]');
    expect(sent).not.toContain('<!here>');
    expect(sent).toContain('&lt;!here&gt;');
    expect(sent).not.toMatch(/@channel/);
    expect(sent).toContain('&amp; &lt;b&gt;');
  });
});

describe("Slack's answers", () => {
  it('429: waits Retry-After, then sends once', async () => {
    const s = await start([channel('new-requests')], { hooks: false });
    slack().fail('new-requests', { status: 429, retryAfterSeconds: 1 });
    const iid = await openIssue(s, { title: 'Rate limited' });
    const started = Date.now();
    await s.runtime.bot.handleEvent(openEvent(s, iid).event);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(slack().to('new-requests')).toHaveLength(1);
    expect((s.runtime.chat as SlackChat).stats.snapshot()).toEqual([{ channel: 'new-requests', outcome: 'sent', count: 1 }]);
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'channel_not_found'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ] as const)('%i %s: permanent, never retried, visible, and the claim released so a later run can send', async (status, error) => {
    const s = await start([channel('new-requests')], { hooks: false });
    slack().fail('new-requests', { status, error });
    const iid = await openIssue(s, { title: `Permanent ${error}` });
    const { event } = openEvent(s, iid);
    await expect(s.runtime.bot.handleEvent(event)).rejects.toThrow(new RegExp(`new-requests.*${status} ${error}.*permanent`));
    expect(slack().to('new-requests')).toHaveLength(0);
    expect(botAwards(s, iid)).toEqual([]);
    const metrics = await s.webhook.metrics.registry.getSingleMetricAsString('support_bot_chat_messages_total');
    expect(metrics).toContain(`support_bot_chat_messages_total{channel="new-requests",outcome="permanent_error"} 1`);
    expect(metrics).not.toContain('T0SANDBOX');
    // The channel fixed: the next delivery of the event (or the sweep) sends it, once.
    await s.runtime.bot.handleEvent(event);
    await JOBS.sweep(s.runtime, { out: sink });
    expect(slack().to('new-requests')).toHaveLength(1);
  });

  it('a permanent error fails the sweep (exit 1) and does not keep another channel from its message', async () => {
    const s = await start([channel('broken'), channel('fine')], { hooks: false });
    slack().fail('broken', { status: 410, error: 'channel_is_archived' });
    const project = s.sandbox.store.resolveProject(PROJECT)!;
    s.sandbox.store.createIssue(project.id, { title: 'During the outage', authorId: s.sandbox.store.findUserByUsername('dana')!.id });
    const result = await JOBS.sweep(s.runtime, { out: sink });
    expect(result.failed).toBe(true);
    expect([slackRequests('broken'), slackRequests('fine')]).toEqual([0, 1]);
  });

  it('5xx: retried with the back-off policy, then sent once', async () => {
    const s = await start([channel('new-requests')], { hooks: false });
    slack().fail('new-requests', { status: 500, error: 'rollup_error' }, { status: 503, error: 'service_unavailable' });
    const iid = await openIssue(s, { title: 'Flaky Slack' });
    await s.runtime.bot.handleEvent(openEvent(s, iid).event);
    expect(slack().to('new-requests')).toHaveLength(1);
  });

  it('a timeout is not retried (Slack may have posted): the claim is kept, the failure reported, and no later run sends it again', async () => {
    const s = await start([channel('new-requests')], { hooks: false, gitlab: { timeoutMs: 200 } });
    slack().fail('new-requests', { hangMs: 600, posts: true });
    const iid = await openIssue(s, { title: 'Slow Slack' });
    const { event } = openEvent(s, iid);
    await expect(s.runtime.bot.handleEvent(event)).rejects.toThrow(/no answer within 200 ms; Slack may have posted it/);
    expect(slack().to('new-requests')).toHaveLength(1);
    expect(botAwards(s, iid)).toEqual([claimEmoji('issue.opened', 'new-requests')]);
    expect((s.runtime.chat as SlackChat).stats.snapshot()).toEqual([{ channel: 'new-requests', outcome: 'timeout', count: 1 }]);
    await s.runtime.bot.handleEvent(event);
    await JOBS.sweep(s.runtime, { out: sink });
    expect(slack().to('new-requests')).toHaveLength(1);
  });

  it('paces messages to one webhook (about one a second by default)', async () => {
    const channels = [channel('new-requests')];
    const s = await start(channels, { hooks: false });
    const paced = createRuntime({
      log: silentLogger,
      loaded: s.runtime.loaded,
      rules: [announceIssueOpened],
      env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
      chatEnv: envFor(channels),
      chatIntervalMs: 300,
    });
    const project = s.sandbox.store.resolveProject(PROJECT)!;
    for (const title of ['One', 'Two', 'Three']) s.sandbox.store.createIssue(project.id, { title, authorId: s.sandbox.store.findUserByUsername('dana')!.id });
    await JOBS.sweep(paced, { out: sink });
    const at = slack()
      .to('new-requests')
      .map((m) => m.at.getTime());
    expect(at).toHaveLength(3);
    expect(at[2]! - at[0]!).toBeGreaterThanOrEqual(550);
  });
});

describe('dry run', () => {
  it('sends nothing and awards nothing; the run lists the message it would send', async () => {
    const channels = [channel('new-requests')];
    const s = await start(channels, { hooks: false });
    const iid = await openIssue(s, { title: 'Dry run' });
    const dry = createRuntime({
      log: silentLogger,
      loaded: s.runtime.loaded,
      rules: [announceIssueOpened],
      dryRun: true,
      env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
      chatEnv: envFor(channels),
    });
    const report = await dry.bot.handleEvent(openEvent(s, iid).event);
    expect(report.status === 'done' && report.subject.changes.map((c) => [c.port, c.outcome])).toEqual([['chat', 'would-write']]);
    expect(slack().messages).toHaveLength(0);
    expect(botAwards(s, iid)).toEqual([]);
    const writes = (dry.writer as unknown as { writes: { port: string; method: string }[] }).writes;
    expect(writes.map((w) => `${w.port}.${w.method}`)).toEqual(['gitlab.awardEmoji', 'chat.send']);
  });
});
