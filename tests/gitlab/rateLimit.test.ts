import { describe, expect, it } from 'vitest';
import { RateLimitTracker } from '../../src/gitlab/rateLimit.js';

function tracker(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  const t = new RateLimitTracker({
    slowDownBelow: 0.1,
    maxWaitMs: 60_000,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  });
  return { t, sleeps, advance: (ms: number) => (now += ms) };
}

describe('RateLimitTracker', () => {
  it('does not wait while the quota is healthy', async () => {
    const { t, sleeps } = tracker();
    t.observe(new Headers({ 'ratelimit-limit': '600', 'ratelimit-remaining': '500', 'ratelimit-reset': '1001' }));
    await t.beforeRequest();
    expect(sleeps).toEqual([]);
  });

  it('waits for the reset when the remaining quota is low', async () => {
    const { t, sleeps } = tracker(1_000_000);
    t.observe(new Headers({ 'ratelimit-limit': '600', 'ratelimit-remaining': '10', 'ratelimit-reset': '1005' }));
    await t.beforeRequest();
    expect(sleeps).toEqual([5_000]);
  });

  it('honours Retry-After after a 429, capped by the longest wait', async () => {
    const { t, sleeps } = tracker();
    t.observeRetryAfter(3);
    await t.beforeRequest();
    t.observeRetryAfter(3600);
    await t.beforeRequest();
    expect(sleeps).toEqual([3_000, 60_000]);
  });
});
