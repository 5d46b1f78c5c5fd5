import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { greetRule } from '../helpers/testRules.js';

// GitLab.com limits note creation per user (60/min) and answers 429 with no Retry-After and no
// RateLimit-* headers (lib/api/helpers/rate_limiter.rb, `check_rate_limit!`). Here the period
// is shortened to half a second.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const NOTES = 8;
const LIMIT = { limit: 3, windowMs: 500 };

async function sweepUnderNoteLimit(s: Stack) {
  const project = s.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
  const author = s.sandbox.store.findUserByUsername('dana')!;
  for (let i = 0; i < NOTES; i += 1) s.sandbox.store.createIssue(project.id, { title: `Issue ${i}`, authorId: author.id });
  const result = await JOBS.sweep(s.runtime, { out: sink });
  const greetings = [...Array(NOTES).keys()].map((i) =>
    s.sandbox.store.listNotes(s.sandbox.store.getIssue(project.id, i + 1)!).filter((n) => n.body.includes('support-bot:greet')),
  );
  // When each note was saved, the moment the limiter counted it.
  const perPeriod = new Map<number, number>();
  for (const n of greetings.flat()) perPeriod.set(Math.floor(n.createdAt.getTime() / LIMIT.windowMs), (perPeriod.get(Math.floor(n.createdAt.getTime() / LIMIT.windowMs)) ?? 0) + 1);
  const posts = s.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/notes'));
  return { result, greetings, perPeriod, posts, refused: posts.filter((r) => r.status === 429).length };
}

describe('run sweep under the per-endpoint note limit (429s that say nothing about how long)', () => {
  it('paces itself under the configured limit: every note once, none refused', async () => {
    stack = await startStack({ rules: [greetRule], hooks: false, sandbox: { endpointLimits: { notes_create: LIMIT } } });
    const { result, greetings, perPeriod, posts, refused } = await sweepUnderNoteLimit(stack);
    expect(result.summary).toMatch(/8 issues seen, 8 changed, 16 writes/);
    for (const notes of greetings) expect(notes).toHaveLength(1);
    expect(Math.max(...perPeriod.values())).toBeLessThanOrEqual(3);
    expect(refused).toBe(0);
    expect(posts).toHaveLength(NOTES);
  });

  it('when something else spends the same quota (the bot paces for a higher limit), backs off on the headerless 429s and still writes every note once', async () => {
    stack = await startStack({ rules: [greetRule], hooks: false, sandbox: { endpointLimits: { notes_create: LIMIT } } });
    // The bot believes the limit is 60 a period: GitLab's refusals are all it has to go by.
    stack.runtime.gateway.pacer.setLimit('notesCreate', { limit: 60, windowMs: LIMIT.windowMs });
    const { result, greetings, posts, refused } = await sweepUnderNoteLimit(stack);
    expect(result.summary).toMatch(/8 issues seen, 8 changed, 16 writes/);
    for (const notes of greetings) expect(notes).toHaveLength(1);
    expect(refused).toBeGreaterThan(0);
    // Every refused POST was tried again and none created a second note.
    expect(posts.length).toBe(NOTES + refused);
    expect(stack.runtime.gateway.pacer.refusals.notesCreate).toBe(refused);
  });
});
