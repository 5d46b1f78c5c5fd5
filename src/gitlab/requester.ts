import { createRequesterFn } from '@gitbeaker/requester-utils';
import { GitLabError, GitLabResponseError, redactAndClip } from './errors.js';
import type { EndpointPacer } from './endpointPacing.js';
import type { RateLimitTracker } from './rateLimit.js';
import type { RequestStats } from './stats.js';
import { exchange, TransportTimeout, type Exchange } from './transport.js';

// A requester for @gitbeaker/rest that makes exactly one attempt per call. Retries
// live in one place, the gateway's p-retry policy; gitbeaker's own retry loop (429
// and 502 only, Retry-After ignored) is replaced so the two never stack.

export interface RequesterHooks {
  stats: RequestStats;
  rateLimit: RateLimitTracker;
  /** Keeps each per-endpoint limit's class under its limit (those 429s say nothing). */
  pacer: EndpointPacer;
  /** The whole request, answer and body included. */
  timeoutMs: number;
  now?: () => number;
  /** Told whether each attempt got an answer from GitLab's API (the gateway's connection state). */
  connection?: Connection;
}

/** Whether GitLab's API ever answered this gateway: until it has, a request waits at most FIRST_CONTACT_MS. */
export interface Connection {
  answered: boolean;
}

/** A wrong GITLAB_URL (a host that drops packets) is reported within this, whatever gitlab.timeoutMs says. */
export const FIRST_CONTACT_MS = 8_000;

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH)/;

/** Why a request got no answer, in words, from Node's error code. */
export function networkReason(error: unknown, url: URL): string {
  if (error instanceof TransportTimeout) return error.message;
  const code = String((error as { code?: unknown })?.code ?? '');
  if (code === 'ECONNREFUSED') return `connection refused by ${url.host}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup of ${url.hostname} failed (${code})`;
  if (TLS_CODE.test(code)) return `TLS error (${code}): ${(error as Error).message}`;
  if (code === 'ECONNRESET') return `connection reset by ${url.host}`;
  if (code) return `${code}: ${(error as Error).message}`;
  return String((error as Error)?.message ?? error);
}

/**
 * GitLab's API answers JSON, also for 4xx (`{"message": "404 Not Found"}`); only raw file
 * reads and a merge request's raw diff (`…/raw_diffs`) are text, the throttle's 429 is
 * plain `Retry later`, and a 502-504 may be the HTML
 * page in front of Rails. Anything else is another server answering at GITLAB_URL (a web
 * server, a sign-in proxy).
 */
function notGitLabApi(url: URL, status: number, headers: Record<string, string>, text: string): string | undefined {
  if (status === 204 || status === 429 || status >= 500 || REDIRECTS.has(status) || text.trim() === '' || url.pathname.endsWith('/raw') || url.pathname.endsWith('/raw_diffs'))
    return undefined;
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim();
  return type === 'application/json' ? undefined : `the answer at ${url.origin}${url.pathname} is not GitLab's API (HTTP ${status}, ${type || 'no content type'})`;
}

interface HandlerOptions {
  method: string;
  prefixUrl?: string;
  searchParams?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

/** What the requester hands back to gitbeaker and to the gateway's own list reads. */
export interface RawAnswer {
  body: unknown;
  /** Lower-case names. */
  headers: Record<string, string>;
  status: number;
}

/** Redirects followed for one read (GitLab answers a renamed project's old path with 301). */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function parseBody(method: string, url: URL, status: number, headers: Record<string, string>, text: string): unknown {
  if (status === 204) return null;
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type !== 'application/json') return text;
  if (text.trim() === '') return {};
  try {
    return (JSON.parse(text) as unknown) ?? {};
  } catch {
    throw new GitLabResponseError(`${method} ${url.pathname} (${status})`, [`the body is not JSON although its content type says so: ${clip(oneLine(text), 80)}`]);
  }
}

