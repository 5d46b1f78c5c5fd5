// GitLab's authenticated API throttle (Rack::Attack): a fixed window per user.
// Responses carry RateLimit-Name/Limit/Observed/Remaining/Reset (unix seconds)
// and RateLimit-ResetTime (HTTP date). A throttled request gets 429, a
// Retry-After header in seconds, and the plain-text body "Retry later".

export interface RateLimitConfig {
  limit: number;
  windowMs: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): RateLimitVerdict {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.config.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    const resetMs = w.start + this.config.windowMs;
    const resetSec = Math.ceil(resetMs / 1000);
    const allowed = w.count <= this.config.limit;
    const headers: Record<string, string> = {
      'RateLimit-Name': 'throttle_authenticated_api',
      'RateLimit-Limit': String(this.config.limit),
      'RateLimit-Observed': String(w.count),
      'RateLimit-Remaining': String(Math.max(0, this.config.limit - w.count)),
      'RateLimit-Reset': String(resetSec),
      'RateLimit-ResetTime': new Date(resetSec * 1000).toUTCString(),
    };
    if (!allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil((resetMs - now) / 1000)));
    return { allowed, headers };
  }

  reset(): void {
    this.windows.clear();
  }
}

export const RATE_LIMIT_BODY = 'Retry later\n';
