import type { Logger } from 'pino';
import { readChatWebhooks, readEnv, SetupError, type RuntimeEnv } from './config/env.js';
import { configuredRules, loadConfig, loadMessages, type LoadedConfig } from './config/load.js';
import type { BotConfig } from './config/schema.js';
import { Bot } from './engine/bot.js';
import { WriteBudget } from './engine/budget.js';
import { DryRunRecord, NO_CHAT, type ChatPort } from './engine/ports.js';
import { DryRunWriter, type Writer } from './engine/writer.js';
import { registerSecret } from './gitlab/errors.js';
import { perMinute, type PaceLimits } from './gitlab/endpointPacing.js';
import { RestGateway } from './gitlab/gateway.js';
import { DryRunChat, SlackChat } from './notify/slack.js';
import { allRules } from './rules/index.js';
import type { AnyRule } from './rules/types.js';

export { SetupError } from './config/env.js';

export interface RuntimeOptions {
  loaded?: LoadedConfig;
  env?: RuntimeEnv;
  dryRun?: boolean;
  log: Logger;
  rules?: readonly AnyRule[];
  now?: () => Date;
  /** Cap on writes (scheduled jobs); unlimited when left out. */
  maxWrites?: number;
  /** Per-endpoint limits with other windows than GitLab's minute (the sandbox's, shortened for tests); the config's otherwise. */
  endpointLimits?: Partial<PaceLimits>;
  /** Where the chat channels' webhook URLs are read (`notifications.slack[].webhookUrlEnv`); the process environment otherwise. */
  chatEnv?: Record<string, string | undefined>;
  /** Least time between two messages to one Slack webhook (Slack: about one per second); shortened in tests. */
  chatIntervalMs?: number;
}

export interface Runtime {
  loaded: LoadedConfig;
  gateway: RestGateway;
  writer: Writer;
  bot: Bot;
  dryRun: boolean;
  /** The chat port: Slack (its stats feed /metrics), its dry-run twin, or none when no channel is configured. */
  chat: ChatPort;
}

/** The GitLab gateway for `gitlab` settings and the environment (GITLAB_URL over gitlab.url; GITLAB_TOKEN required). */
export function createGateway(gitlab: BotConfig['gitlab'], env: RuntimeEnv, endpointLimits?: Partial<PaceLimits>): { gateway: RestGateway; instanceUrl: string } {
  registerSecret(env.gitlabToken);
  if (!env.gitlabToken) throw new SetupError('env: GITLAB_TOKEN is not set (a token with the api scope for the bot user)');
  const instanceUrl = env.gitlabUrl ?? gitlab.url;
  const gateway = new RestGateway({
    url: instanceUrl,
    token: env.gitlabToken,
    concurrency: gitlab.concurrency,
    retry: { retries: gitlab.retries, baseMs: gitlab.retryBaseMs, maxMs: gitlab.retryMaxMs },
    slowDownBelow: gitlab.slowDownBelow,
    timeoutMs: gitlab.timeoutMs,
    endpointLimits: { ...perMinute(gitlab.endpointLimits), ...endpointLimits },
  });
  return { gateway, instanceUrl };
}

/** Wires config, environment, GitLab gateway, renderer, writer and rules into one Bot. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const rules = options.rules ?? allRules;
  // The config has a section and a switch for each shipped rule and each injected one.
  const loaded = options.loaded ?? loadConfig(undefined, configuredRules(rules));
  const env = options.env ?? readEnv();
  const { config } = loaded;
  const { gateway, instanceUrl } = createGateway(config.gitlab, env, options.endpointLimits);
  const dryRun = options.dryRun ?? false;
  // Chosen once: a dry run gets ports that record instead of sending, into one record.
  const recorded = new DryRunRecord();
  const writer: Writer = dryRun ? new DryRunWriter(recorded) : gateway;
  const webhooks = readChatWebhooks(config.notifications.slack, options.chatEnv);
  const chat: ChatPort =
    webhooks.length === 0
      ? NO_CHAT
      : dryRun
        ? new DryRunChat(recorded)
        : new SlackChat({
            channels: webhooks,
            retry: { retries: config.gitlab.retries, baseMs: config.gitlab.retryBaseMs, maxMs: config.gitlab.retryMaxMs },
            timeoutMs: config.gitlab.timeoutMs,
            minIntervalMs: options.chatIntervalMs,
            log: options.log,
          });
  const render = loaded.render ?? loadMessages(config, loaded.baseDir, loaded.path, configuredRules(rules));
  const bot = new Bot({
    config,
    gateway,
    writer,
    ports: { chat },
    dryRun,
    instanceUrl,
    rules,
    render,
    log: options.log,
    now: options.now,
    budget: options.maxWrites !== undefined ? new WriteBudget(options.maxWrites) : undefined,
  });
  return { loaded, gateway, writer, bot, dryRun, chat };
}
