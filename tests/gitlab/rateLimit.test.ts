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

const headers = (h: Record<string, number>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [`ratelimit-${k}`, String(v)]));

// Header values as lib/gitlab/rack_attack/request_throttle_data.rb computes them: Limit is
// normalised to a minute, Observed/Remaining count the real period, Reset ends the period.
describe('RateLimitTracker', () => {
  it('counts requests still in flight as spent: with a small quota they are most of it', async () => {
    const { t, sleeps } = tracker(1_000_000);
    // Three requests sent, none answered yet.
    for (let i = 0; i < 3; i++) await t.beforeRequest();
    // 20 per second, 3 left: above the 10% line on its own, but the 3 in flight will take them.
    t.observe(headers({ limit: 1200, observed: 17, remaining: 3, reset: 1_001 }));
    await t.beforeRequest();
    expect(sleeps).toEqual([1_000]);
    // Once they are answered, the same headers leave room again.
    for (let i = 0; i < 4; i++) t.answered();
    sleeps.length = 0;
    t.observe(headers({ limit: 1200, observed: 17, remaining: 3, reset: 1_002 }));
    await t.beforeRequest();
    expect(sleeps).toEqual([]);
  });

  it('does not wait while the quota is healthy', async () => {
    const { t, sleeps } = tracker();
    t.observe(headers({ limit: 600, observed: 100, remaining: 500, reset: 1001 }));
    await t.beforeRequest();
    await t.beforeRequest();
    expect(sleeps).toEqual([]);
  });

  it('reads a 3600 s period by Observed + Remaining, not by the per-minute Limit, and spreads what is left until the reset', async () => {
    const { t, sleeps } = tracker(1_000_000);
    // 3600 requests per hour: Limit says 60 (per minute); 300 of 3600 are left (8 %), the hour ends in 1800 s.
    t.observe(headers({ limit: 60, observed: 3300, remaining: 300, reset: 1_000 + 1_800 }));
    for (let i = 0; i < 3; i++) await t.beforeRequest();
    expect(sleeps).toEqual([6_000, 6_000]);
  });

  it('does not slow down a short period whose normalised Limit is large', async () => {
    const { t, sleeps } = tracker(1_000_000);
    // 10 requests per second: Limit says 600; 5 of 10 are left.
    t.observe(headers({ limit: 600, observed: 5, remaining: 5, reset: 1_001 }));
    await t.beforeRequest();
    expect(sleeps).toEqual([]);
  });

  it('waits for the reset when nothing is left, capped by the longest wait', async () => {
    const { t, sleeps } = tracker(1_000_000);
    t.observe(headers({ limit: 600, observed: 600, remaining: 0, reset: 1_005 }));
    await t.beforeRequest();
    t.observe(headers({ limit: 60, observed: 3600, remaining: 0, reset: 1_005 + 3_600 }));
    await t.beforeRequest();
    expect(sleeps).toEqual([5_000, 60_000]);
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
