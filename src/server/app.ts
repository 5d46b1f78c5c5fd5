import express, { type Request, type Response } from 'express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { BotConfig } from '../config/schema.js';
import type { Bot } from '../engine/bot.js';
import { parseEvent } from '../events/parse.js';
import type { BotEvent } from '../events/types.js';
import type { RequestStats } from '../gitlab/stats.js';
import type { ChatStats } from '../notify/slack.js';
import { tokenChecker } from './auth.js';
import { BodyTooLarge, readBody } from './body.js';
import { DeliveryDedupe } from './dedupe.js';
import { dedupeKey, deliveryFields, eventLabel, header, truncate } from './fields.js';
import { GitLabHealth } from './health.js';
import { ServerMetrics } from './metrics.js';
import { RateLimitedLog } from './rateLimitedLog.js';
import { slimEvent } from './slim.js';
import { WorkQueue } from './workQueue.js';

export interface ServerOptions {
  bot: Pick<Bot, 'handleEvent'>;
  secret: string;
  log: Logger;
  stats: RequestStats;
  /** The chat port's counts, when it sends (Slack). */
  chatStats?: ChatStats;
  settings: BotConfig['server'];
  /** Called after each delivery's work finishes (the demo prints a transcript from it). */
  onProcessed?: (event: BotEvent, outcome: Awaited<ReturnType<Bot['handleEvent']>> | { status: 'failed'; error: string }) => void;
}

export interface WebhookServer {
  /** The HTTP listener to serve: POST /webhook on a plain Node path, everything else through express. */
  listener: RequestListener;
  app: express.Express;
  queue: WorkQueue;
  metrics: ServerMetrics;
  health: GitLabHealth;
}

/** Answers with a small JSON body, without express's send machinery (this is the hot path). */
function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const issueOrMr = (event: BotEvent) => (event.kind === 'merge_request' || event.kind === 'emoji' || event.key === 'note.merge_request' ? 'mr' : 'issue');

/**
 * The webhook receiver, in Probot's order: verify the token, read and parse the
 * delivery once, answer 202, then route the typed event to the bot off the request.
 *
 * The contract with GitLab (which pauses a hook after repeated 4xx and 5xx, and disables it
 * for good on the 40th): nothing GitLab can send is answered 4xx. A JSON body the bot cannot
 * read (a shape it does not know, an `object_kind` that disagrees with `X-Gitlab-Event`) is
 * acknowledged 202, logged at warn with the reason, counted as `invalid`, and left to the
 * sweep. Refused are only what GitLab never sends: a wrong token (401), a body over
 * `server.maxBodyBytes` (413; GitLab sends at most 25 MB), and a request without
 * `X-Gitlab-Event` or with a body that is not JSON (400, `malformed`).
 */
