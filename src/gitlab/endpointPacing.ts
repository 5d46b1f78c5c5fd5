// Client-side pacing for GitLab's per-endpoint limits (Gitlab::ApplicationRateLimiter).
// Those limits answer 429 with no Retry-After and no RateLimit-* header
// (lib/api/helpers/rate_limiter.rb, `check_rate_limit!`), so the bot cannot learn them from
// GitLab's answers: it keeps under them itself. GitLab counts per user (issue creation per
// project and user) in windows aligned to the epoch (`period_key = now / interval`); the bot
// never sends more than `limit` requests of one class in any `windowMs`, so no such window
// can hold more. A 429 that says nothing about how long holds that class, exponentially.

export type EndpointClass = 'notesCreate' | 'issuesCreate' | 'projectGet' | 'userProjects' | 'userContributedProjects';

/** Requests per minute for each class (the config's `gitlab.endpointLimits`); 0 paces nothing for that class. */
export type EndpointLimits = Record<EndpointClass, number>;

/** A class's limit as the pacer keeps it: `limit` requests per `windowMs` (GitLab's interval is a minute). */
export interface PaceLimit {
  limit: number;
  windowMs: number;
}
export type PaceLimits = Record<EndpointClass, PaceLimit>;

const MINUTE_MS = 60_000;

/** The config's per-minute values as the pacer's limits. */
export function perMinute(limits: EndpointLimits): PaceLimits {
  return Object.fromEntries(Object.entries(limits).map(([name, limit]) => [name, { limit, windowMs: MINUTE_MS }])) as PaceLimits;
}

/**
 * GitLab.com's documented values: note creation 60 and issue creation 200 per minute
 * (doc/user/gitlab_com/_index.md, "Rate limits on GitLab.com"); the Projects and Users API
 * limits (doc/administration/settings/rate_limit_on_projects_api.md): `GET /projects/:id`
 * 400, `GET /users/:id/projects` 300, `GET /users/:id/contributed_projects` 100 per minute.
 */
export const GITLAB_COM_ENDPOINT_LIMITS: Readonly<EndpointLimits> = {
  notesCreate: 60,
  issuesCreate: 200,
  projectGet: 400,
  userProjects: 300,
  userContributedProjects: 100,
};

interface Classified {
  endpointClass: EndpointClass;
  /** What GitLab counts the limit per, besides the bot's user: issue creation is per project too. */
  key: string;
}

const CLASSES: Array<{ method: string; pattern: RegExp; endpointClass: EndpointClass; perProject?: boolean }> = [
  // lib/api/notes.rb: `check_rate_limit! :notes_create` on POST …/notes of every noteable.
  { method: 'POST', pattern: /^projects\/[^/]+\/(?:issues|merge_requests|snippets)\/\d+\/notes$/, endpointClass: 'notesCreate' },
  // app/services/issues/create_service.rb: `rate_limit key: :issues_create, opts: { scope: [:project, :current_user, …] }`.
  { method: 'POST', pattern: /^projects\/([^/]+)\/issues$/, endpointClass: 'issuesCreate', perProject: true },
  // lib/api/projects.rb, `check_rate_limit_by_user_or_ip!(:project_api)` on GET /projects/:id.
  { method: 'GET', pattern: /^projects\/[^/]+$/, endpointClass: 'projectGet' },
  { method: 'GET', pattern: /^users\/[^/]+\/projects$/, endpointClass: 'userProjects' },
  { method: 'GET', pattern: /^users\/[^/]+\/contributed_projects$/, endpointClass: 'userContributedProjects' },
];

/** The limited class of a request (`endpoint`: its path under /api/v4/, no query), if any. */
export function classify(method: string, endpoint: string): Classified | undefined {
  const path = endpoint.split('?')[0]!.replace(/\/+$/, '');
  for (const c of CLASSES) {
    if (c.method !== method) continue;
    const match = c.pattern.exec(path);
    if (match) return { endpointClass: c.endpointClass, key: c.perProject ? `${c.endpointClass}:${decodeURIComponent(match[1]!)}` : c.endpointClass };
  }
  return undefined;
}

export interface PacingOptions {
  limits: PaceLimits;
  /** Longest hold after a 429 without a header, in milliseconds. */
  maxHoldMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Slack for the request's travel time: GitLab counts a request when it arrives, the bot when it leaves. */
const MARGIN_MS = 500;
/** The first hold after a headerless 429 is this share of the window; each next one doubles, up to the window. */
const FIRST_HOLD_SHARE = 1 / 16;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EndpointPacer {
  /** Send times of the last `perMinute` requests per key, oldest first (reserved before sleeping). */
  private readonly sent = new Map<string, number[]>();
  private readonly holds = new Map<string, { until: number; level: number }>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxHoldMs: number;
  /** Total milliseconds spent waiting, for the job summary and benchmarks. */
  waitedMs = 0;
  /** 429s that named no wait, per class. */
  readonly refusals: Partial<Record<EndpointClass, number>> = {};

  constructor(private readonly options: PacingOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.maxHoldMs = options.maxHoldMs ?? MINUTE_MS;
  }

  /** Another limit for a class from now on (an instance whose settings differ). */
  setLimit(endpointClass: EndpointClass, limit: PaceLimit): void {
    this.options.limits[endpointClass] = limit;
  }

  /** Waits until the request may leave: its class has room in the last minute and is not held. */
  async beforeRequest(method: string, endpoint: string): Promise<void> {
    const c = classify(method, endpoint);
    if (!c) return;
    const { limit, windowMs } = this.options.limits[c.endpointClass];
    const start = this.now();
    let at = Math.max(start, this.holds.get(c.key)?.until ?? 0);
    if (limit > 0) {
      const log = this.sent.get(c.key) ?? [];
      if (log.length >= limit) at = Math.max(at, log[log.length - limit]! + windowMs + MARGIN_MS);
      log.push(at);
      if (log.length > limit) log.splice(0, log.length - limit);
      this.sent.set(c.key, log);
    }
    // A hold set while this request slept (another request's 429) holds it too.
    for (let wait = at - this.now(); wait > 0; wait = Math.max(at, this.holds.get(c.key)?.until ?? 0) - this.now()) {
      await this.sleep(wait);
      at = this.now();
    }
    this.waitedMs += this.now() - start;
  }

  /** A 2xx for the request: its class's back-off starts over. */
  accepted(method: string, endpoint: string): void {
    const c = classify(method, endpoint);
    if (c) this.holds.delete(c.key);
  }

  /**
   * A 429 that says nothing about how long (no Retry-After, no RateLimit-Reset): something
   * else spends the same quota (another process with the bot's token). Hold the class for
   * 1/16 of the window, doubling with each refusal in a row, up to the window: five refusals
   * in a row span more than a window, so a retried request meets a new one.
   */
  refused(method: string, endpoint: string): void {
    const c = classify(method, endpoint);
    if (!c) return;
    this.refusals[c.endpointClass] = (this.refusals[c.endpointClass] ?? 0) + 1;
    const level = this.holds.get(c.key)?.level ?? 0;
    const { windowMs } = this.options.limits[c.endpointClass];
    const hold = Math.min(this.maxHoldMs, windowMs, windowMs * FIRST_HOLD_SHARE * 2 ** level);
    this.holds.set(c.key, { until: this.now() + hold, level: level + 1 });
  }
}
