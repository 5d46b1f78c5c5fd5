import { createRequesterFn } from '@gitbeaker/requester-utils';
import { GitLabError } from './errors.js';
import type { RateLimitTracker } from './rateLimit.js';
import type { RequestStats } from './stats.js';

// A requester for @gitbeaker/rest that makes exactly one attempt per call. Retries
// live in one place, the gateway's p-retry policy; gitbeaker's own retry loop (429
// and 502 only, Retry-After ignored) is replaced so the two never stack.

export interface RequesterHooks {
  stats: RequestStats;
  rateLimit: RateLimitTracker;
  timeoutMs: number;
  /** Extra fetch options (tests pass an undici dispatcher here). */
  fetchImpl?: typeof fetch;
}

interface HandlerOptions {
  method: string;
  prefixUrl?: string;
  searchParams?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  asStream?: boolean;
  signal?: AbortSignal;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type === 'application/json') return response.json().then((v: unknown) => v ?? {});
  return response.text();
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    return typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    return body.slice(0, 200);
  }
}

/**
 * gitbeaker pages by `x-next-page`. GitLab sends it with offset pagination, but a
 * proxy or another implementation may keep only the `Link` header: take the next page
 * from `rel="next"` then, so a listing never stops after its first page.
 */
export function withNextPage(headers: Record<string, string>): Record<string, string> {
  if (headers['x-next-page'] !== undefined || !headers.link) return headers;
  const next = /<([^>]+)>;\s*rel="next"/.exec(headers.link)?.[1];
  const page = next ? new URL(next, 'http://localhost').searchParams.get('page') : null;
  return page ? { ...headers, 'x-next-page': page } : headers;
}

export function createSingleAttemptRequester(hooks: RequesterHooks) {
  const doFetch = hooks.fetchImpl ?? fetch;
  async function handle(endpoint: string, options: HandlerOptions) {
    const { method, prefixUrl, searchParams, headers, body } = options;
    const base = prefixUrl && !prefixUrl.endsWith('/') ? `${prefixUrl}/` : prefixUrl;
    const url = new URL(endpoint, base);
    url.search = searchParams ?? '';
    await hooks.rateLimit.beforeRequest();
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(hooks.timeoutMs) });
    } catch (error) {
      hooks.rateLimit.answered();
      hooks.stats.record(method, endpoint, 'error');
      const reason = (error as Error).name === 'TimeoutError' ? `timed out after ${hooks.timeoutMs} ms` : String((error as Error).cause ?? error);
      throw new GitLabError(`${method} ${url.pathname}: ${reason}`, method, endpoint, undefined);
    }
    hooks.stats.record(method, endpoint, response.status);
    hooks.rateLimit.answered();
    hooks.rateLimit.observe(response.headers);
    if (response.ok) {
      return { body: await readBody(response), headers: withNextPage(Object.fromEntries(response.headers.entries())), status: response.status };
    }
    const text = await response.text();
    const retryAfter = Number(response.headers.get('retry-after'));
    const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has('retry-after') ? retryAfter : undefined;
    if (response.status === 429 && retryAfterSeconds !== undefined) hooks.rateLimit.observeRetryAfter(retryAfterSeconds);
    throw new GitLabError(`${method} ${url.pathname} → ${response.status}: ${errorMessage(text)}`, method, endpoint, response.status, retryAfterSeconds);
  }
  return createRequesterFn((_serviceOptions, requestOptions) => Promise.resolve(requestOptions), handle as never);
}
