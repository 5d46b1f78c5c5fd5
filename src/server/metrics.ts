import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestStats } from '../gitlab/stats.js';
import type { ChatStats } from '../notify/slack.js';

/** The server's Prometheus metrics: events by type and result, queue depth, latency, GitLab requests. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly events: Counter<'event' | 'result'>;
  readonly latency: Histogram<'event'>;
  /** Rule outcomes on the webhook path; `rule` is one of the configured rules' keys, a fixed set. */
  readonly ruleOutcomes: Counter<'rule' | 'outcome'>;
  /** The executor's outcomes on the webhook path, whatever port they went through; every label from a fixed set. */
  readonly writes: Counter<'port' | 'target' | 'outcome'>;

  constructor(queueDepth: () => number, gitlab: RequestStats, chat?: ChatStats) {
    this.events = new Counter({
      name: 'support_bot_webhook_events_total',
      help: 'Webhook deliveries by event (an event key such as issue.open, else a GitLab hook name, "other" for an unknown X-Gitlab-Event, "none" when missing) and result (accepted, duplicate, ignored, done, failed, unauthorized, malformed, invalid, too_large, queue_full).',
      labelNames: ['event', 'result'],
      registers: [this.registry],
    });
    this.ruleOutcomes = new Counter({
      name: 'support_bot_rule_outcomes_total',
      help: 'Rules evaluated for webhook events, by rule and outcome (planned, error); errors include facts that failed to load.',
      labelNames: ['rule', 'outcome'],
      registers: [this.registry],
    });
    this.writes = new Counter({
      name: 'support_bot_writes_total',
      help: 'Writes the executor made for webhook events, by port (gitlab, …), target (issue, merge_request, note, commit_status, user) and outcome (written, would-write, unchanged, skipped).',
      labelNames: ['port', 'target', 'outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'support_bot_event_processing_seconds',
      help: 'Time from accepting a delivery to finishing its work.',
      labelNames: ['event'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    new Gauge({
      name: 'support_bot_queue_depth',
      help: 'Deliveries accepted and not yet processed.',
      registers: [this.registry],
      collect() {
        this.set(queueDepth());
      },
    });
    new Counter({
      name: 'support_bot_gitlab_requests_total',
      help: 'GitLab API requests by method, endpoint template and status.',
      labelNames: ['method', 'endpoint', 'status'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of gitlab.snapshot()) this.inc({ method: c.method, endpoint: c.endpoint, status: c.status }, c.count);
      },
    });
    new Counter({
      name: 'support_bot_chat_messages_total',
      help: 'Chat messages by channel (notifications.slack[].name) and outcome (sent, rate_limited, permanent_error, server_error, timeout, network_error).',
      labelNames: ['channel', 'outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of chat?.snapshot() ?? []) this.inc({ channel: c.channel, outcome: c.outcome }, c.count);
      },
    });
  }
}
