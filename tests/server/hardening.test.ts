import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, STACK_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { DeliveryDedupe } from '../../src/server/dedupe.js';
import { dedupeKey } from '../../src/server/fields.js';
import { seedIssueWithDelivery } from '../helpers/fixtures.js';
import { greetRule } from '../helpers/testRules.js';

// Issue 12 #1 (strangers cannot grow the server's memory through metrics, logs or the
// dedupe store) and #13 (/healthz reports GitLab refusing the token).

const lines: string[] = [];
let stack: Stack;
let projectId: number;

beforeAll(async () => {
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  stack = await startStack({ rules: [greetRule], log });
  projectId = stack.sandbox.store.resolveProject('gitlab-com/support/internal-requests')!.id;
});
afterAll(() => stack.close());

const base = () => stack.webhookUrl.replace('/webhook', '');
const metricsText = async () => (await fetch(`${base()}/metrics`)).text();

function post(body: string, headers: Record<string, string>) {
  return fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

const issuePayload = (title: string) => seedIssueWithDelivery(stack.sandbox.store, projectId, title).payload;

describe('forged deliveries cannot grow metrics or logs', () => {
  it('500 forged POSTs with unique 8 KB event names: one "other" series, at most 10 short log lines', async () => {
    const logsBefore = lines.length;
    const metricsBefore = (await metricsText()).length;
    const body = JSON.stringify({ object_kind: 'issue' });
    for (let batch = 0; batch < 5; batch += 1) {
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          post(body, {
            'x-gitlab-token': 'forged',
            'x-gitlab-event': `Evil ${batch}-${i} ${'x'.repeat(8 * 1024)}`,
            'x-gitlab-event-uuid': `not-a-uuid-${'y'.repeat(1000)}`,
            'idempotency-key': 'k'.repeat(4000),
          }),
        ),
      );
      expect(responses.every((r) => r.status === 401)).toBe(true);
    }
    const metrics = await metricsText();
    expect(metrics).toMatch(/support_bot_webhook_events_total\{event="other",result="unauthorized"\} 500/);
    expect(metrics).not.toContain('Evil');
    expect(metrics.length - metricsBefore).toBeLessThan(500);
    const logged = lines.slice(logsBefore);
    expect(logged.length).toBeLessThanOrEqual(10);
    for (const line of logged) {
      expect(line.length).toBeLessThan(600);
      expect(line).not.toContain('Evil');
      expect(line).not.toContain('yyyy');
      expect(line).not.toContain('kkkk');
    }
  });

  it('an authentic delivery of an unknown event counts as "other", one without the header (which GitLab always sends: 400) as "none"', async () => {
    const authentic = { 'x-gitlab-token': STACK_WEBHOOK_SECRET };
    expect((await post('{"object_kind":"thing"}', { ...authentic, 'x-gitlab-event': `Brand New Hook ${'z'.repeat(100)}` })).status).toBe(202);
    expect((await post('{"object_kind":"thing"}', authentic)).status).toBe(400);
    const metrics = await metricsText();
    expect(metrics).toMatch(/event="other",result="ignored"/);
    expect(metrics).toMatch(/event="none",result="malformed"/);
    expect(metrics).not.toContain('Brand New Hook');
  });

  it('an overlong Idempotency-Key is stored as a bounded hash and still deduplicates resends', async () => {
    const payload = issuePayload('long key');
    const key = 'k'.repeat(10_000);
    const headers = { 'x-gitlab-token': STACK_WEBHOOK_SECRET, 'x-gitlab-event': 'Issue Hook', 'idempotency-key': key };
    const first = await post(JSON.stringify(payload), headers);
    expect(await first.json()).toMatchObject({ status: 'accepted' });
    expect(await (await post(JSON.stringify(payload), headers)).json()).toEqual({ status: 'duplicate' });
    await stack.settle();
    expect(dedupeKey(key).length).toBeLessThanOrEqual(64);
    expect(lines.join('\n')).not.toContain('kkkkkkkk');
  });

  it('the dedupe store keeps at most maxEntries keys', () => {
    const dedupe = new DeliveryDedupe(60_000, 1_000);
    for (let i = 0; i < 5_000; i += 1) dedupe.claim(dedupeKey(`${i}-${'x'.repeat(500)}`));
    expect(dedupe.size).toBe(1_000);
  });
});

describe('/healthz follows GitLab', () => {
  it('reports degraded with the status once GitLab refused the last calls, and ok again after an accepted one', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toMatchObject({ status: 'ok' });
    // The token is revoked: every request is answered 401.
    const userId = stack.sandbox.store.tokens.get(SANDBOX_TOKENS.bot)!;
    stack.sandbox.store.tokens.delete(SANDBOX_TOKENS.bot);
    const headers = { 'x-gitlab-token': STACK_WEBHOOK_SECRET, 'x-gitlab-event': 'Issue Hook' };
    for (let i = 0; i < 5; i += 1) await post(JSON.stringify(issuePayload(`revoked ${i}`)), headers);
    await stack.webhook.queue.drain();
    const degraded = await fetch(`${base()}/healthz`);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({ status: 'degraded', gitlab: { status: 401, refusedInARow: expect.any(Number) } });

    stack.sandbox.store.tokens.set(SANDBOX_TOKENS.bot, userId);
    await post(JSON.stringify(issuePayload('token restored')), headers);
    await stack.settle();
    const ok = await fetch(`${base()}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok' });
  });

  // Issue 21, case 11: a `read_api` token reads everything and every write gets GitLab's
  // 403 `insufficient_scope` (lib/gitlab/auth/auth_finders.rb, `validate_scopes!`): the
  // accepted reads between the refused writes must not keep /healthz at ok.
  it('reports degraded when every write is refused while the reads succeed (a read_api token)', async () => {
    const headers = { 'x-gitlab-token': STACK_WEBHOOK_SECRET, 'x-gitlab-event': 'Issue Hook' };
    await post(JSON.stringify(issuePayload('before the scope change')), headers);
    await stack.settle();
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    stack.sandbox.faults.failNext(1000, 403, { methods: ['POST', 'PUT', 'DELETE'] });
    try {
      for (let i = 0; i < 5; i += 1) await post(JSON.stringify(issuePayload(`read only ${i}`)), headers);
      await stack.webhook.queue.drain();
      const degraded = await fetch(`${base()}/healthz`);
      expect(degraded.status).toBe(503);
      expect(await degraded.json()).toMatchObject({
        status: 'degraded',
        gitlab: { status: 403, refused: 'writes', reason: expect.stringMatching(/refused the last \d+ writes \(403\)/) },
      });
    } finally {
      stack.sandbox.faults.clear();
    }
    await post(JSON.stringify(issuePayload('writes accepted again')), headers);
    await stack.settle();
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });
});
