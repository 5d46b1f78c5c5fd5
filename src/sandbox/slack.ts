import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for Slack's incoming webhooks (and Workflow Builder webhooks), answering as
// Slack documents them ("Sending messages using incoming webhooks", Handling errors):
// 200 with the text body `ok`; errors as a text body naming the code with its status:
// 400 `invalid_payload` (a body that is not JSON) and `no_text` (neither text nor blocks),
// 403 `action_prohibited`, 404 `channel_not_found` and `no_service` (an unknown or revoked
// webhook), 410 `channel_is_archived`, 429 with `Retry-After` (about one message per second
// per webhook, "Rate limits"), 500 `rollup_error`. Faults are queued per webhook.

export interface SlackMessage {
  /** The webhook's name: the last segment of its path. */
  hook: string;
  payload: Record<string, unknown>;
  at: Date;
}

/** The next answers of one webhook, in place of its normal one. */
export type SlackFault =
  | { status: 400 | 403 | 404 | 410 | 500 | 503; error: string }
  | { status: 429; retryAfterSeconds: number }
  /** Posts the message, then answers nothing for this long (a client timing out sees no answer). */
  | { hangMs: number; posts: boolean };

/** Slack's documented codes, each with its status. */
export const SLACK_ERRORS = {
  invalid_payload: 400,
  no_text: 400,
  action_prohibited: 403,
  channel_not_found: 404,
  no_service: 404,
  channel_is_archived: 410,
  rollup_error: 500,
} as const;

export class SlackStandIn {
  readonly messages: SlackMessage[] = [];
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly revoked = new Set<string>();
  private server?: Server;
  private base = '';

  /** Starts listening on an ephemeral port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A webhook URL of the shape Slack hands out; `workflow` gives a Workflow Builder trigger URL. */
  url(hook: string, kind: 'message' | 'workflow' = 'message'): string {
    return kind === 'workflow' ? `${this.base}/triggers/T0SANDBOX/0000/${hook}` : `${this.base}/services/T0SANDBOX/B0SANDBOX/${hook}`;
  }

  /** Messages posted through one webhook. */
  to(hook: string): SlackMessage[] {
    return this.messages.filter((m) => m.hook === hook);
  }

  /** The next answers of `hook`, one per request. */
  fail(hook: string, ...faults: SlackFault[]): void {
    this.faults.set(hook, [...(this.faults.get(hook) ?? []), ...faults]);
  }

  /** A removed webhook: `no_service` from now on. */
  revoke(hook: string): void {
    this.revoked.add(hook);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/(services\/[^/]+\/[^/]+|triggers\/[^/]+\/[^/]+)\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return text(res, 404, 'no_service');
    const hook = match[2]!;
    if (this.revoked.has(hook)) return text(res, 404, 'no_service');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return text(res, 400, 'invalid_payload');
    }
    const fault = this.faults.get(hook)?.shift();
    if (fault && 'hangMs' in fault) {
      if (fault.posts) this.messages.push({ hook, payload, at: new Date() });
      setTimeout(() => text(res, 200, 'ok'), fault.hangMs);
      return;
    }
    if (fault?.status === 429) {
      res.setHeader('Retry-After', String(fault.retryAfterSeconds));
      return text(res, 429, 'rate_limited');
    }
    if (fault) return text(res, fault.status, fault.error);
    const workflow = match[1]!.startsWith('triggers/');
    if (!workflow && payload.text === undefined && payload.blocks === undefined) return text(res, 400, 'no_text');
    this.messages.push({ hook, payload, at: new Date() });
    text(res, 200, 'ok');
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}

/** A started stand-in. */
export function startSlackStandIn(): Promise<SlackStandIn> {
  return new SlackStandIn().start();
}
