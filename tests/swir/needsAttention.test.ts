import { describe, expect, it } from 'vitest';
import { runSwir } from '../../src/jobs/swir.js';
import { swirMessageData } from '../../src/swir/render.js';
import { SWIR_SAMPLES } from '../../src/swir/samples.js';
import type { IssueRec } from '../../src/sandbox/types.js';
import { shapeDifferences } from './shape.js';
import { CONTACT, FEEDBACK, HANDBOOK, META, REQUESTS, sink, SQUAT, world, type World } from './world.js';

// The review a manager acts on (issue 18), over the sandbox with the clock moved: the
// Friday run publishes ISO week 2026-W13 (Monday 23 to Sunday 29 March, UTC) so far, the
// Monday run after it finalises the same issue with Friday afternoon and the weekend.

const FRIDAY_NOON = new Date('2026-03-27T12:00:00Z');
const MONDAY_NOON = new Date('2026-03-30T12:00:00Z');

/** A mention as GitLab's reference filter reads one: `@` starting a word, then a username character. */
const MENTION = /(?<![\p{L}\p{N}_./+-])@[\p{L}\p{N}_]/u;

const writes = (w: World) => w.s.sandbox.requests.filter((r) => r.method !== 'GET').length;
const reviews = (w: World) => w.s.sandbox.store.issues.filter((i) => i.projectId === w.project(META) && /^Support Week in Review 2026-W1[34]$/.test(i.title));
/** The description as GitLab shows it: the bot's hidden marker is an HTML comment. */
const shown = (issue: IssueRec) => issue.description.replace(/^<!--[^>]*-->\n/, '');

function buildWeek(w: World) {
  const { issue, edit, note, s } = w;
  const { store } = s.sandbox;
  // internal-requests is private, as GitLab Support's is: its items are links only in the public review.
  store.resolveProject(REQUESTS)!.visibility = 'private';
  // Contact Requests have 12 business hours (UTC 9-17), at risk after 80%.
  const breached = issue(REQUESTS, { title: 'Contact the owner of acme-corp', labels: [CONTACT], createdAt: '2026-03-23T09:00:00Z' }); // due Tue 13:00
  const atRisk = issue(REQUESTS, { title: 'Contact the owner of globex', labels: [CONTACT], createdAt: '2026-03-26T10:00:00Z' }); // 10 h by Friday noon, due Fri 14:00
  const answered = issue(REQUESTS, { title: 'Contact the owner of initech', labels: [CONTACT], createdAt: '2026-03-23T10:00:00Z' });
  note(answered, 'bruno', '2026-03-23T11:00:00Z');
  const onTrack = issue(REQUESTS, { title: 'Contact the owner of umbrella', labels: [CONTACT], createdAt: '2026-03-27T11:00:00Z' }); // 6 h by Sunday night
  const eligible = issue(REQUESTS, { title: 'Name squatting: hooli', labels: [SQUAT], createdAt: '2026-03-16T10:00:00Z' });
  note(eligible, 'chen', '2026-03-16T11:00:00Z');
  edit(eligible, '2026-03-24T10:00:00Z', { addLabels: ['dormant::eligible'] }, 'support-bot');
  const needsAdmin = issue(REQUESTS, { title: 'Name squatting: pied-piper', labels: [SQUAT], createdAt: '2026-03-16T10:00:00Z' });
  note(needsAdmin, 'chen', '2026-03-16T11:00:00Z');
  edit(needsAdmin, '2026-03-25T10:00:00Z', { addLabels: ['dormant::needs-admin'] }, 'support-bot');
  // The board: a confidential issue (never its title), and a public one.
  const secret = issue(META, { title: 'Secret escalation for @maria-manager', author: 'dana', confidential: true, createdAt: '2026-03-10T10:00:00Z' });
  edit(secret, '2026-03-25T09:00:00Z', { addLabels: ['Active Now::Focus'] }, 'maria-manager');
  const rota = issue(META, { title: 'Rotate the triage DRI weekly', author: 'dana', createdAt: '2026-03-10T10:00:00Z' });
  edit(rota, '2026-03-20T09:00:00Z', { addLabels: ['Active Now::Review'] }, 'maria-manager');
  edit(rota, '2026-03-26T09:00:00Z', { description: 'updated plan' }, 'dana');

  // A handbook change waiting for its approval artifact, and one that has it.
  const handbook = w.project(HANDBOOK);
  const missing = w.at('2026-03-20T10:00:00Z', () =>
    store.createMergeRequest(handbook, {
      title: 'Reword the Contact Request workflow, cc @gitlab-com/support/managers',
      authorId: w.user('bruno'),
      labels: ['approval::missing'],
      changes: [{ new_path: 'content/handbook/support/workflows/contact.md' }],
      createdAt: new Date('2026-03-20T10:00:00Z'),
    }),
  );
  store.createMergeRequest(handbook, { title: 'Approved change', authorId: w.user('chen'), labels: ['approval::present'], createdAt: new Date('2026-03-20T10:00:00Z') });
  return { breached, atRisk, answered, onTrack, eligible, needsAdmin, secret, rota, missing };
}

