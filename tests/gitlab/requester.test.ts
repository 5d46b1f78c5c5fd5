import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestGateway } from '../../src/gitlab/gateway.js';

// The requester's own contract, against a plain HTTP server that misbehaves on purpose:
// a timeout covers the whole request (answer and body), and headers reach the callers
// in the shape fetch's Headers gave them.

const held: ServerResponse[] = [];
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (path === '/api/v4/projects/1') {
      // Never answers.
      held.push(res);
      return;
    }
    if (path === '/api/v4/projects/2') {
      // Answers, then stalls half-way through the body.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id": 2, "path_with_namespace": "a/b", ');
      held.push(res);
      return;
    }
    if (path === '/api/v4/projects/3') {
      // A 429 with Retry-After.
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end('{"message":"429 Too Many Requests"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"404 Project Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const gateway = () => new RestGateway({ url, token: 't', concurrency: 2, retry: { retries: 0, baseMs: 1, maxMs: 1 }, slowDownBelow: 0.1, timeoutMs: 300 });

describe('single-attempt requester', () => {
  it('gives up on a server that never answers after the configured timeout: before any answer, GitLab is out of reach', async () => {
    const started = Date.now();
    await expect(gateway().getProject(1)).rejects.toMatchObject({ name: 'GitLabUnreachable', reason: 'timed out after 300 ms', firstContact: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('counts a body that stalls after the headers against the same timeout', async () => {
    await expect(gateway().getProject(2)).rejects.toMatchObject({ name: 'GitLabUnreachable', reason: 'timed out after 300 ms' });
  });

  it("reads GitLab's error message and Retry-After from a refused request", async () => {
    await expect(gateway().getProject(3)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 7, message: expect.stringContaining('429 Too Many Requests') });
    await expect(gateway().getProject(4)).rejects.toMatchObject({ status: 404, message: expect.stringContaining('404 Project Not Found') });
  });
});
