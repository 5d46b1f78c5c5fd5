import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { configuredRules, loadConfig, type LoadedConfig } from '../config/load.js';
import type { BotEvent } from '../events/types.js';
import { silentLogger } from '../logger.js';
import type { AnyRule } from '../rules/types.js';
import { createRuntime, type Runtime } from '../runtime.js';
import type { PaceLimits } from '../gitlab/endpointPacing.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js';
import { BOT_ENDPOINT_CLASS, type EndpointLimitName, type EndpointLimits } from '../sandbox/rateLimit.js';
import { createWebhookServer, type WebhookServer } from '../server/app.js';
import { shippedTemplates } from '../templates/shipped.js';
import { seedProjectTemplates } from './projectTemplates.js';
import { SlackChat } from '../notify/slack.js';

// The whole system in one process: the GitLab sandbox, the bot's webhook server
// listening on an ephemeral port, and project hooks pointing at it. The demo, the
// integration tests and the benchmarks all run on this.

export const STACK_WEBHOOK_SECRET = 'sandbox-webhook-secret';

export interface StackOptions {
  sandbox?: SandboxOptions;
  loaded?: LoadedConfig;
  rules?: readonly AnyRule[];
  log?: Logger;
  /** Commit the shipped templates into each configured project's `.gitlab/issue_templates/` first (default true). */
  projectTemplates?: boolean;
  /** Register project hooks for every configured project (default true). */
  hooks?: boolean;
  dryRun?: boolean;
  /** Fast retries for tests and the demo; production defaults otherwise. */
  fastRetries?: boolean;
  onProcessed?: Parameters<typeof createWebhookServer>[0]['onProcessed'];
  /** Where the chat channels' webhook URLs are read (the Slack stand-in's, in tests and the demo). */
  chatEnv?: Record<string, string | undefined>;
  /** Least time between two messages to one Slack webhook; Slack's second by default. */
  chatIntervalMs?: number;
}

export interface Stack {
  sandbox: Sandbox;
  runtime: Runtime;
  webhook: WebhookServer;
  webhookUrl: string;
  /** A token acting as the given sandbox user (created on first use). */
  tokenFor(username: string): string;
  /** Waits until every webhook has been delivered and every delivery processed, including the ones the bot's own writes caused. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // The config first: a broken one must fail before a listening sandbox would keep the process alive.
  const base = options.loaded ?? loadConfig(undefined, configuredRules(options.rules));
  const sandbox = await startSandbox({ seed: 'demo', ...options.sandbox });
  if (options.projectTemplates !== false && (options.sandbox?.seed ?? 'demo') === 'demo') seedProjectTemplates(sandbox, base.config, shippedTemplates);
  const loaded: LoadedConfig = options.fastRetries === false ? base : { ...base, config: { ...base.config, gitlab: { ...base.config.gitlab, retryBaseMs: 5, retryMaxMs: 2_000 } } };
  const log = options.log ?? silentLogger;
  const runtime = createRuntime({
    log,
    loaded,
    endpointLimits: botPacingFor(options.sandbox?.endpointLimits),
    dryRun: options.dryRun,
    rules: options.rules,
    env: { gitlabUrl: sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: STACK_WEBHOOK_SECRET, port: undefined },
    chatEnv: options.chatEnv ?? {},
    chatIntervalMs: options.chatIntervalMs,
  });
  const settings = loaded.config.server;
  const webhook = createWebhookServer({
    bot: runtime.bot,
    secret: STACK_WEBHOOK_SECRET,
    log,
    stats: runtime.gateway.stats,
    ...(runtime.chat instanceof SlackChat ? { chatStats: runtime.chat.stats } : {}),
    settings,
    onProcessed: options.onProcessed,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer(webhook.listener).listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  if (options.hooks !== false) {
    for (const project of Object.values(loaded.config.projects)) {
      if (sandbox.store.resolveProject(project.path)) {
        sandbox.addProjectHook(project.path, { url: webhookUrl, token: STACK_WEBHOOK_SECRET });
      }
    }
  }

  const tokens = new Map<string, string>();
  return {
    sandbox,
    runtime,
    webhook,
    webhookUrl,
    tokenFor(username) {
      let token = tokens.get(username);
      if (!token) {
        const user = sandbox.store.findUserByUsername(username);
        if (!user) throw new Error(`sandbox: no user @${username}`);
        token = `stack-token-${username}`;
        sandbox.store.addToken(token, user.id);
        tokens.set(username, token);
      }
      return token;
    },
    async settle() {
      // A delivery can cause writes, whose webhooks cause more deliveries: repeat until quiet.
      for (let round = 0; round < 20; round += 1) {
        const before = sandbox.deliveries.length;
        await sandbox.flushWebhooks();
        await webhook.queue.drain();
        await sandbox.flushWebhooks();
        if (sandbox.deliveries.length === before && webhook.queue.depth === 0) return;
      }
      throw new Error('stack: webhooks did not settle after 20 rounds (a loop between the bot and its own events?)');
    },
    async close() {
      await webhook.queue.drain();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sandbox.close();
    },
  };
}

/**
 * The bot paces itself by the limits an operator configures to match the instance; in the
 * stack the instance is the sandbox, whose limits a test may shorten or turn off.
 */
function botPacingFor(limits: EndpointLimits | undefined): Partial<PaceLimits> {
  return Object.fromEntries(
    Object.entries(limits ?? {}).map(([name, config]) => [
      BOT_ENDPOINT_CLASS[name as EndpointLimitName],
      config ? { limit: config.limit, windowMs: config.windowMs } : { limit: 0, windowMs: 60_000 },
    ]),
  );
}

export type { BotEvent };
