import { createRequesterFn } from '@gitbeaker/requester-utils';
import { FormData as UndiciFormData, request, type Dispatcher } from 'undici';
import { GitLabError } from './errors.js';
import type { RateLimitTracker } from './rateLimit.js';
import type { RequestStats } from './stats.js';

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

/** undici lists a repeated header as an array; GitLab's callers read one value, as fetch's `Headers` gave it. */
function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** gitbeaker sends some edits (users, for their avatar) as the platform's FormData, which undici's `request` does not take as a body. */
function requestBody(body: HandlerOptions['body']): Dispatcher.RequestOptions['body'] {
  if (!(body instanceof FormData)) return body;
  const form = new UndiciFormData();
  for (const [name, value] of body.entries()) form.append(name, value as string | Blob);
  return form;
}

async function readBody(status: number, headers: Record<string, string>, body: Dispatcher.ResponseData['body']): Promise<unknown> {
  if (status === 204) {
    await body.dump();
    return null;
  }
  const text = await body.text();
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

/**
 * undici's `request`, not the global `fetch`: the same client underneath without the
 * WHATWG streams, about half the CPU per call (bench/README.md, "Event → note"), which is
 * most of what a webhook costs the server.
 */
export function createSingleAttemptRequester(hooks: RequesterHooks) {
  async function handle(endpoint: string, options: HandlerOptions) {
    const { method, prefixUrl, searchParams, headers, body } = options;
    const base = prefixUrl && !prefixUrl.endsWith('/') ? `${prefixUrl}/` : prefixUrl;
    const url = new URL(endpoint, base);
    url.search = searchParams ?? '';
    await hooks.rateLimit.beforeRequest();
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, hooks.timeoutMs);
    const failed = (error: unknown): GitLabError => {
      hooks.stats.record(method, endpoint, 'error');
      const reason = timedOut ? `timed out after ${hooks.timeoutMs} ms` : String((error as Error).cause ?? error);
      return new GitLabError(`${method} ${url.pathname}: ${reason}`, method, endpoint, undefined);
    };
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, { method: method as Dispatcher.HttpMethod, headers, body: requestBody(body), signal: abort.signal });
      } catch (error) {
        throw failed(error);
      } finally {
        hooks.rateLimit.answered();
      }
      const status = response.statusCode;
      const responseHeaders = flatHeaders(response.headers);
      hooks.stats.record(method, endpoint, status);
      hooks.rateLimit.observe(responseHeaders);
      if (status >= 200 && status < 300) {
        let parsed: unknown;
        try {
          parsed = await readBody(status, responseHeaders, response.body);
        } catch (error) {
          throw timedOut ? failed(error) : error;
        }
        return { body: parsed, headers: withNextPage(responseHeaders), status };
      }
      const text = await response.body.text().catch(() => '');
      const retryAfterHeader = responseHeaders['retry-after'];
      const retryAfter = Number(retryAfterHeader);
      const retryAfterSeconds = retryAfterHeader !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
      if (status === 429 && retryAfterSeconds !== undefined) hooks.rateLimit.observeRetryAfter(retryAfterSeconds);
      throw new GitLabError(`${method} ${url.pathname} → ${status}: ${errorMessage(text)}`, method, endpoint, status, retryAfterSeconds);
    } finally {
      clearTimeout(timer);
    }
  }
  return createRequesterFn((_serviceOptions, requestOptions) => Promise.resolve(requestOptions), handle as never);
}
