import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { EventReport } from '../../src/engine/bot.js';
import type { BotEvent } from '../../src/events/types.js';
import { RequestStats } from '../../src/gitlab/stats.js';
import { silentLogger } from '../../src/logger.js';
import { createWebhookServer, type WebhookServer } from '../../src/server/app.js';
import { webhookFixture } from '../helpers/fixtures.js';

// Issue 11, the webhook contract: GitLab sends up to 25 MB, an issue description can be
// 1,048,576 characters twice in an update; the queue keeps only what the bot needs, so
// queued large deliveries cost kilobytes, not megabytes. (bench/intake-memory.ts runs 1,000.)

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const DESCRIPTION_CHARS = 1_048_576;
const QUEUED = 30;

let server: Server;
let webhook: WebhookServer;
let url: string;
let open!: () => void;
const gate = new Promise<void>((resolve) => (open = resolve));
const handled: BotEvent[] = [];

beforeAll(async () => {
  const config = parseConfig({ projects: { feedback: { path: 'a/b' } }, activeNow: { project: 'feedback' }, server: { queueLimit: 5000, concurrency: 1 } });
  const bot = {
    async handleEvent(event: BotEvent): Promise<EventReport> {
      await gate;
      handled.push(event);
      return { status: 'ignored', event: event.key, reason: 'test' };
    },
  };
  webhook = createWebhookServer({ bot, secret: 's', log: silentLogger, stats: new RequestStats(), settings: config.server });
  server = createServer(webhook.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** An Issue Hook update whose description changed from one 1 MiB text to another (~3 MiB body: object_attributes and changes). */
function largeUpdate(iid: number): string {
  const body = webhookFixture('issue.update');
  body.object_attributes.iid = iid;
  body.object_attributes.description = `${iid}`.padEnd(DESCRIPTION_CHARS, 'n');
  body.changes = { ...body.changes, description: { previous: `${iid}`.padEnd(DESCRIPTION_CHARS, 'p'), current: body.object_attributes.description } };
  return JSON.stringify(body);
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('queued deliveries keep only what the bot needs', () => {
  it(`${QUEUED} queued 3 MiB issue updates add under 4 MiB of heap (whole bodies would be ${QUEUED * 3} MiB)`, async () => {
    const post = (iid: number) =>
      fetch(url, { method: 'POST', headers: { 'x-gitlab-token': 's', 'x-gitlab-event': 'Issue Hook', 'content-type': 'application/json' }, body: largeUpdate(iid) });
    // Warm up (the HTTP client's pool, compiled code) before measuring.
    for (let iid = 1; iid <= 3; iid += 1) expect((await post(iid)).status).toBe(202);
    const before = heapAfterGc();
    for (let iid = 4; iid <= QUEUED + 3; iid += 1) {
      const response = await post(iid);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: 'accepted' });
    }
    expect(webhook.queue.depth).toBe(QUEUED + 3);
    const growth = heapAfterGc() - before;
    console.log(`heap growth for ${QUEUED} queued deliveries: ${(growth / 1024).toFixed(0)} KiB`);
    expect(growth).toBeLessThan(4 * 1024 * 1024);

    open();
    await webhook.queue.drain();
    expect(handled).toHaveLength(QUEUED + 3);
    const first = handled[0]!;
    expect(first).toMatchObject({ key: 'issue.update', iid: 1, changed: expect.arrayContaining(['description']) });
    expect(first.kind === 'issue' && first.payload.object_attributes.description).toBeFalsy();
  }, 90_000);
});
