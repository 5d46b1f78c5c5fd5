// The express application: request log, latency, authentication, rate limit,
// fault injection, the /api/v4 routes, and GitLab-shaped 404/400/500 bodies.

import { STATUS_CODES } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { currentUser, type SandboxContext } from './context.js';
import { ApiError, badRequest } from './errors.js';
import { parseQuery } from './params.js';
import type { FaultInjector } from './faults.js';
import { RATE_LIMIT_BODY, type RateLimiter } from './rateLimit.js';
import { activityRoutes } from './routes/activity.js';
import { graphqlNoteQuery } from './routes/graphql.js';
import { groupRoutes } from './routes/groups.js';
import { issueRoutes } from './routes/issues.js';
import { mergeRequestRoutes } from './routes/mergeRequests.js';
import { namespaceRoutes } from './routes/namespaces.js';
import { noteRoutes } from './routes/notes.js';
import { projectRoutes } from './routes/projects.js';
import { repositoryRoutes } from './routes/repository.js';
import { labelRoutes } from './routes/labels.js';
import { pipelineScheduleRoutes } from './routes/pipelineSchedules.js';
import { statusRoutes } from './routes/statuses.js';
import { userRoutes } from './routes/users.js';

export interface RequestLogEntry {
  method: string;
  /** Path without the query string, e.g. /api/v4/projects/3/issues */
  path: string;
  query: Record<string, unknown>;
  status: number;
  /** The token presented, if any. */
  token?: string;
  /** The authenticated user's username, if any. */
  user?: string;
  at: Date;
}

export interface ServerParts {
  ctx: SandboxContext;
  faults: FaultInjector;
  rateLimiter: () => RateLimiter | null;
  requests: RequestLogEntry[];
  log?: (msg: string) => void;
}

/** The REST API, and the one GraphQL query the bot sends (routes/graphql.ts). */
const API_PATHS = ['/api/v4', '/api/graphql'];

