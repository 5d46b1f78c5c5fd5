import { createRequesterFn } from '@gitbeaker/requester-utils';
import { GitLabError } from './errors.js';
import type { RateLimitTracker } from './rateLimit.js';
import type { RequestStats } from './stats.js';
import { exchange, TransportTimeout, type Exchange } from './transport.js';

// A requester for @gitbeaker/rest that makes exactly one attempt per call. Retries
// live in one place, the gateway's p-retry policy; gitbeaker's own retry loop (429
// and 502 only, Retry-After ignored) is replaced so the two never stack.

export interface RequesterHooks {
  stats: RequestStats;
  rateLimit: RateLimitTracker;
  /** The whole request, answer and body included. */
  timeoutMs: number;
}

interface HandlerOptions {
  method: string;
  prefixUrl?: string;
  searchParams?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

function parseBody(status: number, headers: Record<string, string>, text: string): unknown {
  if (status === 204) return null;
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type !== 'application/json') return text;
  return text === '' ? {} : ((JSON.parse(text) as unknown) ?? {});
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
  async function handle(endpoint: string, options: HandlerOptions) {
    const { method, prefixUrl, searchParams, headers, body } = options;
    const base = prefixUrl && !prefixUrl.endsWith('/') ? `${prefixUrl}/` : prefixUrl;
    const url = new URL(endpoint, base);
    url.search = searchParams ?? '';
    await hooks.rateLimit.beforeRequest();
    let response: Exchange;
    try {
      response = await exchange(url, { method, headers, body, timeoutMs: hooks.timeoutMs });
    } catch (error) {
      hooks.stats.record(method, endpoint, 'error');
      const reason = error instanceof TransportTimeout ? error.message : String((error as Error).cause ?? error);
      throw new GitLabError(`${method} ${url.pathname}: ${reason}`, method, endpoint, undefined);
    } finally {
      hooks.rateLimit.answered();
    }
    const { status, headers: responseHeaders, text } = response;
    hooks.stats.record(method, endpoint, status);
    hooks.rateLimit.observe(responseHeaders);
    if (status >= 200 && status < 300) {
      return { body: parseBody(status, responseHeaders, text), headers: withNextPage(responseHeaders), status };
    }
    const retryAfterHeader = responseHeaders['retry-after'];
    const retryAfter = Number(retryAfterHeader);
    const retryAfterSeconds = retryAfterHeader !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
    if (status === 429 && retryAfterSeconds !== undefined) hooks.rateLimit.observeRetryAfter(retryAfterSeconds);
    throw new GitLabError(`${method} ${url.pathname} → ${status}: ${errorMessage(text)}`, method, endpoint, status, retryAfterSeconds);
  }
  return createRequesterFn((_serviceOptions, requestOptions) => Promise.resolve(requestOptions), handle as never);
}
