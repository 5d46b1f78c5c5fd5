import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestGateway } from '../../src/gitlab/gateway.js';

// A server that pages with the Link header only, as some proxies and GitLab-compatible APIs do.
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? '1');
    const issues = [1, 2].map((n) => ({
      id: page * 10 + n,
      iid: page * 10 + n,
      project_id: 1,
      title: `p${page}`,
      state: 'opened',
      labels: [],
      author: { id: 1, username: 'a' },
      created_at: '2026-11-16T09:00:00Z',
      updated_at: '2026-11-16T09:00:00Z',
      web_url: 'http://x',
    }));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (page < 3) headers.link = `<${url}/api/v4/projects/1/issues?page=${page + 1}&per_page=100>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify(issues));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('listing from a server that sends only Link', () => {
  it('reads every page', async () => {
    const gateway = new RestGateway({ url, token: 't', concurrency: 1, retry: { retries: 0, baseMs: 1, maxMs: 1 }, slowDownBelow: 0.1, timeoutMs: 2_000 });
    const titles: string[] = [];
    for await (const issue of gateway.listIssues(1)) titles.push(issue.title);
    expect(titles).toEqual(['p1', 'p1', 'p2', 'p2', 'p3', 'p3']);
  });
});
