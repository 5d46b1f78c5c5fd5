import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, STACK_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { webhookFixture } from '../helpers/fixtures.js';
import { sandboxWrites } from '../helpers/replay.js';

// Property-based fuzzing of POST /webhook (issue 12, guard rails): random and mutated bodies
// and header sets. Whatever arrives, the server answers 2xx or 4xx (never 5xx, never a
// dropped connection), stays up, and an unreadable delivery writes nothing to GitLab.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const EVENTS = ['Issue Hook', 'Confidential Issue Hook', 'Note Hook', 'Confidential Note Hook', 'Merge Request Hook', 'Push Hook', 'Pipeline Hook', ''];
const FIXTURES = ['issue.open', 'issue.update', 'note.issue', 'merge_request.open'] as const;

/** A real-shaped delivery with one field replaced, removed or given another type, for a project the bot does not watch. */
const mutatedFixture = fc
  .tuple(fc.constantFrom(...FIXTURES), fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }), fc.boolean())
  .map(([name, edits, dropAttributes]) => {
    const body = webhookFixture(name) as Record<string, unknown>;
    body.project = { ...(body.project as object), id: 999_999, path_with_namespace: 'elsewhere/unwatched' };
    const attributes = { ...(body.object_attributes as Record<string, unknown>) };
    for (const [key, value] of edits) attributes[key || 'iid'] = value;
    if (dropAttributes) delete body.object_attributes;
    else body.object_attributes = attributes;
    return JSON.stringify(body);
  });

const bodies = fc.oneof(
  mutatedFixture,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const headerSets = fc.record(
  {
    event: fc.oneof(fc.constantFrom(...EVENTS), fc.string({ maxLength: 40 })),
    token: fc.oneof(fc.constant(STACK_WEBHOOK_SECRET), fc.string({ maxLength: 40 })),
    idempotencyKey: fc.string({ maxLength: 80 }),
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
  },
  { requiredKeys: [] },
);

/** Header values fetch can send (no CR/LF or non-Latin-1 characters). */
const sendable = (value: string) => value.replace(/[^\x20-\x7e]/g, '');

describe('POST /webhook under fuzzing', () => {
  it('answers 2000 random and mutated deliveries with 2xx or 4xx, stays up and writes nothing for them', async () => {
    const before = sandboxWrites(stack);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodies, headerSets, async (body, headers) => {
        const sent: Record<string, string> = {};
        if (headers.event !== undefined) sent['x-gitlab-event'] = sendable(headers.event);
        if (headers.token !== undefined) sent['x-gitlab-token'] = sendable(headers.token);
        if (headers.idempotencyKey !== undefined) sent['idempotency-key'] = sendable(headers.idempotencyKey);
        if (headers.contentType) sent['content-type'] = headers.contentType;
        const response = await fetch(stack.webhookUrl, { method: 'POST', headers: sent, body });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        return response.status >= 200 && response.status < 500;
      }),
      { numRuns: 2000, seed: 20261130 },
    );
    await stack.settle();
    expect(sandboxWrites(stack)).toBe(before);
    const health = await fetch(stack.webhookUrl.replace(/\/webhook$/, '/healthz'));
    expect(health.status).toBe(200);
    // Both sides of the token check were exercised.
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  }, 180_000);
});