export function createWebhookServer(options: ServerOptions): WebhookServer {
  const { bot, log, settings } = options;
  const queue = new WorkQueue(settings.queueLimit, settings.concurrency);
  const metrics = new ServerMetrics(() => queue.depth, options.stats, options.chatStats);
  const dedupe = new DeliveryDedupe(settings.dedupeSeconds * 1000);
  const health = new GitLabHealth(settings.degradedAfterRefusals);
  options.stats.onRecord((status, method) => health.observe(status, method));
  const tokenMatches = tokenChecker(options.secret);
  const rejectedLog = new RateLimitedLog(log);
  const app = express();
  app.disable('x-powered-by');

  /** Refused before the body is trusted: counted under a fixed label, logged rate-limited. */
  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, result: string, error: string) => {
    const fields = deliveryFields(req);
    metrics.events.inc({ event: fields.event!, result });
    rejectedLog.warn({ ...fields, status }, `rejected: ${error}`);
    reply(res, status, { error });
  };

  /** Authentic but unreadable: 202 so GitLab keeps the hook enabled; the sweep catches what it was about. */
  const unreadable = (req: IncomingMessage, res: ServerResponse, reason: string) => {
    const fields = deliveryFields(req);
    metrics.events.inc({ event: fields.event!, result: 'invalid' });
    log.warn({ ...fields, reason: truncate(reason) }, 'delivery not handled: the body is not one the bot reads (acknowledged; the sweep catches up)');
    reply(res, 202, { status: 'invalid', reason: truncate(reason) });
  };

  const enqueue = (event: BotEvent, fields: Record<string, string | undefined>, deliveryKey: string | undefined): boolean => {
    const accepted = performance.now();
    const resourceKey = `${event.projectId}:${issueOrMr(event)}:${event.iid}`;
    return queue.offer(resourceKey, async () => {
      // One structured line per event, fields inline (a child logger per event costs more than the line).
      const context = { ...fields, key: event.key, project: event.projectPath, iid: event.iid };
      try {
        const outcome = await bot.handleEvent(event);
        metrics.events.inc({ event: event.key, result: outcome.status });
        // Ignored events (other projects of a group hook, the bot's own changes) are most of
        // the traffic and change nothing: counted in /metrics, logged at debug.
        if (outcome.status === 'ignored') log.debug({ ...context, reason: outcome.reason }, 'event ignored');
        else {
          // With the subjects re-planned because their notes quote this one.
          const reports = [outcome.subject, ...outcome.quoting];
          for (const o of reports.flatMap((r) => r.outcomes)) if (o.status !== 'not-applicable') metrics.ruleOutcomes.inc({ rule: o.rule, outcome: o.status });
          for (const c of reports.flatMap((r) => r.changes)) metrics.writes.inc({ port: c.port, target: c.target, outcome: c.outcome });
          const quoting = outcome.quoting.map((r) => ({ iid: r.iid, changes: r.changes, rules: r.outcomes }));
          log.info({ ...context, changes: outcome.subject.changes, rules: outcome.subject.outcomes, ...(quoting.length > 0 ? { quoting } : {}) }, 'event processed');
        }
        options.onProcessed?.(event, outcome);
      } catch (error) {
        if (deliveryKey !== undefined) dedupe.release(deliveryKey);
        metrics.events.inc({ event: event.key, result: 'failed' });
        log.error({ ...context, err: error }, 'event failed');
        options.onProcessed?.(event, { status: 'failed', error: String((error as Error).message ?? error) });
      } finally {
        metrics.latency.observe({ event: event.key }, (performance.now() - accepted) / 1000);
      }
    });
  };

  const handleDelivery = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!tokenMatches(header(req, 'x-gitlab-token'))) {
      req.resume();
      return refuse(req, res, 401, 'unauthorized', 'X-Gitlab-Token is missing or does not match GITLAB_WEBHOOK_SECRET');
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, settings.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        req.resume();
        return refuse(req, res, 413, 'too_large', `body is larger than ${settings.maxBodyBytes} bytes (server.maxBodyBytes)`);
      }
      throw error;
    }
    // GitLab sends X-Gitlab-Event with every delivery and a body it encoded as JSON itself
    // (app/services/web_hook_service.rb, `build_headers` and `make_request`): a request
    // without either is not GitLab's, so a 400 cannot get a GitLab hook disabled.
    const eventHeader = header(req, 'x-gitlab-event');
    if (eventHeader === undefined) return refuse(req, res, 400, 'malformed', 'X-Gitlab-Event header is missing (GitLab sends it with every delivery)');
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      // Not the parser's message: it quotes the body.
      return refuse(req, res, 400, 'malformed', 'body is not valid JSON (GitLab sends JSON)');
    }
    const parsed = parseEvent(body, eventHeader);
    if (parsed.status === 'invalid') return unreadable(req, res, `${eventLabel(eventHeader)} payload does not match its schema: ${parsed.error}`);
    if (parsed.status === 'ignored') {
      metrics.events.inc({ event: eventLabel(eventHeader), result: 'ignored' });
      return reply(res, 202, { status: 'ignored', reason: truncate(parsed.reason) });
    }
    // From here on only the slim event lives on: the body and its descriptions can be collected.
    const event = slimEvent(parsed.event);
    const fields = deliveryFields(req);
    const keyHeader = header(req, 'idempotency-key');
    const deliveryKey = keyHeader === undefined ? undefined : dedupeKey(keyHeader);
    if (deliveryKey !== undefined && !dedupe.claim(deliveryKey)) {
      log.info(fields, 'duplicate delivery: already accepted');
      metrics.events.inc({ event: event.key, result: 'duplicate' });
      return reply(res, 202, { status: 'duplicate' });
    }
    if (!enqueue(event, fields, deliveryKey)) {
      if (deliveryKey !== undefined) dedupe.release(deliveryKey);
      metrics.events.inc({ event: event.key, result: 'queue_full' });
      return reply(res, 503, { error: 'work queue is full (server.queueLimit); resend the delivery later, the next sweep also catches up' });
    }
    metrics.events.inc({ event: event.key, result: 'accepted' });
    const id = fields.idempotencyKey !== undefined && fields.idempotencyKey !== 'invalid' ? fields.idempotencyKey : randomUUID();
    return reply(res, 202, { status: 'accepted', id });
  };
  app.post('/webhook', (req, res) => handleDelivery(req, res));

  app.get('/healthz', (_req, res) => {
    const gitlab = health.state;
    if (gitlab.degraded) {
      res.status(503).json({
        status: 'degraded',
        queueDepth: queue.depth,
        gitlab: {
          status: gitlab.status,
          refusedInARow: gitlab.refusedInARow,
          refused: gitlab.refused,
          reason: `GitLab refused the last ${gitlab.refusedInARow} ${gitlab.refused === 'writes' ? 'writes' : 'requests'} (${gitlab.status}): check GITLAB_TOKEN, its api scope and the bot user's access`,
        },
      });
      return;
    }
    res.json({ status: 'ok', queueDepth: queue.depth });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found: the bot serves POST /webhook, GET /healthz and GET /metrics' });
  });

  // Deliveries skip express's router and response helpers: on one core that doubles
  // the deliveries answered per second (bench/intake: 5.5k -> 10.9k).
  const listener: RequestListener = (req, res) => {
    if (req.method === 'POST' && (req.url === '/webhook' || req.url?.startsWith('/webhook?'))) {
      handleDelivery(req, res).catch((error: unknown) => {
        // A broken connection while reading the body: nothing was accepted, so nothing is lost.
        rejectedLog.warn({ ...deliveryFields(req), reason: truncate(String((error as Error)?.message ?? error)) }, 'delivery not read');
        if (!res.headersSent) reply(res, 400, { error: 'the request body could not be read' });
        else res.destroy();
      });
    } else {
      // Typed through express's own types: a dev dependency (probot, for bench/intake) augments node:http's.
      app(req as Request, res as Response);
    }
  };

  return { listener, app, queue, metrics, health };
}
