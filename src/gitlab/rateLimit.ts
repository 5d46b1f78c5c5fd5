// Keeps the bot under GitLab's rate limit: it reads RateLimit-* headers on every
// answer, pauses every request until the window resets when the remaining quota is
// low, and pauses after a 429 for as long as Retry-After says.

export interface RateLimitOptions {
  /** Slow down when remaining/limit falls below this share. */
  slowDownBelow: number;
  /** Longest pause, in milliseconds. */
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RateLimitTracker {
  private pausedUntil = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Total milliseconds spent waiting, for the job summary and benchmarks. */
  waitedMs = 0;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  observe(headers: Headers): void {
    const remaining = Number(headers.get('ratelimit-remaining'));
    const limit = Number(headers.get('ratelimit-limit'));
    const reset = Number(headers.get('ratelimit-reset'));
    if (!headers.has('ratelimit-remaining') || !Number.isFinite(remaining) || !(limit > 0) || !Number.isFinite(reset)) return;
    if (remaining / limit < this.options.slowDownBelow) this.pauseUntil(reset * 1000);
  }

  observeRetryAfter(seconds: number): void {
    this.pauseUntil(this.now() + seconds * 1000);
  }

  private pauseUntil(time: number): void {
    const capped = Math.min(time, this.now() + this.options.maxWaitMs);
    if (capped > this.pausedUntil) this.pausedUntil = capped;
  }

  async beforeRequest(): Promise<void> {
    const wait = this.pausedUntil - this.now();
    if (wait > 0) {
      this.waitedMs += wait;
      await this.sleep(wait);
    }
  }
}
