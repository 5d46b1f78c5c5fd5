import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readChatWebhooks, SetupError } from '../../src/config/env.js';
import { DEFAULT_CONFIG_PATH, loadConfig, parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { redactSecrets } from '../../src/gitlab/errors.js';
import { CLAIM_EMOJI, claimCollisions, claimEmoji } from '../../src/notify/claim.js';
import { configProblems } from '../helpers/perTest.js';

// notifications: exactly as issue 17 gives it, the URL from the environment only.

const defaults = readFileSync(DEFAULT_CONFIG_PATH, 'utf8');
const withNotifications = (yaml: string) => parseConfigText(`${defaults}\nnotifications:\n${yaml}`, 'test.yml');

describe('notifications config', () => {
  it("reads the issue's example, with format message and catchUpHours 24 by default", () => {
    const config = withNotifications(`  slack:
    - name: internal-requests-new
      webhookUrlEnv: SLACK_WEBHOOK_INTERNAL_REQUESTS
      events: [issue.opened]
      projects: [internal-requests]
      format: message
    - name: escalations
      webhookUrlEnv: SLACK_WEBHOOK_ESCALATIONS
      events: [sla.breached, dormant.needs-admin]
      templates: [Contact Request]
`);
    expect(config.notifications.catchUpHours).toBe(24);
    expect(config.notifications.slack.map((c) => [c.name, c.format])).toEqual([
      ['internal-requests-new', 'message'],
      ['escalations', 'message'],
    ]);
  });

  it('names a project or template that is not configured, an unknown event and a URL written in the file', () => {
    const problems = configProblems(() =>
      withNotifications(`  slack:
    - name: a
      webhookUrlEnv: SLACK_A
      events: [issue.closed]
      projects: [nowhere]
      templates: [No Such Template]
      webhookUrl: https://hooks.slack.com/services/T/B/x
`),
    );
    expect(problems.join('\n')).toMatch(/notifications\.slack\[0\]\.events\[0\]/);
    expect(problems.join('\n')).toMatch(/notifications\.slack\[0\]\.webhookUrl: unknown key/);
    const references = configProblems(() =>
      withNotifications(`  slack:
    - name: a
      webhookUrlEnv: SLACK_A
      events: [issue.opened]
      projects: [nowhere]
      templates: [No Such Template]
`),
    );
    expect(references.join('\n')).toMatch(/notifications\.slack\[0\]\.projects\[0\].*nowhere/);
    expect(references.join('\n')).toMatch(/notifications\.slack\[0\]\.templates\[0\].*No Such Template/);
  });

  it('refuses two channels of one name', () => {
    const problems = configProblems(() =>
      withNotifications(`  slack:
    - { name: a, webhookUrlEnv: SLACK_A, events: [issue.opened] }
    - { name: a, webhookUrlEnv: SLACK_B, events: [sla.breached] }
`),
    );
    expect(problems.join('\n')).toMatch(/notifications\.slack\[1\]\.name: channel name "a" is used twice/);
  });

  it('refuses two (event, channel) pairs whose records on an issue would be the same emoji', () => {
    // Find two names that collide for issue.opened, as a config could.
    const byEmoji = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i += 1) {
      const name = `channel-${i}`;
      const emoji = claimEmoji('issue.opened', name);
      const other = byEmoji.get(emoji);
      if (other) pair = [other, name];
      else byEmoji.set(emoji, name);
    }
    expect(claimCollisions(pair.map((name) => ({ name, events: ['issue.opened' as const] })))).toEqual([
      expect.stringMatching(/notifications\.slack\[1\]\.name: .* rename one of them/),
    ]);
    expect(claimCollisions([{ name: 'internal-requests-new', events: ['issue.opened', 'sla.breached', 'dormant.needs-admin', 'swir.published'] }])).toEqual([]);
    expect(CLAIM_EMOJI).toContain(claimEmoji('sla.breached', 'internal-requests-new'));
  });
});

describe('webhook URLs from the environment', () => {
  const channels = [{ name: 'internal-requests-new', webhookUrlEnv: 'SLACK_WEBHOOK_INTERNAL_REQUESTS', format: 'message' as const }];

  it('an unset variable stops start-up (exit 2) naming it and the config key', () => {
    expect(() => readChatWebhooks(channels, {})).toThrow(SetupError);
    expect(() => readChatWebhooks(channels, {})).toThrow(
      'env: SLACK_WEBHOOK_INTERNAL_REQUESTS is not set, which notifications.slack[0].webhookUrlEnv (channel "internal-requests-new") names',
    );
    expect(() => readChatWebhooks(channels, { SLACK_WEBHOOK_INTERNAL_REQUESTS: 'not a url' })).toThrow(/is not a URL/);
  });

  it('createRuntime refuses to start without the variable, before anything is sent', () => {
    const base = loadConfig();
    const loaded = { ...base, config: { ...base.config, notifications: { slack: [{ ...channels[0]!, events: ['issue.opened' as const] }], catchUpHours: 24 } } };
    const env = { gitlabUrl: 'http://127.0.0.1:9', gitlabToken: 'token', webhookSecret: undefined, port: undefined };
    expect(() => createRuntime({ log: silentLogger, loaded, env, chatEnv: {} })).toThrow(/SLACK_WEBHOOK_INTERNAL_REQUESTS is not set/);
  });

  it('registers each URL as a secret: redacted from everything the bot writes', () => {
    const url = 'https://hooks.slack.com/services/T0000/B0000/registeredsecret123';
    expect(readChatWebhooks(channels, { SLACK_WEBHOOK_INTERNAL_REQUESTS: url })).toEqual([{ name: 'internal-requests-new', url, format: 'message' }]);
    expect(redactSecrets(`posting to ${url} failed`)).not.toContain('registeredsecret123');
  });
});
