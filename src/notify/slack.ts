import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import type { Logger } from 'pino';
import type { SlackChannelConfig } from '../config/schema.js';
import { DryRunRecord, type ChatPort } from '../engine/ports.js';
import { retryWhen, type RetryPolicy } from '../gitlab/retry.js';
import type { ChatMessage } from './message.js';
import { payloadFor } from './slackFormat.js';

// The chat port: Slack's incoming webhooks through Slack's own client, answered as Slack
// documents them ("Sending messages using incoming webhooks", Handling errors; "Rate limits":
// about one message per second per webhook, 429 with Retry-After):
// - 200 `ok`: sent;
// - 429: wait Retry-After, then again (the project's one back-off policy);
// - 5xx, or no connection at all: again, with the same policy;
// - any other 4xx (`invalid_payload`, `channel_not_found`, `channel_is_archived`,
//   `no_service`, `action_prohibited`…): permanent, never repeated;
// - a timeout: Slack may have posted the message, so it is not sent again (at most once,
//   reported as a failure; docs/notifications.md).

export type ChatOutcome = 'sent' | 'rate_limited' | 'permanent_error' | 'server_error' | 'timeout' | 'network_error';

/** A message that was not delivered (or may not have been): its channel, why, and whether Slack may still have posted it. */
export class ChatDeliveryError extends Error {
  override name = 'ChatDeliveryError';
  constructor(
    message: string,
    readonly channel: string,
    readonly outcome: ChatOutcome,
    /** A timeout or a connection lost mid-request: the message may be in the channel. */
    readonly mayHaveDelivered: boolean,
  ) {
    super(message);
  }
}

/** Messages by channel and outcome, for /metrics (`support_bot_chat_messages_total`). */
export class ChatStats {
  private readonly counts = new Map<string, number>();

  inc(channel: string, outcome: ChatOutcome): void {
    const key = `${channel}\u0000${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): { channel: string; outcome: ChatOutcome; count: number }[] {
    return [...this.counts].map(([key, count]) => {
      const [channel, outcome] = key.split('\u0000') as [string, ChatOutcome];
      return { channel, outcome, count };
    });
  }
}

export interface SlackChannel {
  name: string;
  url: string;
  format: SlackChannelConfig['format'];
}

export interface SlackChatOptions {
  channels: readonly SlackChannel[];
  retry: RetryPolicy;
  timeoutMs: number;
  /** Least time between two messages to one webhook (Slack: about one per second). */
  minIntervalMs?: number;
  log: Logger;
}

class Retryable extends Error {}

interface Hook {
  channel: SlackChannel;
  webhook: IncomingWebhook;
  /** Seconds of the last 429's Retry-After. */
  retryAfter?: number;
  /** No message to this webhook before this instant (pacing, Retry-After). */
  nextAt: number;
  /** One message at a time per webhook. */
  tail: Promise<unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NO_CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class SlackChat implements ChatPort {
  readonly stats = new ChatStats();
  private readonly hooks = new Map<string, Hook>();

  constructor(private readonly options: SlackChatOptions) {
    for (const channel of options.channels) {
      const hook: Hook = { channel, nextAt: 0, tail: Promise.resolve(), webhook: undefined as unknown as IncomingWebhook };
      hook.webhook = new IncomingWebhook(channel.url, {
        timeout: options.timeoutMs,
        // Slack's client reads no header: Retry-After is taken here.
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (response.status === 429) hook.retryAfter = Number(response.headers.get('retry-after')) || 1;
          return response;
        },
      });
      this.hooks.set(channel.name, hook);
    }
  }

  send(channel: string, message: ChatMessage): Promise<void> {
    const hook = this.hooks.get(channel);
    if (!hook) return Promise.reject(new Error(`notifications: no chat channel "${channel}" is configured`));
    const sent = hook.tail.then(() => this.deliver(hook, message));
    hook.tail = sent.catch(() => undefined);
    return sent;
  }

  private async deliver(hook: Hook, message: ChatMessage): Promise<void> {
    const { name } = hook.channel;
    const payload = payloadFor(hook.channel.format, message);
    const interval = this.options.minIntervalMs ?? 1000;
    try {
      await retryWhen(
        this.options.retry,
        (error) => error instanceof Retryable,
        async () => {
          await sleep(Math.max(0, hook.nextAt - Date.now()));
          hook.nextAt = Date.now() + interval;
          try {
            await hook.webhook.send(payload);
          } catch (error) {
            throw this.classify(hook, error);
          }
        },
      );
      this.stats.inc(name, 'sent');
    } catch (error) {
      const failure = error instanceof ChatDeliveryError ? error : this.failure(hook, error);
      this.stats.inc(name, failure.outcome);
      this.options.log.error({ channel: name, outcome: failure.outcome, event: message.event, url: message.url }, failure.message);
      throw failure;
    }
  }

  /** A retryable attempt, or the final failure. */
  private classify(hook: Hook, error: unknown): Error {
    const { name } = hook.channel;
    if (error instanceof IncomingWebhookHTTPError) {
      const code =
        String(error.body ?? '')
          .trim()
          .slice(0, 100) || `HTTP ${error.statusCode}`;
      if (error.statusCode === 429) {
        const waitMs = Math.min(this.options.retry.maxMs, (hook.retryAfter ?? 1) * 1000);
        hook.nextAt = Math.max(hook.nextAt, Date.now() + waitMs);
        this.options.log.warn({ channel: name, waitMs }, `Slack channel "${name}": 429, waiting Retry-After`);
        return new Retryable(`Slack channel "${name}": 429 ${code} (rate limited, retries exhausted)`);
      }
      if (error.statusCode >= 500) return new Retryable(`Slack channel "${name}": ${error.statusCode} ${code}`);
      return new ChatDeliveryError(`Slack channel "${name}": ${error.statusCode} ${code} (permanent: not retried; see docs/notifications.md)`, name, 'permanent_error', false);
    }
    const original = error instanceof IncomingWebhookRequestError ? error.original : error;
    const cause = (original as { cause?: { code?: string } } | undefined)?.cause;
    if (original instanceof Error && original.name === 'TimeoutError')
      return new ChatDeliveryError(
        `Slack channel "${name}": no answer within ${this.options.timeoutMs} ms; Slack may have posted it, so it is not sent again`,
        name,
        'timeout',
        true,
      );
    if (cause?.code && NO_CONNECTION.has(cause.code)) return new Retryable(`Slack channel "${name}": ${cause.code}`);
    return new ChatDeliveryError(
      `Slack channel "${name}": the connection failed mid-request (${cause?.code ?? (original instanceof Error ? original.message : String(original))}); Slack may have posted it, so it is not sent again`,
      name,
      'network_error',
      true,
    );
  }

  /** Retries exhausted: the last retryable failure as the final one. */
  private failure(hook: Hook, error: unknown): ChatDeliveryError {
    const message = error instanceof Error ? error.message : String(error);
    const outcome: ChatOutcome = /: 429 /.test(message) ? 'rate_limited' : /: 5\d\d /.test(message) ? 'server_error' : 'network_error';
    return new ChatDeliveryError(`${message} (after ${this.options.retry.retries} retries)`, hook.channel.name, outcome, false);
  }
}

/** The chat port of a dry run: what would be sent, in the run's record. */
export class DryRunChat implements ChatPort {
  constructor(private readonly recorded: DryRunRecord) {}

  async send(channel: string, message: ChatMessage): Promise<void> {
    this.recorded.add('chat', 'send', `Slack channel ${channel}`, { ...message });
  }
}
