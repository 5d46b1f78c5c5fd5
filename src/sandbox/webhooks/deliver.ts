// Delivering webhook events: POST to each subscribed project hook after the API
// response that caused them, with a 10 s timeout and GitLab's delivery headers.
// GitLab keeps `Idempotency-Key` across retries of one delivery while
// X-Gitlab-Event-UUID and X-Gitlab-Webhook-UUID are new on each request; a failed
// delivery is not retried automatically (GitLab only resends on a manual "Resend
// request"), which `redeliver` models.
//
// GitLab delivers from background jobs (WebHookWorker), so order is not guaranteed:
// `delivery.maxDelayMs` delays each delivery by a seeded random time, which reorders
// them; without it deliveries go out in order per hook.
//
// GitLab.com disables failing hooks (app/models/concerns/web_hooks/auto_disabling.rb, with
// WebHookService#response_category): a 2xx or a 3xx is a success and re-enables the hook;
// anything else (4xx, 5xx, timeout, unreachable) counts as a failure. From the 4th failure in a
// row the hook is disabled temporarily, for 1 minute doubling with each further failure up to a
// day (`next_backoff`), and on the 40th for good (`PERMANENTLY_DISABLED_FAILURE_THRESHOLD`
// 39). Disabled hooks get no deliveries. The bot must not fail authentic deliveries either way.
//
// X-Gitlab-Event-UUID is one per API request and hook (lib/gitlab/web_hooks/recursion_detection/uuid.rb:
// a request-store singleton, `new_uuids_for_hooks[hook.id] ||= SecureRandom.uuid`): the close and
// the update hook of one PUT carry the same one; X-Gitlab-Webhook-UUID is new on every request.
//
// In-process listeners (`onWebhook`) receive every event, for every project.

import { randomUUID } from 'node:crypto';
import type { SandboxStore } from '../store.js';
import type { HookRec } from '../types.js';
import { mulberry32 } from '../random.js';

export const GITLAB_VERSION = '18.6.0';
export const DELIVERY_TIMEOUT_MS = 10_000;
/** `TEMPORARILY_DISABLED_FAILURE_THRESHOLD`: more failures than this disable the hook for a while. */
const TEMPORARILY_DISABLED_AFTER = 3;
/** `PERMANENTLY_DISABLED_FAILURE_THRESHOLD`: more failures than this disable it for good. */
const PERMANENTLY_DISABLED_AFTER = 39;
const FIRST_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 24 * 3600_000;

export interface DeliveryOptions {
  /** Delay each delivery by up to this many ms (seeded), so deliveries arrive out of order. 0 = in order (default). */
  maxDelayMs?: number;
  /** Seed of the delays (default 1), so a reordering is repeatable. */
  seed?: number;
  /** GitLab.com's auto-disabling of failing hooks (default on). */
  autoDisable?: boolean;
}

export type HookEventName = 'Issue Hook' | 'Confidential Issue Hook' | 'Note Hook' | 'Confidential Note Hook' | 'Merge Request Hook' | 'Emoji Hook';

export interface HookEvent {
  projectId: number;
  event: HookEventName;
  body: Record<string, unknown>;
}

export interface WebhookDelivery {
  hookId: number;
  url: string;
  event: string;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
  error?: string;
  at: Date;
}

export type WebhookListener = (d: { event: string; headers: Record<string, string>; body: unknown; projectId: number }) => void | Promise<void>;

const SUBSCRIPTION: Record<HookEventName, keyof HookRec> = {
  'Issue Hook': 'issuesEvents',
  'Confidential Issue Hook': 'confidentialIssuesEvents',
  'Note Hook': 'noteEvents',
  'Confidential Note Hook': 'confidentialNoteEvents',
  'Merge Request Hook': 'mergeRequestsEvents',
  'Emoji Hook': 'emojiEvents',
};

interface Holder {
  once(event: 'close', cb: () => void): unknown;
}

