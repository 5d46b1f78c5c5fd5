import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RestGateway } from '../../src/gitlab/gateway.js';

// A tiny HTTP server that answers exactly what GitLab's documentation shows (bodies from
// tests/fixtures/gitlab-api/, headers as the docs list them), so the real gateway, its
// requester and its retry policy meet GitLab's documented answers rather than the sandbox's.

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export type Route = (req: IncomingMessage, url: URL, hit: number) => Answer;

export interface DocumentedServer {
  url: string;
  /** Every request, as `METHOD /path?query`. */
  requests: string[];
  /** Answer `METHOD /api/v4/path` (no query) with this route from now on. */
  on(method: string, path: string, route: Route | Answer): void;
  close(): Promise<void>;
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/gitlab-api/${name}.json`, import.meta.url), 'utf8')) as unknown;
}

/** A documented error answer from tests/fixtures/gitlab-api/errors.json. */
export function documentedError(name: string): Answer {
  const errors = fixture('errors') as Record<string, { status: number; headers: Record<string, string>; body: string }>;
  const error = errors[name];
  if (!error) throw new Error(`no documented error ${name}`);
  return { status: error.status, headers: error.headers, body: error.body };
}

/** One documented server for a test file, handed to `use` once started; its request log is cleared before each test. */
export function useDocumentedServer(use: (server: DocumentedServer) => void): void {
  let started: DocumentedServer | undefined;
  beforeAll(async () => {
    started = await startDocumentedServer();
    use(started);
  });
  afterAll(() => started?.close());
  beforeEach(() => {
    if (started) started.requests.length = 0;
  });
}

export async function startDocumentedServer(): Promise<DocumentedServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const key = `${req.method} ${url.pathname}`;
    const route = routes.get(key);
    const hit = (hits.get(key) ?? 0) + 1;
    hits.set(key, hit);
    req.resume();
    req.on('end', () => {
      const answer: Answer = route ? route(req, url, hit) : { status: 404, headers: { 'content-type': 'application/json' }, body: { message: '404 Not found' } };
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const headers = { ...(typeof answer.body === 'string' || answer.body === undefined ? {} : { 'content-type': 'application/json' }), ...answer.headers };
      res.writeHead(answer.status, headers).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    on(method, path, route) {
      routes.set(`${method} ${path}`, typeof route === 'function' ? route : () => route);
      hits.delete(`${method} ${path}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function gatewayFor(server: DocumentedServer, retries = 0): RestGateway {
  return new RestGateway({ url: server.url, token: 'glpat-documented-token', concurrency: 2, retry: { retries, baseMs: 1, maxMs: 20 }, slowDownBelow: 0.1, timeoutMs: 2_000 });
}

export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
