import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitLabError } from '../../src/gitlab/errors.js';
import { fixture, gatewayFor, startDocumentedServer, type DocumentedServer } from './documentedServer.js';

// The real gateway against a server that answers as GitLab's documentation says, for what
// the bot's sandbox does not model: redirects after a path change and the pagination variants.

let server: DocumentedServer;
beforeAll(async () => {
  server = await startDocumentedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

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