/** Error bodies are redacted before they are cut: a token straddling the cut is not half-printed. */
const clip = (text: string, max = 300): string => redactAndClip(text, max);
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'", nbsp: ' ' };
const decodeEntities = (text: string): string => text.replace(/&(#?\w+);/g, (whole, name: string) => ENTITIES[name.toLowerCase()] ?? whole);

/**
 * GitLab's error `message` (or `error`) as one line. doc/api/rest/troubleshooting.md: a string
 * (`"404 Project Not Found"`), or field errors `{"bio": ["is too long …"]}` with embedded
 * entities nested (`{"assignee": {"username": [...]}}`); the spam answer and the per-endpoint
 * rate limit put a string under `error` (`{"message": {"error": "…"}}`).
 */
function describeMessage(value: unknown, prefix = ''): string[] {
  const label = (text: string): string => (prefix ? `${prefix}: ${text}` : text);
  if (typeof value === 'string') return [label(value)];
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? [label(value.join(', '))] : value.flatMap((v) => describeMessage(v, prefix));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => describeMessage(inner, key === 'error' || key === 'base' ? prefix : prefix ? `${prefix}.${key}` : key));
  }
  return [label(JSON.stringify(value))];
}

/** The reason in an error answer, as one line, whatever the body: GitLab's JSON, a proxy's HTML page, plain text or nothing. */
export function describeErrorBody(text: string, contentType = ''): string {
  const trimmed = text.trim();
  if (trimmed === '') return '(no body)';
  let parsed: unknown;
  let isJson = false;
  try {
    parsed = JSON.parse(trimmed);
    isJson = true;
  } catch {
    // Not JSON: HTML or text below.
  }
  if (isJson) {
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const body = parsed as Record<string, unknown>;
      const parts = [...(body.message !== undefined ? describeMessage(body.message) : []), ...(body.error !== undefined ? describeMessage(body.error) : [])];
      // OAuth errors: {"error": "invalid_token", "error_description": "Token was revoked. …"}
      if (typeof body.error_description === 'string') parts.push(body.error_description);
      if (parts.length > 0) return clip(oneLine(parts.join('; ')));
    }
    return clip(oneLine(JSON.stringify(parsed)));
  }
  if (/^<(!doctype|html|head|body)/i.test(trimmed) || /html/i.test(contentType)) {
    const heading = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(trimmed)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(trimmed)?.[1];
    const title = heading ? oneLine(decodeEntities(heading.replace(/<[^>]*>/g, ''))) : '';
    return title ? `${clip(title, 120)} (an HTML page)` : 'an HTML page';
  }
  return clip(oneLine(trimmed));
}

