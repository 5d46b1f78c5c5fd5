import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseConfig } from '../src/config/load.js';
import type { EventReport } from '../src/engine/bot.js';
import type { BotEvent } from '../src/events/types.js';
import { RequestStats } from '../src/gitlab/stats.js';
import { silentLogger } from '../src/logger.js';
import { createWebhookServer } from '../src/server/app.js';
import { line } from './measure.js';

/**
 * Issue 11's memory target: 1,000 accepted deliveries waiting in the queue, each an issue
 * update whose description changed from one 1 MiB text to another (~3 MiB body: the new
 * description in `object_attributes` and both in `changes`), held while the bot is busy. Reports the heap and RSS
 * they add. Target: under 50 MiB for the 1,000 (whole bodies would be ~3 GiB).
 */
export async function benchIntakeMemory(count = 1000): Promise<string> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const config = parseConfig({ projects: { feedback: { path: 'a/b' } }, activeNow: { project: 'feedback' }, server: { queueLimit: count + 10, concurrency: 1 } });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const bot = {
    async handleEvent(event: BotEvent): Promise<EventReport> {
      await gate;
      return { status: 'ignored', event: event.key, reason: 'bench' };
    },
  };
  const webhook = createWebhookServer({ bot, secret: 's', log: silentLogger, stats: new RequestStats(), settings: config.server });
  const server = createServer(webhook.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const template = JSON.parse(readFileSync('tests/fixtures/webhooks/issue.update.json', 'utf8'));
  const body = (iid: number) => {
    const previous = `${iid}`.padEnd(1_048_576, 'p');
    const current = `${iid}`.padEnd(1_048_576, 'n');
    return JSON.stringify({
      ...template,
      object_attributes: { ...template.object_attributes, iid, description: current },
      changes: { ...template.changes, description: { previous, current } },
    });
  };
  const post = (iid: number) =>
    fetch(url, { method: 'POST', headers: { 'x-gitlab-token': 's', 'x-gitlab-event': 'Issue Hook', 'content-type': 'application/json' }, body: body(iid) });
  await post(0);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  let bytes = 0;
  for (let iid = 1; iid <= count; iid += 1) {
    const response = await post(iid);
    if (response.status !== 202) throw new Error(`delivery ${iid}: ${response.status}`);
    await response.arrayBuffer();
    bytes += body(1).length;
  }
  const seconds = (performance.now() - started) / 1000;
  gc();
  gc();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  const rss = process.memoryUsage().rss;
  const depth = webhook.queue.depth;
  open();
  await webhook.queue.drain();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  return line('intake memory (queued 3 MiB updates)', {
    queued: depth,
    body_mib: mib(bytes / count),
    sent_gib: (bytes / 1024 ** 3).toFixed(2),
    heap_growth_mib: mib(heapGrowth),
    per_event_kib: (heapGrowth / count / 1024).toFixed(1),
    rss_mib: mib(rss),
    rss_growth_mib: mib(rss - rssBefore),
    target_mib: '<50',
    met: heapGrowth < 50 * 1024 * 1024 ? 'yes' : 'NO',
    seconds: seconds.toFixed(1),
  });
}
