import { describe, expect, it } from 'vitest';
import { GitLabError } from '../../src/gitlab/errors.js';
import { all, fixture, gatewayFor, useDocumentedServer, type DocumentedServer } from './documentedServer.js';

// The real gateway against a server that answers as GitLab's documentation says, for what
// the bot's sandbox does not model: redirects after a path change and the pagination variants.

let server: DocumentedServer;
useDocumentedServer((started) => (server = started));

describe('redirects (doc/api/rest/_index.md, "Redirects")', () => {
  it('a read of a moved project follows the 301 to its new path', async () => {
    // "After path changes the REST API might respond with a message noting that the endpoint
    // has moved. When this happens, use the endpoint specified in the Location header."
    server.on('GET', '/api/v4/projects/gitlab-org%2Fold-path-project', {
      status: 301,
      headers: { location: `${server.url}/api/v4/projects/81`, 'content-type': 'text/plain' },
      body: `This resource has been moved permanently to ${server.url}/api/v4/projects/81`,
    });
    server.on('GET', '/api/v4/projects/81', { status: 200, body: fixture('projects-get') });
    await expect(gatewayFor(server).getProject('gitlab-org/old-path-project')).resolves.toMatchObject({ id: 3, pathWithNamespace: 'diaspora/diaspora-project-site' });
    expect(server.requests).toEqual(['GET /api/v4/projects/gitlab-org%2Fold-path-project', 'GET /api/v4/projects/81']);
  });

  it('a redirect to another host is not followed: the token stays with GITLAB_URL', async () => {
    server.on('GET', '/api/v4/projects/9', { status: 301, headers: { location: 'https://elsewhere.example.com/api/v4/projects/9', 'content-type': 'text/plain' }, body: 'Moved' });
    const error = await gatewayFor(server)
      .getProject(9)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(GitLabError);
    expect((error as GitLabError).status).toBe(301);
    expect((error as GitLabError).message).toContain('moved to https://elsewhere.example.com/api/v4/projects/9, not followed');
    expect(server.requests).toEqual(['GET /api/v4/projects/9']);
  });
});

const issue = (id: number) => ({ ...(fixture('issues-list-project') as Record<string, unknown>[])[0], id, iid: id });

describe('pagination (doc/api/rest/_index.md, "Pagination")', () => {
  it('offset pagination with the documented headers: x-next-page until it is empty', async () => {
    server.on('GET', '/api/v4/projects/9/issues', (_req, url) => {
      const page = Number(url.searchParams.get('page'));
      const headers: Record<string, string> = {
        'x-page': String(page),
        'x-per-page': '100',
        'x-total': '3',
        'x-total-pages': '3',
        'x-next-page': page < 3 ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
        // As in the docs' example, the links name another host (GitLab's external URL).
        link: `<https://gitlab.example.com/api/v4/projects/9/issues?page=1&per_page=100>; rel="first", <https://gitlab.example.com/api/v4/projects/9/issues?page=3&per_page=100>; rel="last"`,
      };
      return { status: 200, headers, body: [issue(page)] };
    });
    const issues = await all(gatewayFor(server).listIssues(9));
    expect(issues.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(server.requests.every((r) => r.startsWith('GET /api/v4/projects/9/issues?'))).toBe(true);
  });

  it('over 10,000 records GitLab leaves out x-total, x-total-pages and rel="last": the listing goes on', async () => {
    server.on('GET', '/api/v4/projects/9/issues', (_req, url) => {
      const page = Number(url.searchParams.get('page'));
      return { status: 200, headers: { 'x-page': String(page), 'x-per-page': '100', 'x-next-page': page < 3 ? String(page + 1) : '', 'x-prev-page': '' }, body: [issue(page)] };
    });
    expect((await all(gatewayFor(server).listIssues(9))).map((i) => i.id)).toEqual([1, 2, 3]);
  });

  it('keyset pagination: the Link header alone, with a cursor, until there is none', async () => {
    // "The response header includes a link to the next page … When the end of the collection
    // is reached and there are no additional records to retrieve, the Link header is absent
    // and the resulting array is empty." Project issues support it since GitLab 18.3.
    server.on('GET', '/api/v4/projects/9/issues', (_req, url) => {
      const cursor = url.searchParams.get('cursor');
      const page = cursor === null ? 1 : Number(Buffer.from(cursor, 'base64url').toString());
      if (page > 3) return { status: 200, body: [] };
      const next = new URL(url.toString());
      next.searchParams.delete('page');
      next.searchParams.set('cursor', Buffer.from(String(page + 1)).toString('base64url'));
      return { status: 200, headers: { link: `<https://gitlab.example.com${next.pathname}${next.search}>; rel="next"` }, body: [issue(page)] };
    });
    const issues = await all(gatewayFor(server).listIssues(9, { labels: ['bug'] }));
    expect(issues.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(server.requests).toHaveLength(4);
    // The next link is followed as given (its query kept), on GitLab's configured host.
    expect(server.requests.slice(1).every((r) => r.includes('cursor=') && r.includes('labels=bug'))).toBe(true);
  });

  it('a next link back to a page already read is an error, not an endless listing', async () => {
    server.on('GET', '/api/v4/projects/9/issues', (_req, url) => ({
      status: 200,
      headers: { link: `<${server.url}/api/v4/projects/9/issues?cursor=same>; rel="next"` },
      body: [issue(url.searchParams.has('cursor') ? 2 : 1)],
    }));
    await expect(all(gatewayFor(server).listIssues(9))).rejects.toThrow(/already read/);
  });

  it('a list endpoint answering something other than a list is a clear error', async () => {
    server.on('GET', '/api/v4/projects/9/issues', { status: 200, body: { message: 'not a list' } });
    await expect(all(gatewayFor(server).listIssues(9))).rejects.toThrow(/expected a list/);
  });
});
