import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import type { BotConfig, SlackChannelConfig } from '../../src/config/schema.js';
import type { Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { runSwir } from '../../src/jobs/swir.js';
import type { Action } from '../../src/rules/actions.js';
import { firstResponseSla } from '../../src/rules/firstResponseSla.js';
import { assessFirstResponse } from '../../src/sla/firstResponse.js';
import { buildContext, buildSubject, defaultConfig, evaluate } from '../helpers/builders.js';
import { openRequest, setBotAdmin } from '../dormant/helpers.js';
import { slackStandInPerTest, stackPerTest } from '../helpers/perTest.js';

// The events besides issue.opened: each planned only when a configured channel asks for it,
// and sent once however often its job runs.

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

function channel(name: string, events: SlackChannelConfig['events']): SlackChannelConfig {
  return { name, webhookUrlEnv: `SLACK_${name.toUpperCase().replace(/-/g, '_')}`, events, format: 'message' };
}

const withChannels = (config: BotConfig, channels: SlackChannelConfig[]): BotConfig => ({ ...config, notifications: { slack: channels, catchUpHours: 24 } });

describe('sla.breached', () => {
  // A Contact Request (12 business hours) opened Monday 2026-11-16 09:00 UTC is due Tuesday 13:00.
  const subject = buildSubject('internal-requests', {
    title: 'Renewal for ACME',
    labels: ['template::contact-request'],
    createdAt: new Date('2026-11-16T09:00:00Z'),
    author: { id: 30, username: 'sam-sales' },
  });
  const planAt = (now: string, config: BotConfig): Action[] => {
    const firstResponse = assessFirstResponse(
      subject,
      { notes: [], teamMembers: new Set(['chen']), botUsername: 'support-bot', authorAccount: { integration: false } },
      config,
      new Date(now),
    );
    return evaluate(firstResponseSla, subject, buildContext({ now: new Date(now), config, trigger: { kind: 'job', job: 'sla' }, facts: { firstResponse } })).map((r) => r.action);
  };
  const notifies = (actions: Action[]) => actions.filter((a) => a.type === 'notify');

  it('a breach tells the channels that ask for sla.breached, and only those', () => {
    const config = withChannels(defaultConfig, [channel('sla-watch', ['sla.breached']), channel('new-only', ['issue.opened'])]);
    const [notify, ...more] = notifies(planAt('2026-11-17T13:00:00Z', config));
    expect(more).toEqual([]);
    expect(notify).toMatchObject({ type: 'notify', event: 'sla.breached', channel: 'sla-watch', message: { title: 'Renewal for ACME', project: subject.project.path } });
  });

  it('nothing before the breach, and nothing without such a channel', () => {
    const config = withChannels(defaultConfig, [channel('sla-watch', ['sla.breached'])]);
    expect(notifies(planAt('2026-11-17T11:00:00Z', config))).toEqual([]);
    expect(notifies(planAt('2026-11-17T13:00:00Z', defaultConfig))).toEqual([]);
  });
});

describe('dormant.needs-admin and swir.published, through their jobs', () => {
  const slack = slackStandInPerTest();
  const startStack = stackPerTest();

  async function start(channels: SlackChannelConfig[]): Promise<Stack> {
    const base = loadConfig();
    const loaded: LoadedConfig = { ...base, config: withChannels(base.config, channels) };
    return startStack({ loaded, hooks: false, chatEnv: Object.fromEntries(channels.map((c) => [c.webhookUrlEnv, slack().url(c.name)])), chatIntervalMs: 0 });
  }

  it('a request an administrator must check is announced once, however often the dormant job runs', async () => {
    const s = await start([channel('admins', ['dormant.needs-admin'])]);
    setBotAdmin(s.sandbox, false);
    openRequest(s.sandbox, '@coolname');
    await JOBS.dormant(s.runtime, { out: sink });
    await JOBS.dormant(s.runtime, { out: sink });
    const sent = slack().to('admins');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.payload.text)).toContain('A Name Squatting Request needs an administrator');
  });

  it('the weekly review is announced once when published, not again when it is regenerated', async () => {
    const s = await start([channel('team', ['swir.published'])]);
    const first = await runSwir(s.runtime, { out: sink });
    expect(first.change.outcome).toBe('written');
    await runSwir(s.runtime, { out: sink });
    const sent = slack().to('team');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.payload.text)).toContain('Support Week in Review');
    expect(String(sent[0]!.payload.text)).toContain(first.issueUrl!);
  });
});