/** What happens after Friday's run: the final review counts it. */
function buildWeekend(w: World) {
  const { issue, edit, note } = w;
  const lateFriday = issue(REQUESTS, { title: 'Contact the owner of hooli-xyz', labels: [CONTACT], createdAt: '2026-03-27T15:00:00Z' });
  note(lateFriday, 'bruno', '2026-03-27T16:00:00Z');
  edit(lateFriday, '2026-03-28T10:00:00Z', { stateEvent: 'close' });
  const weekendKudos = issue(META, { title: 'Kudos to @dana for the weekend cover', author: 'chen', createdAt: '2026-03-20T10:00:00Z' });
  edit(weekendKudos, '2026-03-28T10:00:00Z', { addLabels: ['SWIR::kudos'] }, 'chen');

  return { lateFriday, weekendKudos };
}

describe('run swir: Needs attention, Friday so far, Monday final', () => {
  it('opens with what needs attention, as lists with links and ages, naming nobody with @', async () => {
    const w = await world('UTC', { kpiUrl: 'https://example.com/support-kpis' });
    const items = buildWeek(w);
    buildWeekend(w); // here only for its titles with an @, which the review quotes
    const friday = await runSwir(w.runtime(FRIDAY_NOON), { out: sink });
    const attention = friday.figures.needsAttention;

    expect(friday.week.key).toBe('2026-W13');
    expect(friday.figures.week.partial).toBe(true);
    // Breached first, then at risk; the answered and on-track requests are not listed; a private project's request is its link only.
    expect(attention.sla).toEqual([
      expect.objectContaining({
        ref: `internal-requests#${items.breached.iid}`,
        title: '(issue in a private project)',
        author: null,
        state: 'breached',
        template: 'Contact Request',
        age: '4 days',
        due: '2026-03-24 13:00 UTC',
      }),
      expect.objectContaining({ ref: `internal-requests#${items.atRisk.iid}`, state: 'at-risk', template: 'Contact Request', age: '1 day', due: '2026-03-27 14:00 UTC' }),
    ]);
    expect(attention.approvalMissing).toEqual([expect.objectContaining({ ref: `handbook!${items.missing.iid}`, author: 'bruno', age: '7 days' })]);
    const column = (label: string) => attention.activeNow.find((c) => c.label === label)!.items;
    expect(column('Active Now::Focus')).toEqual([
      expect.objectContaining({ ref: `support-team-meta#${items.secret.iid}`, title: '(confidential issue)', author: null, since: '2026-03-25', age: '2 days' }),
    ]);
    expect(column('Active Now::Review')).toEqual([
      expect.objectContaining({ title: 'Rotate the triage DRI weekly', since: '2026-03-20', age: '7 days', lastActivity: '2026-03-26' }),
    ]);
    expect(column('Active Now::In Progress')).toEqual([]);
    expect(attention.waitingForAdmin).toEqual([
      expect.objectContaining({ ref: `internal-requests#${items.eligible.iid}`, state: 'eligible', since: '2026-03-24', age: '3 days' }),
      expect.objectContaining({ ref: `internal-requests#${items.needsAdmin.iid}`, state: 'needs-admin', since: '2026-03-25', age: '2 days' }),
    ]);

    const [published] = reviews(w);
    const text = shown(published!);
    expect(text.startsWith('Monday 2026-03-23 to Sunday 2026-03-29 (UTC). The week is not over yet')).toBe(true);
    expect(text).toContain("This week's [Support KPIs](https://example.com/support-kpis)");
    expect(text.indexOf('## Needs attention')).toBeLessThan(text.indexOf('## Topics flagged for the review'));
    expect(text).toContain(`(internal-requests#${items.breached.iid}): Contact Request, open for 4 days, **breached** (was due 2026-03-24 13:00 UTC)`);
    expect(text).toContain(`(internal-requests#${items.atRisk.iid}): Contact Request, open for 1 day, at risk (due 2026-03-27 14:00 UTC)`);
    expect(text).toContain(`(handbook!${items.missing.iid}, by bruno), open for 7 days`);
    expect(text).toContain(`(support-team-meta#${items.secret.iid}): in the column since 2026-03-25 (2 days), last activity`);
    expect(text).not.toContain('Secret escalation');
    expect(text).not.toContain('acme-corp');
    // No mention anywhere: not the authors, not the @ in the titles it quotes.
    expect(text).not.toMatch(MENTION);
    expect(published!.title).toBe('Support Week in Review 2026-W13');

    // The samples the loader tries swir.hbs with look like what the job passes.
    const real = swirMessageData(friday.figures, { needsInfoLabel: 'triage::needs-info', waitingDays: 7, kpiUrl: null });
    for (const sample of SWIR_SAMPLES) expect(shapeDifferences(real, sample)).toEqual([]);
  });

  it('Monday finalises last week in place with Friday afternoon and the weekend, then a rerun writes nothing', async () => {
    const w = await world('UTC');
    const items = buildWeek(w);
    const friday = await runSwir(w.runtime(FRIDAY_NOON), { out: sink });
    const [first] = reviews(w);
    expect(friday.figures.requests!.opened).toBe(4);
    expect(friday.figures.topics.flatMap((t) => t.items)).toEqual([]);
    const weekend = buildWeekend(w);

    const monday = await runSwir(w.runtime(MONDAY_NOON), { out: sink });
    expect(monday.week.key).toBe('2026-W13');
    expect(monday.figures.week.partial).toBe(false);
    expect(monday.change.outcome).toBe('written');
    expect(monday.summary).toMatch(/^swir: 2026-W13 \(2026-03-23 to 2026-03-29 UTC, final\), issue published/);
    // The same issue, edited: no second W13, no W14 yet.
    expect(reviews(w)).toHaveLength(1);
    const [final] = reviews(w);
    expect(final!.iid).toBe(first!.iid);
    expect(final!.title).toBe('Support Week in Review 2026-W13');
    expect(shown(final!).startsWith('Monday 2026-03-23 to Sunday 2026-03-29 (UTC). **Final**: the whole week')).toBe(true);
    // Friday afternoon's request (opened and closed by Saturday) and Saturday's topic are counted now.
    expect(monday.figures.requests!.opened).toBe(5);
    expect(monday.figures.requests!.closed).toBe(1);
    expect(monday.figures.topics.flatMap((t) => t.items.map((i) => i.ref))).toEqual([`support-team-meta#${weekend.weekendKudos.iid}`]);
    // As of the end of the week: Friday's at-risk request passed its target at 14:00.
    expect(monday.figures.needsAttention.sla.map((i) => [i.ref, i.state])).toEqual([
      [`internal-requests#${items.breached.iid}`, 'breached'],
      [`internal-requests#${items.atRisk.iid}`, 'breached'],
    ]);
    expect(shown(final!)).not.toMatch(MENTION);

    const settled = writes(w);
    const again = await runSwir(w.runtime(new Date('2026-03-30T15:00:00Z')), { out: sink });
    expect(again.change.outcome).toBe('unchanged');
    expect(writes(w)).toBe(settled);
  });

  it('says so when nothing needs attention', async () => {
    const w = await world('UTC');
    await runSwir(w.runtime(FRIDAY_NOON), { out: sink });
    const [published] = reviews(w);
    expect(shown(published!)).toContain('Nothing needs attention: no request at risk or past its first-response target');
  });

  it.each([
    ['its issue lists', (id: number) => new RegExp(`^/projects/${id}/`)],
    ['the project itself', () => /^\/projects\/gitlab-com%2Fsupport%2Ffeedback$/],
  ])('names a project answering a plain 403 on %s, publishes the rest and fails the run', async (_where, pattern) => {
    const w = await world('UTC');
    const items = buildWeek(w);
    const waiting = w.issue(FEEDBACK, { title: 'Feedback waiting for its author', createdAt: '2026-03-02T10:00:00Z' });
    w.edit(waiting, '2026-03-03T10:00:00Z', { addLabels: ['triage::needs-info'] }, 'support-bot');
    w.s.sandbox.faults.failNext(1000, 403, { pathPattern: pattern(w.project(FEEDBACK)) });

    const result = await runSwir(w.runtime(FRIDAY_NOON), { out: sink });
    expect(result.failed).toBe(true);
    expect(result.summary).toContain('(1 unreadable: gitlab-com/support/feedback (403))');
    expect(result.figures.unreadable).toEqual([{ key: 'feedback', path: FEEDBACK, status: 403 }]);
    expect(result.figures.waiting.items).toEqual([]);
    // The rest is there.
    expect(result.figures.needsAttention.sla.map((i) => i.ref)).toEqual([`internal-requests#${items.breached.iid}`, `internal-requests#${items.atRisk.iid}`]);
    const [published] = reviews(w);
    expect(shown(published!)).toContain('**Not in this review**: GitLab did not let the bot read gitlab-com/support/feedback (403); its figures are missing.');
  });

  it('publishes nothing and names the project when the review’s own project answers 403', async () => {
    const w = await world('UTC');
    w.s.sandbox.faults.failNext(1000, 403, { pathPattern: new RegExp(`^/projects/${w.project(META)}/`) });
    await expect(runSwir(w.runtime(FRIDAY_NOON), { out: sink })).rejects.toThrow(
      /swir: gitlab-com\/support\/support-team-meta \(403\), the project the review is published in \(swir.project\), could not be read: nothing published/,
    );
    expect(writes(w)).toBe(0);
  });
});
