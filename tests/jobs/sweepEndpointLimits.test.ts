import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { greetRule } from '../helpers/testRules.js';

// GitLab.com limits note creation per user (60/min) and answers 429 with Retry-After and no
// RateLimit-* headers (lib/api/helpers/rate_limiter.rb). Here the period is shortened to 1 s.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

describe('run sweep under the per-endpoint note limit', () => {
  it('posts more notes than one period allows: all of them, once each, spread over the periods', async () => {
    stack = await startStack({ rules: [greetRule], hooks: false, sandbox: { endpointLimits: { notes_create: { limit: 3, windowMs: 1_000 } } } });
    const project = stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    const author = stack.sandbox.store.findUserByUsername('dana')!;
    for (let i = 0; i < 12; i += 1) stack.sandbox.store.createIssue(project.id, { title: `Issue ${i}`, authorId: author.id });

    const result = await JOBS.sweep(stack.runtime, { out: sink });
    expect(result.summary).toMatch(/12 issues seen, 12 changed, 24 writes/);
    for (let iid = 1; iid <= 12; iid += 1) {
      const notes = stack.sandbox.store.listNotes(stack.sandbox.store.getIssue(project.id, iid)!).filter((n) => n.body.includes('support-bot:greet'));
      expect(notes).toHaveLength(1);
    }
    const posts = stack.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/notes'));
    // When each note was saved, the moment the limiter counted it (a request's log time is
    // when it arrived, which can fall in the period before).
    const created = [...Array(12).keys()]
      .flatMap((i) => stack!.sandbox.store.listNotes(stack!.sandbox.store.getIssue(project.id, i + 1)!))
      .filter((n) => n.body.includes('support-bot:greet'))
      .map((n) => Math.floor(n.createdAt.getTime() / 1_000));
    // No more than the limit in any one period.
    const perPeriod = new Map<number, number>();
    for (const period of created) perPeriod.set(period, (perPeriod.get(period) ?? 0) + 1);
    expect(Math.max(...perPeriod.values())).toBeLessThanOrEqual(3);
    expect(perPeriod.size).toBeGreaterThanOrEqual(4);
    // Every refused POST (429) was tried again; none created a second note.
    expect(posts.length).toBe(12 + posts.filter((r) => r.status === 429).length);
  });
});
