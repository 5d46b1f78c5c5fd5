import { describe, expect, it } from 'vitest';
import { classify, EndpointPacer, GITLAB_COM_ENDPOINT_LIMITS, perMinute } from '../../src/gitlab/endpointPacing.js';

// GitLab's per-endpoint limits (lib/gitlab/application_rate_limiter.rb) answer 429 with no
// header saying how long (lib/api/helpers/rate_limiter.rb): the bot keeps under them itself.

function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('classify: which requests count against which limit', () => {
  it.each([
    ['POST', 'projects/3/issues/1/notes', 'notesCreate'],
    ['POST', 'projects/gitlab-com%2Fsupport%2Ffeedback/issues/12/notes', 'notesCreate'],
    ['POST', 'projects/3/merge_requests/7/notes', 'notesCreate'],
    ['POST', 'projects/3/issues', 'issuesCreate'],
    ['GET', 'projects/3', 'projectGet'],
    ['GET', 'projects/gitlab-com%2Fsupport%2Ffeedback', 'projectGet'],
    ['GET', 'users/42/projects', 'userProjects'],
    ['GET', 'users/42/contributed_projects', 'userContributedProjects'],
    ['GET', 'projects/3/issues/1/notes', undefined],
    ['PUT', 'projects/3/issues/1/notes/5', undefined],
    ['PUT', 'projects/3/issues/1', undefined],
    ['GET', 'projects/3/issues', undefined],
    ['GET', 'projects', undefined],
    ['DELETE', 'projects/3/issues/1/notes/5', undefined],
  ])('%s %s → %s', (method, path, expected) => {
    expect(classify(method, path)?.endpointClass).toBe(expected);
  });

  it('issue creation counts per project (app/services/issues/create_service.rb), the others per user only', () => {
    expect(classify('POST', 'projects/3/issues')!.key).not.toBe(classify('POST', 'projects/4/issues')!.key);
    expect(classify('POST', 'projects/3/issues/1/notes')!.key).toBe(classify('POST', 'projects/4/issues/2/notes')!.key);
  });
});

describe('EndpointPacer', () => {
  it("200 note POSTs under GitLab.com's 60 a minute: never more than 60 in any epoch-aligned minute, no longer than the limit makes it", async () => {
    const clock = fakeClock(1_700_000_030_000);
    const pacer = new EndpointPacer({ limits: perMinute(GITLAB_COM_ENDPOINT_LIMITS), ...clock });
    const sent: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      await pacer.beforeRequest('POST', `projects/3/issues/${i + 1}/notes`);
      sent.push(clock.now());
    }
    const perMinuteWindow = new Map<number, number>();
    for (const at of sent) perMinuteWindow.set(Math.floor(at / 60_000), (perMinuteWindow.get(Math.floor(at / 60_000)) ?? 0) + 1);
    expect(Math.max(...perMinuteWindow.values())).toBeLessThanOrEqual(60);
    // Any 60 s span, not only the aligned ones: GitLab's window may start anywhere for the bot.
    for (let i = 60; i < sent.length; i += 1) expect(sent[i]! - sent[i - 60]!).toBeGreaterThan(60_000);
    // A first burst of 60 goes at once; the rest follow as the minute frees room: 3 minutes and a bit.
    expect(sent[59]).toBe(sent[0]);
    expect(sent[199]! - sent[0]!).toBeLessThan(3 * 60_000 + 2_000);
  });

  it('concurrent requests reserve distinct slots', async () => {
    // Time stands still while they all wait: each sleep is what that request was told to wait.
    const waits: number[] = [];
    const pacer = new EndpointPacer({
      limits: { ...perMinute(GITLAB_COM_ENDPOINT_LIMITS), notesCreate: { limit: 2, windowMs: 60_000 } },
      now: () => 0,
      sleep: async (ms) => void waits.push(ms),
    });
    await Promise.all([0, 1, 2, 3, 4].map(() => pacer.beforeRequest('POST', 'projects/3/issues/1/notes')));
    // Two at once, the next two a minute later (plus the travel margin), the fifth a minute after them.
    expect(waits).toEqual([60_500, 60_500, 121_000]);
  });

  it('issue creation in two projects is paced separately; unlimited classes and other endpoints never wait', async () => {
    const clock = fakeClock();
    const pacer = new EndpointPacer({
      limits: { ...perMinute(GITLAB_COM_ENDPOINT_LIMITS), issuesCreate: { limit: 1, windowMs: 60_000 }, projectGet: { limit: 0, windowMs: 60_000 } },
      ...clock,
    });
    await pacer.beforeRequest('POST', 'projects/3/issues');
    await pacer.beforeRequest('POST', 'projects/4/issues');
    for (let i = 0; i < 1_000; i += 1) await pacer.beforeRequest('GET', 'projects/3');
    for (let i = 0; i < 1_000; i += 1) await pacer.beforeRequest('PUT', 'projects/3/issues/1');
    expect(pacer.waitedMs).toBe(0);
    await pacer.beforeRequest('POST', 'projects/3/issues');
    expect(pacer.waitedMs).toBeGreaterThanOrEqual(60_000);
  });

  it('a 429 without a header holds its class exponentially (1/16 of the window, doubling, up to the window); a success starts over', async () => {
    const clock = fakeClock();
    const pacer = new EndpointPacer({ limits: perMinute(GITLAB_COM_ENDPOINT_LIMITS), ...clock });
    const holds: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      pacer.refused('POST', 'projects/3/issues/1/notes');
      const before = clock.now();
      await pacer.beforeRequest('POST', 'projects/3/issues/1/notes');
      holds.push(clock.now() - before);
    }
    expect(holds).toEqual([3_750, 7_500, 15_000, 30_000, 60_000, 60_000]);
    // Five refusals in a row span more than GitLab's one-minute window.
    expect(holds.slice(0, 5).reduce((a, b) => a + b)).toBeGreaterThan(60_000);
    // Other classes are not held.
    const before = clock.now();
    await pacer.beforeRequest('POST', 'projects/3/issues');
    expect(clock.now()).toBe(before);
    pacer.accepted('POST', 'projects/3/issues/1/notes');
    pacer.refused('POST', 'projects/3/issues/1/notes');
    const again = clock.now();
    await pacer.beforeRequest('POST', 'projects/3/issues/1/notes');
    expect(clock.now() - again).toBe(3_750);
    expect(pacer.refusals.notesCreate).toBe(7);
  });
});