/** `error` of an OAuth error body (`{"error":"insufficient_scope","error_description":…}`). */
function oauthErrorCode(text: string): string | undefined {
  if (!text.includes('"error"')) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    const code = body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(headers: Record<string, string>, now: number): number | undefined {
  const raw = headers['retry-after']?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * A throttled request without Retry-After: doc/security/rate_limits.md lists
 * RateLimit-ResetTime (an HTTP date) and RateLimit-Reset (Unix time) for when the quota resets.
 */
function untilReset(headers: Record<string, string>, now: number): number | undefined {
  const resetTime = headers['ratelimit-resettime'] ? Date.parse(headers['ratelimit-resettime']) : NaN;
  const reset = Number(headers['ratelimit-reset']) * 1000;
  const at = Number.isFinite(resetTime) ? resetTime : Number.isFinite(reset) && reset > 0 ? reset : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The request's path under the API root (`projects/3/issues/1/notes`), whatever part of it
 * gitbeaker put in its prefix URL (its notes resources pass `3/issues/1/notes` under
 * `…/api/v4/projects/`), so one endpoint counts under one template in the stats and errors.
 */
function apiPath(url: URL): string {
  const path = url.pathname;
  const root = path.indexOf('/api/v4/');
  return root < 0 ? path.replace(/^\//, '') : path.slice(root + '/api/v4/'.length);
}

export function createSingleAttemptRequester(hooks: RequesterHooks) {
  const now = hooks.now ?? Date.now;

  async function once(method: string, url: URL, headers: Record<string, string> | undefined, body: string | FormData | undefined, endpoint: string): Promise<Exchange> {
    await hooks.pacer.beforeRequest(method, endpoint);
    await hooks.rateLimit.beforeRequest();
    const timeoutMs = hooks.connection?.answered === false ? Math.min(hooks.timeoutMs, FIRST_CONTACT_MS) : hooks.timeoutMs;
    try {
      return await exchange(url, { method, headers, body, timeoutMs });
    } catch (error) {
      hooks.stats.record(method, endpoint, 'error');
      const reason = networkReason(error, url);
      // A slow answer once GitLab is known to answer is a timeout to retry, not GitLab out of reach.
      const unreachable = error instanceof TransportTimeout && hooks.connection?.answered !== false ? undefined : reason;
      throw new GitLabError(`${method} ${url.pathname}: ${reason}`, method, endpoint, undefined, undefined, undefined, unreachable);
    } finally {
      hooks.rateLimit.answered();
    }
  }

  async function handle(requested: string, options: HandlerOptions): Promise<RawAnswer> {
    const { method, prefixUrl, searchParams, headers, body } = options;
    const base = prefixUrl && !prefixUrl.endsWith('/') ? `${prefixUrl}/` : prefixUrl;
    let url = new URL(requested, base);
    const endpoint = apiPath(url);
    // The gateway's list reads pass the next page's query in the endpoint itself (from the
    // Link header); gitbeaker passes its query separately.
    if (searchParams !== undefined) url.search = searchParams;
    let response = await once(method, url, headers, body, endpoint);
    // doc/api/rest/_index.md, "Redirects": after a path change GitLab answers the old path with
    // 301 and the new one in Location. Reads follow it, on GitLab's own host only: the token
    // goes nowhere else.
    for (let hops = 0; REDIRECTS.has(response.status) && (method === 'GET' || method === 'HEAD') && response.headers.location && hops < MAX_REDIRECTS; hops += 1) {
      const target = new URL(response.headers.location, url);
      if (target.origin !== url.origin) break;
      hooks.stats.record(method, endpoint, response.status);
      url = target;
      response = await once(method, url, headers, undefined, endpoint);
    }
    const { status, headers: responseHeaders, text } = response;
    hooks.stats.record(method, endpoint, status);
    const stranger = notGitLabApi(url, status, responseHeaders, text);
    if (stranger) throw new GitLabError(`${method} ${url.pathname}: ${stranger}`, method, endpoint, status, undefined, undefined, stranger);
    if (hooks.connection) hooks.connection.answered = true;
    hooks.rateLimit.observe(responseHeaders);
    if (status >= 200 && status < 300) hooks.pacer.accepted(method, endpoint);
    if (status >= 200 && status < 300) return { body: parseBody(method, url, status, responseHeaders, text), headers: responseHeaders, status };
    const at = now();
    const retryAfterSeconds = retryAfter(responseHeaders, at) ?? (status === 429 ? untilReset(responseHeaders, at) : undefined);
    if (status === 429 && retryAfterSeconds !== undefined) hooks.rateLimit.observeRetryAfter(retryAfterSeconds);
    if (status === 429 && retryAfterSeconds === undefined) hooks.pacer.refused(method, endpoint);
    let reason = describeErrorBody(text, responseHeaders['content-type']);
    if (REDIRECTS.has(status) && responseHeaders.location)
      reason = `moved to ${responseHeaders.location}, not followed (${method === 'GET' || method === 'HEAD' ? 'another host' : `a ${method}`}): ${reason}`;
    throw new GitLabError(`${method} ${url.pathname} → ${status}: ${reason}`, method, endpoint, status, retryAfterSeconds, oauthErrorCode(text));
  }
  return createRequesterFn((_serviceOptions, requestOptions) => Promise.resolve(requestOptions), handle as never);
}
