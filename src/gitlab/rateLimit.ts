// Keeps the bot under GitLab's rate limit. GitLab's RateLimit-* headers
// (lib/gitlab/rack_attack/request_throttle_data.rb) mean:
// - RateLimit-Limit: the limit normalised to 60 seconds, NOT the quota of the period;
// - RateLimit-Observed / RateLimit-Remaining: requests made / left in the real period;
// - RateLimit-Reset: unix time at which the (epoch-aligned) period ends.
// So the period's quota is Observed + Remaining. When the share left falls below
// `slowDownBelow`, the remaining requests are spread evenly until the reset; when none
// is left, every request waits for the reset. After a 429, Retry-After holds every request.
// Per-endpoint limits (notes, issues on GitLab.com) send no RateLimit-* headers: only their
// 429's Retry-After tells.

export interface RateLimitOptions {
  /** Slow down when remaining/quota falls below this share. */
  slowDownBelow: number;
  /** Longest pause, in milliseconds. */
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RateLimitTracker {
  private pausedUntil = 0;
  /** Spacing between requests while the quota is low, until `spreadUntil`. */
  private spacingMs = 0;
  private spreadUntil = 0;
  private nextSlot = 0;
  /** Requests sent and not answered yet: GitLab may count them after the answer being read. */
  private inFlight = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Total milliseconds spent waiting, for the job summary and benchmarks. */
  waitedMs = 0;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** `headers`: the response's headers, names in lower case. */
  observe(headers: ResponseHeaders): void {
    const remaining = header(headers, 'ratelimit-remaining');
    const reset = header(headers, 'ratelimit-reset');
    if (remaining === undefined || reset === undefined) return;
    const observed = header(headers, 'ratelimit-observed');
    // Without Observed, the normalised Limit is the only hint (exact for 60-second periods).
    const quota = observed !== undefined ? observed + remaining : header(headers, 'ratelimit-limit');
    if (!(quota !== undefined && quota > 0)) return;
    const resetMs = reset * 1000;
    // Requests still in flight spend the quota too: with a small quota they are most of it.
    const left = Math.max(0, remaining - this.inFlight);
    if (left / quota >= this.options.slowDownBelow) {
      if (resetMs >= this.spreadUntil) this.spacingMs = 0;
      return;
    }
    if (left === 0) {
      this.pauseUntil(resetMs);
      return;
    }
    this.spacingMs = Math.max(0, resetMs - this.now()) / left;
    this.spreadUntil = resetMs;
  }

  observeRetryAfter(seconds: number): void {
    this.pauseUntil(this.now() + seconds * 1000);
  }

  private pauseUntil(time: number): void {
    const capped = Math.min(time, this.now() + this.options.maxWaitMs);
    if (capped > this.pausedUntil) this.pausedUntil = capped;
  }

  async beforeRequest(): Promise<void> {
    const now = this.now();
    let until = this.pausedUntil;
    if (this.spacingMs > 0 && now < this.spreadUntil) {
      // Each request takes the next free slot, so concurrent requests do not burst together.
      const slot = Math.max(now, this.nextSlot, this.pausedUntil);
      this.nextSlot = slot + this.spacingMs;
      until = Math.max(until, Math.min(slot, now + this.options.maxWaitMs));
    }
    const wait = until - now;
    if (wait > 0) {
      this.waitedMs += wait;
      await this.sleep(wait);
    }
    this.inFlight += 1;
  }

  /** The request sent after `beforeRequest` has its answer (or failed). */
  answered(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}

/** Response headers as the requester hands them on: lower-case names, repeated values joined. */
export type ResponseHeaders = Readonly<Record<string, string | undefined>>;

function header(headers: ResponseHeaders, name: string): number | undefined {
  const raw = headers[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
