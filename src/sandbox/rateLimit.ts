// GitLab's rate limits, two kinds:
//
// 1. The authenticated API throttle (Rack::Attack, per user): fixed windows aligned to the
//    epoch (a window is `now / period`), and the headers of
//    lib/gitlab/rack_attack/request_throttle_data.rb on every response:
//    RateLimit-Name, RateLimit-Limit (the limit normalised to 60 seconds, rounded up),
//    RateLimit-Observed, RateLimit-Remaining (of the real period), RateLimit-Reset (unix
//    seconds, end of the window); a throttled request also gets Retry-After and
//    RateLimit-ResetTime (HTTP date), status 429 and the plain-text body "Retry later".
//
// 2. Per-endpoint application limits (Gitlab::ApplicationRateLimiter, per user, epoch-aligned
//    windows): on GitLab.com note creation 60/min and issue creation 200/min
//    (doc/user/gitlab_com/_index.md, "Rate limits on GitLab.com"). Over the limit: 429 with a
//    JSON body and NO header saying how long: no Retry-After, no RateLimit-*
//    (lib/api/helpers/rate_limiter.rb, `check_rate_limit!` → `render_api_error!`; for issue
//    creation app/services/concerns/rate_limited_service.rb, whose error's `headers` are `{}`).
//    lib/gitlab/application_rate_limiter.rb counts every request, refused ones too, under
//    `period_key = now / interval`.

export interface RateLimitConfig {
  limit: number;
  /** The period; windows start at multiples of it since the epoch. */
  windowMs: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Counts hits per key in epoch-aligned windows. */
class FixedWindows {
  private windows = new Map<string, { index: number; count: number }>();

  constructor(private readonly windowMs: number) {}

  hit(key: string, now: number): { count: number; resetMs: number } {
    const index = Math.floor(now / this.windowMs);
    let w = this.windows.get(key);
    if (!w || w.index !== index) {
      w = { index, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, resetMs: (index + 1) * this.windowMs };
  }
}

export class RateLimiter {
  private readonly windows: FixedWindows;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = new FixedWindows(config.windowMs);
  }

  hit(key: string): RateLimitVerdict {
    const now = this.now();
    const { count, resetMs } = this.windows.hit(key, now);
    const allowed = count <= this.config.limit;
    const resetSec = Math.ceil(resetMs / 1000);
    const headers: Record<string, string> = {
      'RateLimit-Name': 'throttle_authenticated_api',
      'RateLimit-Limit': String(Math.ceil((this.config.limit * 60_000) / this.config.windowMs)),
      'RateLimit-Observed': String(count),
      'RateLimit-Remaining': String(Math.max(0, this.config.limit - count)),
      'RateLimit-Reset': String(resetSec),
    };
    if (!allowed) {
      headers['Retry-After'] = String(Math.max(1, Math.ceil((resetMs - now) / 1000)));
      headers['RateLimit-ResetTime'] = new Date(resetSec * 1000).toUTCString();
    }
    return { allowed, headers };
  }
}

export const RATE_LIMIT_BODY = 'Retry later\n';

export type EndpointLimitName = 'notes_create' | 'issues_create' | 'project_get' | 'user_projects' | 'user_contributed_projects';
export type EndpointLimits = Partial<Record<EndpointLimitName, RateLimitConfig | null>>;

/**
 * GitLab.com's values: note and issue creation (doc/user/gitlab_com/_index.md), and the
 * Projects API limits GitLab.com turned on in 2025 (doc/administration/settings/
 * rate_limit_on_projects_api.md: `GET /projects/:id` 400, `GET /users/:user_id/projects` 300,
 * `GET /users/:user_id/contributed_projects` 100 per minute and user), all answered by
 * `check_rate_limit!` the same way.
 */
export const GITLAB_COM_ENDPOINT_LIMITS: Record<EndpointLimitName, RateLimitConfig> = {
  notes_create: { limit: 60, windowMs: 60_000 },
  issues_create: { limit: 200, windowMs: 60_000 },
  project_get: { limit: 400, windowMs: 60_000 },
  user_projects: { limit: 300, windowMs: 60_000 },
  user_contributed_projects: { limit: 100, windowMs: 60_000 },
};

/** The bot's name (`gitlab.endpointLimits`) of each limit the sandbox models. */
export const BOT_ENDPOINT_CLASS = {
  notes_create: 'notesCreate',
  issues_create: 'issuesCreate',
  project_get: 'projectGet',
  user_projects: 'userProjects',
  user_contributed_projects: 'userContributedProjects',
} as const satisfies Record<EndpointLimitName, string>;

export const ENDPOINT_LIMIT_BODY = { message: { error: 'This endpoint has been requested too many times. Try again later.' } };

export class EndpointLimiter {
  private readonly windows = new Map<EndpointLimitName, FixedWindows>();

  constructor(
    private readonly limits: Record<EndpointLimitName, RateLimitConfig | null>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one request under `scope` (the user; for issue creation the project and the user,
   * `rate_limit key: :issues_create, opts: { scope: [:project, :current_user, …] }` in
   * app/services/issues/create_service.rb); whether it is over the limit.
   */
  throttled(name: EndpointLimitName, scope: string): boolean {
    const config = this.limits[name];
    if (!config) return false;
    let windows = this.windows.get(name);
    if (!windows) this.windows.set(name, (windows = new FixedWindows(config.windowMs)));
    return windows.hit(scope, this.now()).count > config.limit;
  }
}