export function buildApp(parts: ServerParts): express.Express {
  const { ctx, faults, requests } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Rack-style: `x[]=` arrays (any length) and `not[labels]=` nesting.
  app.set('query parser', parseQuery);

  app.use(API_PATHS, (req, res, next) => {
    const entry: RequestLogEntry = { method: req.method, path: req.originalUrl.split('?')[0] ?? '', query: req.query as Record<string, unknown>, status: 0, at: new Date() };
    const token = tokenOf(req);
    if (token) entry.token = token;
    requests.push(entry);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      entry.status = typeof args[0] === 'number' ? args[0] : res.statusCode;
      return writeHead(...args);
    }) as typeof res.writeHead;
    res.once('close', () => {
      if (entry.status === 0) entry.status = res.headersSent ? res.statusCode : 0;
    });
    if (parts.log) res.once('finish', () => parts.log?.(`${req.method} ${req.originalUrl} ${res.statusCode}`));
    const latency = faults.latencyMs;
    if (latency > 0) setTimeout(next, latency);
    else next();
  });

  // Authentication: PRIVATE-TOKEN, Authorization: Bearer, or ?private_token=.
  app.use(API_PATHS, (req, res, next) => {
    const token = tokenOf(req);
    const user = token ? ctx.store.userForToken(token) : undefined;
    if (!user || user.state === 'blocked' || user.state === 'banned') {
      res.status(401).json({ message: '401 Unauthorized' });
      return;
    }
    res.locals['user'] = user;
    // GitLab counts authenticated API use as activity (last_activity_on).
    ctx.store.touchUser(user.id);
    const entry = requests[requests.length - 1];
    if (entry && entry.token === token) entry.user = user.username;
    next();
  });

  app.use(API_PATHS, (req, res, next) => {
    const limiter = parts.rateLimiter();
    if (!limiter) return next();
    const verdict = limiter.hit(`user:${currentUser(res).id}`);
    for (const [k, v] of Object.entries(verdict.headers)) res.setHeader(k, v);
    if (verdict.allowed) return next();
    res.status(429).type('text/plain').send(RATE_LIMIT_BODY);
  });

  const jsonBody = express.json({ limit: '10mb' });
  const formBody = express.urlencoded({ extended: true, limit: '10mb' });
  app.use(API_PATHS, (req, res, next) => {
    const fault = faults.take(req.method, req.path);
    if (!fault) return next();
    if (fault.applyAfterMs !== undefined) {
      // The body is read now, while the client is still connected; the answer goes nowhere,
      // and the webhooks held until the response closes go out (it closed long ago).
      res.send = (() => {
        res.socket?.destroy();
        setImmediate(() => res.emit('close'));
        return res;
      }) as typeof res.send;
      const later = () => setTimeout(next, fault.applyAfterMs);
      jsonBody(req, res, () => formBody(req, res, later));
      return;
    }
    if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
    const body = fault.status === 429 ? null : JSON.stringify({ message: `${fault.status} ${STATUS_CODES[fault.status] ?? 'Error'}` });
    const answer = (send: (b: unknown) => Response): Response => {
      if (fault.dropConnection) {
        res.socket?.destroy();
        return res;
      }
      res.status(fault.status);
      if (body === null) return res.type('text/plain') && send(RATE_LIMIT_BODY);
      // A 500 is the API's own error (Grape's `{"message":"500 Internal Server Error"}`); a
      // 502, 503 or 504 comes from in front of Rails, as the HTML page GitLab serves for it.
      if (fault.status >= 502 && fault.status <= 504) return res.type('text/html') && send(unavailablePage(fault.status));
      res.type('application/json');
      return send(body);
    };
    if (!fault.afterApply) {
      answer(res.send.bind(res));
      return;
    }
    const send = res.send.bind(res);
    res.send = ((_b: unknown) => answer(send)) as typeof res.send;
    next();
  });

  app.use(API_PATHS, jsonBody);
  app.use('/api/v4', formBody);
  app.use('/api/v4', multipartForm);

  const api = express.Router();
  projectRoutes(api, ctx);
  issueRoutes(api, ctx);
  mergeRequestRoutes(api, ctx);
  noteRoutes(api, ctx);
  activityRoutes(api, ctx);
  statusRoutes(api, ctx);
  pipelineScheduleRoutes(api, ctx);
  repositoryRoutes(api, ctx);
  labelRoutes(api, ctx);
  userRoutes(api, ctx);
  groupRoutes(api, ctx);
  namespaceRoutes(api, ctx);
  app.use('/api/v4', api);
  app.post('/api/graphql', graphqlNoteQuery(ctx));

  app.use((_req, res) => {
    res.status(404).json({ error: '404 Not Found' });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers)) {
        if (value === null) res.removeHeader(name);
        else res.setHeader(name, value);
      }
      res.status(err.status).json(err.body);
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status === 400 || (err as { type?: string }).type === 'entity.parse.failed') {
      const e = badRequest('Invalid request body');
      res.status(400).json(e.body);
      return;
    }
    parts.log?.(`sandbox: internal error: ${err instanceof Error ? err.stack : String(err)}`);
    res.status(500).json({ message: '500 Internal Server Error' });
  });

  return app;
}

/**
 * What a client reads when Rails does not answer: the proxy serves GitLab's static error page
 * (`public/502.html`, `503.html`: "GitLab is not responding"), HTML, not the API's JSON.
 */
function unavailablePage(status: number): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '  <meta content="width=device-width, initial-scale=1, maximum-scale=1" name="viewport">',
    `  <title>GitLab is not responding (${status})</title>`,
    '</head>',
    '<body>',
    `  <h1>${status}</h1>`,
    '  <div class="container"><h3>Whoops, GitLab is taking too much time to respond.</h3><hr><p>Try refreshing the page, or going back and attempting the action again.</p></div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function tokenOf(req: Request): string | undefined {
  const privateToken = req.header('private-token');
  if (privateToken) return privateToken;
  const auth = req.header('authorization');
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const q = req.query['private_token'] ?? req.query['access_token'];
  return typeof q === 'string' ? q : undefined;
}

/**
 * gitbeaker's `Users.edit` sends multipart/form-data; parse simple fields with
 * the platform's FormData parser (no file uploads are needed here).
 */
async function multipartForm(req: Request, _res: Response, next: NextFunction): Promise<void> {
  const type = req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return next();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const form = await new globalThis.Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  const body: Record<string, string> = {};
  form.forEach((value, key) => {
    if (typeof value === 'string') body[key] = value;
  });
  req.body = body;
  next();
}
