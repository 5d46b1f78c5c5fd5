// Shared by the config schema (gitlab.url) and the environment (GITLAB_URL, CI_SERVER_URL).

/**
 * Why a GitLab instance URL cannot be used, or undefined when it can: an http(s) URL of the
 * instance itself (a relative URL root such as `https://example.com/gitlab` is fine), without
 * the API path (the gateway adds `/api/v4`), a query or a fragment.
 */
export function instanceUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http(s) URL (got ${url.protocol})`;
  if (/\/api\/v4\/?$/.test(url.pathname)) return 'must be the instance URL without /api/v4 (the bot adds it)';
  if (url.search || url.hash) return 'must be the instance URL without a query or fragment';
  if (url.username || url.password) return 'must not carry credentials (the token goes in GITLAB_TOKEN)';
  return undefined;
}