export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private listeners = new Set<WebhookListener>();
  private chains = new Map<string, Promise<void>>();
  private inFlight = 0;
  private held = new Map<Holder, HookEvent[]>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: SandboxStore,
    private readonly opts: { instanceUrl: () => string; timeoutMs?: number; log?: (msg: string) => void; delivery?: DeliveryOptions },
  ) {
    this.random = mulberry32(opts.delivery?.seed ?? 1);
  }

  private readonly random: () => number;

  /** Whether GitLab would deliver to this hook now. */
  isEnabled(hook: HookRec): boolean {
    return !hook.permanentlyDisabled && (hook.disabledUntil === null || hook.disabledUntil.getTime() <= this.store.now().getTime());
  }

  onWebhook(listener: WebhookListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues an event to go out once `holder` (the API response) has closed. */
  emitAfter(holder: Holder, event: HookEvent): void {
    const list = this.held.get(holder);
    if (list) {
      list.push(event);
      return;
    }
    this.held.set(holder, [event]);
    holder.once('close', () => {
      const events = this.held.get(holder) ?? [];
      this.held.delete(holder);
      // One request: one X-Gitlab-Event-UUID per hook for all the events it caused.
      const requestUuids = new Map<number | 'listeners', string>();
      for (const e of events) this.emit(e, requestUuids);
      this.checkIdle();
    });
  }

  /** Queues an event now; events sharing `requestUuids` came from one request. */
  emit(event: HookEvent, requestUuids = new Map<number | 'listeners', string>()): void {
    const uuidFor = (key: number | 'listeners'): string => {
      const known = requestUuids.get(key);
      if (known !== undefined) return known;
      const fresh = randomUUID();
      requestUuids.set(key, fresh);
      return fresh;
    };
    for (const hook of this.store.hooks) {
      if (hook.projectId !== event.projectId || !hook[SUBSCRIPTION[event.event]] || !this.isEnabled(hook)) continue;
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': `GitLab/${GITLAB_VERSION}`,
        'X-Gitlab-Event': event.event,
        'X-Gitlab-Webhook-UUID': randomUUID(),
        'X-Gitlab-Instance': this.opts.instanceUrl(),
        'X-Gitlab-Event-UUID': uuidFor(hook.id),
        'Idempotency-Key': randomUUID(),
      };
      if (hook.token) headers['X-Gitlab-Token'] = hook.token;
      const delayMs = Math.floor(this.random() * (this.opts.delivery?.maxDelayMs ?? 0));
      // Delayed deliveries run independently (each its own queue), as background jobs do.
      const key = delayMs > 0 ? `hook:${hook.id}:${randomUUID()}` : `hook:${hook.id}`;
      this.enqueue(key, async () => {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        // WebHookService checks `executable?` when the job runs, not when it is queued.
        if (this.isEnabled(hook)) await this.post(hook, event.event, headers, event.body);
      });
    }
    if (this.listeners.size > 0) {
      const headers: Record<string, string> = {
        'X-Gitlab-Event': event.event,
        'X-Gitlab-Instance': this.opts.instanceUrl(),
        'X-Gitlab-Event-UUID': uuidFor('listeners'),
        'Idempotency-Key': randomUUID(),
      };
      for (const listener of [...this.listeners]) {
        this.enqueue('listeners', async () => {
          try {
            await listener({ event: event.event, headers, body: structuredClone(event.body), projectId: event.projectId });
          } catch (err) {
            this.opts.log?.(`sandbox: webhook listener failed: ${String(err)}`);
          }
        });
      }
    }
  }

  /** Resends delivery `index` with the same Idempotency-Key and new UUIDs. */
  redeliver(index: number): Promise<WebhookDelivery> {
    const original = this.deliveries[index];
    if (!original) return Promise.reject(new Error(`sandbox: no delivery #${index}`));
    const hook = this.store.hooks.find((h) => h.id === original.hookId);
    if (!hook) return Promise.reject(new Error(`sandbox: hook ${original.hookId} is gone`));
    const headers = { ...original.headers, 'X-Gitlab-Webhook-UUID': randomUUID(), 'X-Gitlab-Event-UUID': randomUUID() };
    return new Promise((resolve) => {
      this.enqueue(`hook:${hook.id}`, async () => resolve(await this.post(hook, original.event, headers, original.body)));
    });
  }

  /** Resolves when nothing is held, queued or being delivered (repeats while listeners cause new events). */
  async flush(): Promise<void> {
    while (this.inFlight > 0 || this.held.size > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private enqueue(key: string, task: () => Promise<unknown>): void {
    this.inFlight += 1;
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next: Promise<void> = prev
      .then(() => new Promise((r) => setImmediate(r)))
      .then(task)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.inFlight -= 1;
        if (this.chains.get(key) === next) this.chains.delete(key);
        this.checkIdle();
      });
    this.chains.set(key, next);
  }

  private checkIdle(): void {
    if (this.inFlight > 0 || this.held.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async post(hook: HookRec, event: string, headers: Record<string, string>, body: unknown): Promise<WebhookDelivery> {
    const delivery: WebhookDelivery = { hookId: hook.id, url: hook.url, event, headers, body, at: new Date() };
    this.deliveries.push(delivery);
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        // A redirect is an answer, not followed (WebHookService counts a 3xx as a success).
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      });
      delivery.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      delivery.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.opts.log?.(`sandbox: delivery to ${hook.url} failed: ${delivery.error}`);
    }
    if (this.opts.delivery?.autoDisable ?? true) this.recordOutcome(hook, delivery.status);
    return delivery;
  }

  /** WebHooks::AutoDisabling: `enable!` on a 2xx or 3xx, else `backoff!`. */
  private recordOutcome(hook: HookRec, status: number | undefined): void {
    if (status !== undefined && status >= 200 && status < 400) {
      Object.assign(hook, { recentFailures: 0, disabledUntil: null, permanentlyDisabled: false });
      return;
    }
    // `backoff_count` is the failures beyond the grace threshold before this one.
    const backoffCount = hook.recentFailures - TEMPORARILY_DISABLED_AFTER;
    hook.recentFailures = Math.min(hook.recentFailures + 1, PERMANENTLY_DISABLED_AFTER + 1);
    if (hook.recentFailures > PERMANENTLY_DISABLED_AFTER) hook.permanentlyDisabled = true;
    if (hook.recentFailures > TEMPORARILY_DISABLED_AFTER) {
      const backoff = Math.min(MAX_BACKOFF_MS, Math.max(FIRST_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** backoffCount));
      hook.disabledUntil = new Date(this.store.now().getTime() + backoff);
    }
  }
}
