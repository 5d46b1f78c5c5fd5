// The embedded GitLab REST v4 simulator: in-process for tests, the demo and
// benchmarks, or standalone (`support-bot sandbox`). See server.ts for the
// request pipeline and routes/ for the endpoints.

import { DelayedJobs } from './jobs.js';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { SandboxContext } from './context.js';
import { FaultInjector } from './faults.js';
import { DEFAULT_COUNT_LIMIT } from './pagination.js';
import { EndpointLimiter, GITLAB_COM_ENDPOINT_LIMITS, RateLimiter, type EndpointLimits, type RateLimitConfig } from './rateLimit.js';
import { seedBase, seedDemo, type SeedName } from './seed.js';
import { buildApp, type RequestLogEntry } from './server.js';
import { SandboxStore } from './store.js';
import { WebhookDispatcher, type DeliveryOptions, type WebhookDelivery, type WebhookListener } from './webhooks/deliver.js';
import type { ProjectSettings, Tier } from './types.js';

export { SANDBOX_TOKENS, DEMO_PROJECTS } from './seed.js';
export { SandboxStore, ACCESS } from './store.js';
export { FaultInjector, type FaultOptions } from './faults.js';
export { mentionedHandles, observeMentions, type MentionObserver } from './mentions.js';
export type { RequestLogEntry } from './server.js';
export type { DeliveryOptions, WebhookDelivery, WebhookListener } from './webhooks/deliver.js';
export type * from './types.js';

export interface SandboxOptions {
  /** 0 = ephemeral (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'empty' (which still has the admin, bot and member users and their tokens). */
  seed?: SeedName;
  /** Per user (GitLab throttles authenticated API requests per user); null = off (default). */
  rateLimit?: RateLimitConfig | null;
  /** Per-endpoint limits per user; GitLab.com's by default (notes_create 60/min, issues_create 200/min); null turns one off. */
  endpointLimits?: EndpointLimits;
  /** Added latency per API request in ms (default 0). */
  latencyMs?: number;
  /** Log requests and delivery failures to stderr. */
  log?: boolean;
  /** Row count above which x-total, x-total-pages and rel="last" are omitted (GitLab: 10,000). */
  countLimit?: number;
  /** Also write label and state changes as system notes (GitLab before 11.2); default false. */
  legacySystemNotes?: boolean;
  /** Webhook delivery timeout in ms (GitLab: 10 s). */
  webhookTimeoutMs?: number;
  /** Out-of-order delivery and GitLab.com's auto-disabling of failing hooks (on by default). */
  webhookDelivery?: DeliveryOptions;
  /** GitLab tier: 'free' answers approvals in the smaller shape and has no scoped-label exclusivity. Default 'premium'. */
  tier?: Tier;
  /** Settings every new project gets; default GitLab.com's for new projects (pipeline variables: no_one_allowed). */
  projectSettings?: Partial<ProjectSettings>;
}

export interface HookInput {
  url: string;
  token?: string;
  issuesEvents?: boolean;
  noteEvents?: boolean;
  mergeRequestsEvents?: boolean;
  emojiEvents?: boolean;
  confidentialIssuesEvents?: boolean;
  confidentialNoteEvents?: boolean;
}

export interface Sandbox {
  /** The GitLab instance URL, e.g. http://127.0.0.1:41234 (API under /api/v4). */
  url: string;
  store: SandboxStore;
  faults: FaultInjector;
  requests: RequestLogEntry[];
  deliveries: WebhookDelivery[];
  /** Changes the rate limit at run time (null = off); resets the windows. */
  setRateLimit(config: RateLimitConfig | null): void;
  addProjectHook(projectIdOrPath: number | string, hook: HookInput): { id: number };
  onWebhook(listener: WebhookListener): () => void;
  /** Resolves when every queued delivery (and listener call) has finished. */
  flushWebhooks(): Promise<void>;
  /** Resends delivery #index with the same Idempotency-Key and new UUIDs. */
  redeliver(deliveryIndex: number): Promise<WebhookDelivery>;
  /** Runs GitLab's delayed background jobs now (the approval reset 10 s after a push); returns how many ran. */
  runDelayedJobs(): number;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const store = new SandboxStore();
  store.tier = opts.tier ?? 'premium';
  store.defaultProjectSettings = { ...store.defaultProjectSettings, ...opts.projectSettings };
  const log = opts.log ? (msg: string): void => void process.stderr.write(`${msg}\n`) : undefined;
  seedBase(store);
  if (opts.seed === 'demo') seedDemo(store);

  const hooks = new WebhookDispatcher(store, {
    instanceUrl: () => store.baseUrl,
    ...(opts.webhookTimeoutMs !== undefined ? { timeoutMs: opts.webhookTimeoutMs } : {}),
    ...(opts.webhookDelivery ? { delivery: opts.webhookDelivery } : {}),
    ...(log ? { log } : {}),
  });
  const faults = new FaultInjector();
  faults.latencyMs = opts.latencyMs ?? 0;
  let limiter = opts.rateLimit ? new RateLimiter(opts.rateLimit) : null;
  const requests: RequestLogEntry[] = [];
  const ctx: SandboxContext = {
    store,
    hooks,
    pagination: { baseUrl: store.baseUrl, countLimit: opts.countLimit ?? DEFAULT_COUNT_LIMIT },
    issuables: { legacySystemNotes: opts.legacySystemNotes ?? false },
    endpointLimits: new EndpointLimiter({ ...GITLAB_COM_ENDPOINT_LIMITS, ...opts.endpointLimits }),
    jobs: new DelayedJobs(),
  };
  const app = buildApp({ ctx, faults, rateLimiter: () => limiter, requests, ...(log ? { log } : {}) });

  const host = opts.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  store.baseUrl = url;
  ctx.pagination.baseUrl = url;

  return {
    url,
    store,
    faults,
    requests,
    deliveries: hooks.deliveries,
    setRateLimit(config) {
      limiter = config ? new RateLimiter(config) : null;
    },
    addProjectHook(projectIdOrPath, hook) {
      const project = store.requireProject(projectIdOrPath);
      const rec = store.addHook(project.id, {
        url: hook.url,
        token: hook.token ?? null,
        issuesEvents: hook.issuesEvents ?? true,
        noteEvents: hook.noteEvents ?? true,
        mergeRequestsEvents: hook.mergeRequestsEvents ?? true,
        emojiEvents: hook.emojiEvents ?? true,
        confidentialIssuesEvents: hook.confidentialIssuesEvents ?? hook.issuesEvents ?? true,
        confidentialNoteEvents: hook.confidentialNoteEvents ?? hook.noteEvents ?? true,
      });
      return { id: rec.id };
    },
    onWebhook: (listener) => hooks.onWebhook(listener),
    flushWebhooks: () => hooks.flush(),
    redeliver: (index) => hooks.redeliver(index),
    runDelayedJobs: () => ctx.jobs.drain(),
    async close() {
      ctx.jobs.cancel();
      await hooks.flush().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
export { SlackStandIn, startSlackStandIn, SLACK_ERRORS, type SlackFault, type SlackMessage } from './slack.js';
