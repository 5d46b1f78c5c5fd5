// Delivering webhook events: POST to each subscribed project hook, in order per
// hook, after the API response that caused them, with a 10 s timeout and
// GitLab's delivery headers. GitLab keeps `Idempotency-Key` across retries of
// one delivery while X-Gitlab-Event-UUID and X-Gitlab-Webhook-UUID are new on
// each request; a failed delivery is not retried automatically (GitLab only
// resends on a manual "Resend request"), which `redeliver` models.
// In-process listeners (`onWebhook`) receive every event, for every project.

import { randomUUID } from 'node:crypto';
import type { SandboxStore } from '../store.js';
import type { HookRec } from '../types.js';

export const GITLAB_VERSION = '18.6.0';
export const DELIVERY_TIMEOUT_MS = 10_000;

export type HookEventName = 'Issue Hook' | 'Confidential Issue Hook' | 'Note Hook' | 'Confidential Note Hook' | 'Merge Request Hook';

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
    private readonly opts: { instanceUrl: () => string; timeoutMs?: number; log?: (msg: string) => void },
  ) {}

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
      for (const e of events) this.emit(e);
      this.checkIdle();
    });
  }

  /** Queues an event now. */
  emit(event: HookEvent): void {
    const eventUuid = randomUUID();
    for (const hook of this.store.hooks) {
      if (hook.projectId !== event.projectId || !hook[SUBSCRIPTION[event.event]]) continue;
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': `GitLab/${GITLAB_VERSION}`,
        'X-Gitlab-Event': event.event,
        'X-Gitlab-Webhook-UUID': randomUUID(),
        'X-Gitlab-Instance': this.opts.instanceUrl(),
        'X-Gitlab-Event-UUID': eventUuid,
        'Idempotency-Key': randomUUID(),
      };
      if (hook.token) headers['X-Gitlab-Token'] = hook.token;
      this.enqueue(`hook:${hook.id}`, () => this.post(hook, event.event, headers, event.body));
    }
    if (this.listeners.size > 0) {
      const headers: Record<string, string> = {
        'X-Gitlab-Event': event.event,
        'X-Gitlab-Instance': this.opts.instanceUrl(),
        'X-Gitlab-Event-UUID': eventUuid,
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
      .then(() => undefined, () => undefined)
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
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      });
      delivery.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      delivery.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.opts.log?.(`sandbox: delivery to ${hook.url} failed: ${delivery.error}`);
    }
    return delivery;
  }
}
