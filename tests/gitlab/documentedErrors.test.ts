import { describe, expect, it } from 'vitest';
import { guarded } from '../../src/commands/common.js';
import { GitLabError, GitLabResponseError } from '../../src/gitlab/errors.js';
import { documentedError, gatewayFor, useDocumentedServer, type DocumentedServer } from './documentedServer.js';

// GitLab's documented error answers, through the real gateway: doc/api/rest/troubleshooting.md
// "Status codes" (400 with a message string, with a message object of field errors, the spam
// answer `{"message":{"error":…}}`, Grape's `{"error":…}`), `{"message":"404 Project Not
// Found"}`, 409, 422, doc/security/rate_limits.md (429 with Retry-After and RateLimit-*
// headers, or RateLimit-ResetTime only) and the HTML pages a 500 or a proxy's 502 come as.

let server: DocumentedServer;
useDocumentedServer((started) => (server = started));

/** The GitLabError a call failed with (the test fails if it did not). */
async function failure(call: Promise<unknown>): Promise<GitLabError> {
  const error = await call.then(
    () => new Error('expected the call to fail'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GitLabError);
  return error as GitLabError;
}

async function refusal(name: string, retries = 0): Promise<GitLabError> {
  server.on('GET', '/api/v4/projects/1', documentedError(name));
  return failure(gatewayFor(server, retries).getProject(1));
}

describe('documented error bodies give one clear line', () => {
  it.each([
    ['400-attribute-missing', 400, 'GET /api/v4/projects/1 → 400: 400 (Bad request) "title" not given'],
    ['400-validation', 400, 'GET /api/v4/projects/1 → 400: bio: is too long (maximum is 255 characters)'],
    ['400-parameter-error', 400, 'GET /api/v4/projects/1 → 400: title is missing'],
    ['400-spam', 400, 'GET /api/v4/projects/1 → 400: Your snippet has been recognized as spam and has been discarded.'],
    ['401', 401, 'GET /api/v4/projects/1 → 401: 401 Unauthorized'],
    ['403', 403, 'GET /api/v4/projects/1 → 403: 403 Forbidden'],
    ['404', 404, 'GET /api/v4/projects/1 → 404: 404 Project Not Found'],
    ['409', 409, 'GET /api/v4/projects/1 → 409: Member already exists'],
    ['422', 422, "GET /api/v4/projects/1 → 422: title: is too long (maximum is 255 characters), can't be blank; assignee.username: is invalid"],
    ['429-retry-after', 429, 'GET /api/v4/projects/1 → 429: Retry later'],
    ['500-html', 500, "GET /api/v4/projects/1 → 500: We're sorry, but something went wrong (500) (an HTML page)"],
    ['502-html', 502, 'GET /api/v4/projects/1 → 502: 502 Bad Gateway (an HTML page)'],
  ])('%s', async (name, status, message) => {
    const error = await refusal(name);
    expect(error.status).toBe(status);
    expect(error.message).toBe(message);
  });

  it.each([
    ['null', 'null'],
    ['a list', '["x"]'],
    ['a string', '"no"'],
    ['an object without message or error', '{"foo":1}'],
    ['broken JSON', '{"message": '],
    ['nothing', ''],
  ])('an unexpected body (%s) still gives the status and what came', async (_what, body) => {
    server.on('GET', '/api/v4/projects/1', { status: 418, headers: { 'content-type': 'application/json' }, body });
    const error = await failure(gatewayFor(server).getProject(1));
    expect(error).toBeInstanceOf(GitLabError);
    expect(error.status).toBe(418);
    expect(error.message).toMatch(/^GET \/api\/v4\/projects\/1 → 418: \S/);
    expect(error.message).not.toContain('undefined');
  });
});

describe('what is retried', () => {
  it.each(['500-html', '502-html'])('a %s is retried on a read, then the read succeeds', async (name) => {
    server.on('GET', '/api/v4/projects/1', (_req, _url, hit) =>
      hit === 1 ? documentedError(name) : { status: 200, body: { id: 1, path_with_namespace: 'a/b', web_url: 'http://x/a/b' } },
    );
    await expect(gatewayFor(server, 2).getProject(1)).resolves.toMatchObject({ id: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('a 429 with Retry-After is retried, even for a create (GitLab did not act)', async () => {
    const answer = documentedError('429-retry-after');
    // Retry-After of 30 s: the tracker waits it out, capped at the retry policy's maximum (20 ms here).
    server.on('POST', '/api/v4/projects/1/issues/2/notes', (_req, _url, hit) =>
      hit === 1 ? answer : { status: 201, body: { id: 5, body: 'hi', author: { id: 1, username: 'bot' }, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' } },
    );
    await expect(gatewayFor(server, 2).createNote({ projectId: 1, kind: 'issue', iid: 2 }, 'hi')).resolves.toMatchObject({ id: 5 });
    expect(server.requests).toHaveLength(2);
  });

  it("a 429 with no hint at all is still retried, with the policy's own backoff", async () => {
    server.on('GET', '/api/v4/projects/1', (_req, _url, hit) =>
      hit === 1 ? { status: 429, body: 'Retry later\n' } : { status: 200, body: { id: 1, path_with_namespace: 'a/b', web_url: 'http://x/a/b' } },
    );
    await expect(gatewayFor(server, 2).getProject(1)).resolves.toMatchObject({ id: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('a 429 carries how long to wait: Retry-After, or else RateLimit-ResetTime', async () => {
    expect((await refusal('429-retry-after')).retryAfterSeconds).toBe(30);
    const inTwoSeconds = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toUTCString();
    server.on('GET', '/api/v4/projects/1', { status: 429, headers: { 'content-type': 'text/plain', 'ratelimit-resettime': inTwoSeconds }, body: 'Retry later\n' });
    const error = await failure(gatewayFor(server).getProject(1));
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3);
  });

  it('Retry-After as an HTTP date (RFC 9110) is read too', async () => {
    const inTwoSeconds = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toUTCString();
    server.on('GET', '/api/v4/projects/1', { status: 429, headers: { 'retry-after': inTwoSeconds }, body: 'Retry later\n' });
    const error = await failure(gatewayFor(server).getProject(1));
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3);
  });

  it('a 4xx is not retried', async () => {
    await refusal('404', 3);
    expect(server.requests).toHaveLength(1);
  });
});

describe('the exit code class', () => {
  /** The CLI's exit code and stderr when reading a project GitLab answers with this documented error. */
  async function exitFor(error: string): Promise<{ code: number; written: string }> {
    let written = '';
    const stderr = { write: (text: string) => ((written += text), true) } as unknown as NodeJS.WritableStream;
    server.on('GET', '/api/v4/projects/1', documentedError(error));
    const code = await guarded(
      () =>
        gatewayFor(server)
          .getProject(1)
          .then(() => 0),
      stderr,
    );
    return { code, written };
  }

  it('401 is the credentials class (exit 2), naming the token; a 404 is a failure (exit 1)', async () => {
    const refused = await exitFor('401');
    expect(refused.code).toBe(2);
    expect(refused.written).toContain('GitLab refused the token (401)');
    expect(await exitFor('404')).toEqual({ code: 1, written: 'support-bot: GET /api/v4/projects/1 → 404: 404 Project Not Found\n' });
  });
});

describe('a 2xx answer the bot cannot read', () => {
  it('a JSON content type with a body that is not JSON is a GitLabResponseError, not a SyntaxError', async () => {
    server.on('GET', '/api/v4/projects/1', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": 1, "path_with' });
    const error = await gatewayFor(server)
      .getProject(1)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitLabResponseError);
    expect((error as Error).message).toMatch(/^GitLab answered GET \/api\/v4\/projects\/1 \(200\) the bot cannot read: the body is not JSON/);
  });

  it('an HTML page where JSON was expected (a sign-in page, a proxy) is not GitLab answering: said once, not retried', async () => {
    server.on('GET', '/api/v4/projects/1', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><title>Sign in</title></html>' });
    await expect(gatewayFor(server).getProject(1)).rejects.toThrow(/the answer at http:\/\/127\.0\.0\.1:\d+\/api\/v4\/projects\/1 is not GitLab's API \(HTTP 200, text\/html\)/);
  });
});

describe('a token without the api scope', () => {
  // doc/api/rest/authentication.md: a token whose scopes do not cover the request gets
  // 403 with an OAuth error body. That is the token's problem, not one project's.
  const insufficientScope = {
    status: 403,
    body: { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' },
  };

  it('is a refused token (a run stops, exit 2), unlike a 403 on one project', async () => {
    server.on('PUT', '/api/v4/projects/1/issues/2', insufficientScope);
    const scope = await failure(gatewayFor(server, 0).updateIssue(1, 2, { addLabels: ['x'] }));
    expect(scope).toMatchObject({ status: 403, code: 'insufficient_scope', isRefusedToken: true });
    expect(scope.message).toBe('PUT /api/v4/projects/1/issues/2 → 403: insufficient_scope; The request requires higher privileges than provided by the access token.');
    expect((await refusal('403')).isRefusedToken).toBe(false);
    expect((await refusal('401')).isRefusedToken).toBe(true);
  });
});
