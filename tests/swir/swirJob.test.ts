import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { runSwir } from '../../src/jobs/swir.js';
import { CONTACT, FEEDBACK, HANDBOOK, META, REQUESTS, sink, SQUAT, world, type World } from './world.js';

// A known week in the sandbox: ISO week 2026-W13 read in Europe/Amsterdam, which moves from
// CET (+1) to CEST (+2) on its Sunday. So the week is 2026-03-22T23:00Z up to, not
// including, 2026-03-29T22:00Z. The expected figures below are computed from the store's
// records with these two instants, not with the bot's code.
const ZONE = 'Europe/Amsterdam';
const START = Date.parse('2026-03-22T23:00:00Z');
const END = Date.parse('2026-03-29T22:00:00Z'); // exclusive
const inTheWeek = (d: Date | null) => d !== null && d.getTime() >= START && d.getTime() < END;
const AFTER_THE_WEEK = new Date('2026-04-01T12:00:00Z');

/** Builds the week; returns what the assertions need by name. */
function buildWeek(w: World) {
  const { issue, edit, note, s } = w;
  const { store } = s.sandbox;
  // internal-requests
  const justBefore = issue(REQUESTS, { title: 'Request a second before the week', labels: [CONTACT], createdAt: '2026-03-22T22:59:59Z' });
  const firstSecond = issue(REQUESTS, { title: 'Request at Monday 00:00 Amsterdam', labels: [CONTACT], createdAt: '2026-03-22T23:00:00Z' });
  note(firstSecond, 'bruno', '2026-03-23T10:00:00Z'); // 1 business hour (UTC 9-17)
  const squat = issue(REQUESTS, { title: 'Name squatting for acme', labels: [SQUAT, 'dormant::released'], createdAt: '2026-03-24T10:00:00Z' });
  note(squat, 'chen', '2026-03-24T11:00:00Z'); // 1 business hour
  edit(squat, '2026-03-25T10:00:00Z', { stateEvent: 'close' });
  const reopened = issue(REQUESTS, { title: 'Request closed and reopened', labels: [CONTACT], createdAt: '2026-03-24T12:00:00Z' });
  edit(reopened, '2026-03-25T12:00:00Z', { stateEvent: 'close' });
  edit(reopened, '2026-03-26T12:00:00Z', { stateEvent: 'reopen' });
  note(reopened, 'sam-sales', '2026-03-24T13:00:00Z'); // the author: not a first response
  const closedLater = issue(REQUESTS, { title: 'Request closed the week after', labels: [CONTACT], createdAt: '2026-03-25T09:00:00Z' });
  note(closedLater, 'bruno', '2026-03-27T09:00:00Z'); // 16 business hours: past its 12
  edit(closedLater, '2026-03-31T10:00:00Z', { stateEvent: 'close' });
  const lastSecond = issue(REQUESTS, { title: 'Request at Sunday 23:59:59 Amsterdam (CEST)', createdAt: '2026-03-29T21:59:59Z' });
  const nextWeek = issue(REQUESTS, { title: 'Request at the next Monday 00:00', labels: [CONTACT], createdAt: '2026-03-29T22:00:00Z' });
  const oldDormant = issue(REQUESTS, { title: 'Old name squatting request', labels: [SQUAT, 'dormant::awaiting-response'], createdAt: '2026-03-02T10:00:00Z' });
  const oldClosed = issue(REQUESTS, { title: 'Old request closed before the week', labels: [CONTACT], createdAt: '2026-03-02T10:00:00Z' });
  // A task (a work item the issues API lists too) opened and closed in the week: not a request.
  const task = issue(REQUESTS, { title: 'Call the requester back', createdAt: '2026-03-24T10:00:00Z', issueType: 'task' });
  edit(task, '2026-03-25T10:00:00Z', { stateEvent: 'close' });
  edit(oldClosed, '2026-03-20T10:00:00Z', { stateEvent: 'close' });

  // support-team-meta: topics, proposals, readiness, the board
  const announcement = issue(META, { title: 'New on-call rota', author: 'maria-manager', createdAt: '2026-03-10T10:00:00Z' });
  edit(announcement, '2026-03-25T10:00:00Z', { addLabels: ['SWIR::announcement'] }, 'maria-manager');
  const kudosLate = issue(META, { title: 'Kudos flagged after the week', author: 'chen', createdAt: '2026-03-10T10:00:00Z' });
  edit(kudosLate, '2026-03-30T09:00:00Z', { addLabels: ['SWIR::kudos'] }, 'chen');
  const flaggedBefore = issue(META, { title: 'Flagged the week before', author: 'chen', createdAt: '2026-03-10T10:00:00Z' });
  edit(flaggedBefore, '2026-03-22T22:59:59Z', { addLabels: ['SWIR::other'] }, 'chen');
  edit(flaggedBefore, '2026-03-24T09:00:00Z', { description: 'touched in the week' }, 'chen');
  const flaggedLastSecond = issue(META, { title: 'Kudos to the APAC team', author: 'dana', createdAt: '2026-03-12T10:00:00Z' });
  edit(flaggedLastSecond, '2026-03-29T21:59:59Z', { addLabels: ['SWIR::kudos'] }, 'dana');
  const oldReview = store.createIssue(w.project(META), {
    title: 'Support Week in Review 2026-W12',
    description: 'x',
    authorId: w.user('support-bot'),
    labels: ['SWIR'],
    createdAt: new Date('2026-03-20T12:00:00Z'),
  });
  edit(oldReview, '2026-03-24T10:00:00Z', { addLabels: ['SWIR::other'] }, 'chen');
  const secret = issue(META, { title: 'Secret reorganisation', author: 'maria-manager', confidential: true, createdAt: '2026-03-10T10:00:00Z' });
  edit(secret, '2026-03-26T10:00:00Z', { addLabels: ['SWIR::announcement'] }, 'maria-manager');
  // Labelled when it was opened: the sandbox records no label event then (GitLab does), so its creation dates the label.
  const openedFlagged = issue(META, {
    title: 'Opened already flagged',
    author: 'chen',
    labels: ['SWIR::other', 'template::support-shadow-program'],
    createdAt: '2026-03-25T08:00:00Z',
  });
  issue(META, { title: 'Opened flagged the week before', author: 'chen', labels: ['SWIR::other', 'template::support-shadow-program'], createdAt: '2026-03-22T22:00:00Z' });
  const proposal = issue(META, { title: 'Proposal: rotate the triage DRI weekly', author: 'dana', createdAt: '2026-03-24T08:00:00Z' });
  const readiness = issue(META, {
    title: 'Support Readiness: new billing page',
    author: 'maria-manager',
    labels: ['template::support-readiness'],
    createdAt: '2026-03-26T08:00:00Z',
  });
  issue(META, { title: 'Proposal from the week before', author: 'dana', createdAt: '2026-03-22T22:00:00Z' });
  issue(META, { title: 'On the board 1', author: 'dana', labels: ['Active Now::Focus'], createdAt: '2026-03-01T08:00:00Z' });
  issue(META, { title: 'On the board 2', author: 'dana', labels: ['Active Now::Focus'], createdAt: '2026-03-01T08:00:00Z' });
  issue(META, { title: 'In review', author: 'dana', labels: ['Active Now::Review'], createdAt: '2026-03-01T08:00:00Z' });
  // A merge request in a configured project flagged in the week.
  const metaMr = w.at('2026-03-20T10:00:00Z', () =>
    store.createMergeRequest(w.project(META), { title: 'Add a Support Shadow template', authorId: w.user('chen'), createdAt: new Date('2026-03-20T10:00:00Z') }),
  );
  edit(metaMr, '2026-03-27T10:00:00Z', { addLabels: ['SWIR::workflow-change'] }, 'chen');

  // feedback: waiting for the author
  const waitingLong = issue(FEEDBACK, { title: 'Feedback waiting since the 19th', createdAt: '2026-03-18T10:00:00Z' });
  edit(waitingLong, '2026-03-19T10:00:00Z', { addLabels: ['triage::needs-info'] }, 'support-bot');
  const waitingShort = issue(FEEDBACK, { title: 'Feedback waiting since the 26th', createdAt: '2026-03-26T10:00:00Z' });
  edit(waitingShort, '2026-03-26T11:00:00Z', { addLabels: ['triage::needs-info'] }, 'support-bot');
  const feedbackClosed = issue(FEEDBACK, { title: 'Feedback closed on Saturday', createdAt: '2026-03-23T10:00:00Z' });
  edit(feedbackClosed, '2026-03-28T10:00:00Z', { stateEvent: 'close' });

  // Merged merge requests: the handbook and an issue template
  const handbook = w.project(HANDBOOK);
  const merged = (projectId: number, title: string, path: string, mergedAt: string, labels: string[] = []) => {
    const mr = store.createMergeRequest(projectId, { title, authorId: w.user('bruno'), labels, changes: [{ new_path: path }], createdAt: new Date('2026-03-16T10:00:00Z') });
    edit(mr, mergedAt, { stateEvent: 'merge' } as never, 'maria-manager');
    return mr;
  };
  const hbPresent = merged(handbook, 'Document the new escalation workflow', 'content/handbook/support/workflows/escalations.md', '2026-03-24T15:00:00Z', ['approval::present']);
  const hbMissing = merged(handbook, 'Rename the Contact Request workflow', 'content/handbook/support/workflows/contact.md', '2026-03-26T15:00:00Z', ['approval::missing']);
  merged(handbook, 'Marketing page update', 'content/handbook/marketing/index.md', '2026-03-25T15:00:00Z');
  merged(handbook, 'Support page merged the Sunday before', 'content/handbook/support/index.md', '2026-03-22T22:30:00Z');
  const template = merged(w.project(REQUESTS), 'Contact Request template: ask for the ticket link', '.gitlab/issue_templates/Contact Request.md', '2026-03-27T09:00:00Z');
  return {
    openedFlagged,
    justBefore,
    firstSecond,
    squat,
    reopened,
    closedLater,
    lastSecond,
    nextWeek,
    oldDormant,
    announcement,
    secret,
    flaggedLastSecond,
    metaMr,
    proposal,
    readiness,
    waitingLong,
    hbPresent,
    hbMissing,
    template,
  };
}

/** The counts, computed from the store's records directly. */
function expected(w: World) {
  const { store } = w.s.sandbox;
  const requests = store.issues.filter((i) => i.projectId === w.project(REQUESTS) && i.issueType === 'issue');
  const opened = requests.filter((i) => inTheWeek(i.createdAt));
  const closed = requests.filter((i) => inTheWeek(i.closedAt));
  const stillOpen = requests.filter((i) => i.createdAt.getTime() < END && (i.closedAt === null || i.closedAt.getTime() >= END));
  const issueProjects = [META, REQUESTS, FEEDBACK].map((p) => w.project(p));
  const all = store.issues.filter((i) => issueProjects.includes(i.projectId) && i.issueType === 'issue');
  const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: ZONE });
  const days = ['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29'];
  return {
    opened: opened.length,
    closed: closed.length,
    stillOpen: stillOpen.length,
    byTemplate: (label: string | null) => ({
      opened: opened.filter((i) => (label ? i.labels.includes(label) : !i.labels.some((l) => l.startsWith('template::')))).length,
      closed: closed.filter((i) => (label ? i.labels.includes(label) : !i.labels.some((l) => l.startsWith('template::')))).length,
      stillOpen: stillOpen.filter((i) => (label ? i.labels.includes(label) : !i.labels.some((l) => l.startsWith('template::')))).length,
    }),
    perDay: days.map((d) => ({
      opened: all.filter((i) => inTheWeek(i.createdAt) && day(i.createdAt) === d).length,
      closed: all.filter((i) => inTheWeek(i.closedAt) && day(i.closedAt!) === d).length,
    })),
    dormant: (label: string) => ({ open: stillOpen.filter((i) => i.labels.includes(label)).length, closed: closed.filter((i) => i.labels.includes(label)).length }),
    board: (label: string) => store.issues.filter((i) => i.projectId === w.project(META) && i.state === 'opened' && i.labels.includes(label)).length,
  };
}

const writes = (s: Stack) => s.sandbox.requests.filter((r) => r.method !== 'GET').length;
const reviews = (w: World, week: string) => w.s.sandbox.store.issues.filter((i) => i.projectId === w.project(META) && i.title === `Support Week in Review ${week}`);

describe('run swir: a known week in the sandbox', () => {
  it('checks every figure against counts computed from the sandbox data, in a non-UTC zone across DST', async () => {
    const w = await world(ZONE);
    const items = buildWeek(w);
    const want = expected(w);
    const result = await runSwir(w.runtime(AFTER_THE_WEEK), { out: sink, week: '2026-W13' });
    const f = result.figures;

    expect(result.week.start.toISOString()).toBe(new Date(START).toISOString());
    expect(f.week).toEqual({ key: '2026-W13', from: '2026-03-23', to: '2026-03-29', timezone: ZONE, partial: false });

    // internal-requests: just outside both boundaries excluded, the last second included,
    // the reopened one open (not closed), the one closed the week after still open then.
    expect(f.requests!.opened).toBe(want.opened);
    expect(f.requests!.opened).toBe(5);
    expect(f.requests!.closed).toBe(want.closed);
    expect(f.requests!.closed).toBe(1);
    expect(f.requests!.stillOpen.count).toBe(want.stillOpen);
    expect(f.requests!.stillOpen.count).toBe(6);
    // A past week: "still open then" is not a list GitLab can show, so no link.
    expect(f.requests!.stillOpen.url).toBeNull();
    const row = (name: string) => f.requests!.byTemplate.find((r) => r.name === name)!;
    for (const [name, label] of [
      ['Contact Request', CONTACT],
      ['Name Squatting Request', SQUAT],
      ['Other', null],
    ] as const) {
      const wanted = want.byTemplate(label);
      expect({ name, opened: row(name).opened, closed: row(name).closed, stillOpen: row(name).stillOpen.count }).toEqual({ name, ...wanted });
    }
    // First responses (UTC 9-17): 1 h, 1 h and 16 h; the reopened one has only its author's note.
    expect(f.requests!.answered).toBe(3);
    expect(f.requests!.medianFirstResponseHours).toBe('1');
    // Past the 12-hour target: answered after 16 h, and the reopened one unanswered.
    expect(f.requests!.pastTarget).toBe(2);

    // Topics: added in the week (to the last second), not before, not after; never the review itself; confidential titles hidden.
    const topic = (label: string) => f.topics.find((t) => t.label === label)!.items.map((i) => i.ref);
    expect(topic('SWIR::announcement')).toEqual([`support-team-meta#${items.announcement.iid}`, `support-team-meta#${items.secret.iid}`]);
    expect(topic('SWIR::kudos')).toEqual([`support-team-meta#${items.flaggedLastSecond.iid}`]);
    expect(topic('SWIR::other')).toEqual([`support-team-meta#${items.openedFlagged.iid}`]);
    expect(topic('SWIR::workflow-change')).toEqual([`support-team-meta!${items.metaMr.iid}`]);
    expect(f.topics.find((t) => t.label === 'SWIR::announcement')!.items[1]).toMatchObject({ title: '(confidential issue)', author: null });

    // support-team-meta
    expect(f.meta.proposals.map((p) => p.ref)).toEqual([`support-team-meta#${items.proposal.iid}`]);
    expect(f.meta.readiness.map((p) => p.ref)).toEqual([`support-team-meta#${items.readiness.iid}`]);
    expect(f.meta.activeNow.map((c) => [c.label, c.count, c.limit])).toEqual([
      ['Active Now::Focus', want.board('Active Now::Focus'), 6],
      ['Active Now::In Progress', want.board('Active Now::In Progress'), 6],
      ['Active Now::Review', want.board('Active Now::Review'), 6],
    ]);
    expect(f.meta.activeNow[0]!.url).toBe(`${w.s.sandbox.url}/${META}/-/issues?state=opened&label_name[]=Active%20Now%3A%3AFocus`);

    // Workflow changes: merged in the week, touching Support's pages or templates; approval from the labels.
    expect(f.workflowChanges.map((c) => [c.ref, c.approval])).toEqual([
      [`handbook!${items.hbPresent.iid}`, 'present'],
      [`handbook!${items.hbMissing.iid}`, 'missing'],
      [`internal-requests!${items.template.iid}`, 'unknown'],
    ]);

    // Dormant requests by state, and issues waiting for their author a week or more.
    expect(f.dormant.map((d) => [d.state, d.open.count, d.closed])).toEqual([
      ['awaiting-response', want.dormant('dormant::awaiting-response').open, want.dormant('dormant::awaiting-response').closed],
      ['released', want.dormant('dormant::released').open, want.dormant('dormant::released').closed],
    ]);
    expect(f.waiting.items.map((i) => [i.ref, i.since])).toEqual([[`feedback#${items.waitingLong.iid}`, '2026-03-19']]);
    expect(f.waiting.lists).toEqual([{ project: FEEDBACK, url: `${w.s.sandbox.url}/${FEEDBACK}/-/issues?state=opened&label_name[]=triage%3A%3Aneeds-info` }]);

    // Opened and closed per local day.
    expect(f.perDay.map((d) => ({ opened: d.opened, closed: d.closed }))).toEqual(want.perDay);
    expect(f.perDay.map((d) => d.label)).toEqual(['Mon 23', 'Tue 24', 'Wed 25', 'Thu 26', 'Fri 27', 'Sat 28', 'Sun 29']);

    // Published once, with the label, in support-team-meta.
    const [published] = reviews(w, '2026-W13');
    expect(reviews(w, '2026-W13')).toHaveLength(1);
    expect(published!.labels).toContain('SWIR');
    expect(published!.description).toContain('```mermaid\nxychart-beta');
    // The confidential topic is a link only: neither its title nor its author is published.
    expect(published!.description).not.toContain('Secret reorganisation');
    expect(published!.description).toContain(`(support-team-meta#${items.secret.iid})`);
    expect(published!.description).toContain('Generated by support-bot on 2026-04-01 14:00 Europe/Amsterdam');
    expect(result.change.outcome).toBe('written');
    expect(result.summary).toMatch(
      /^swir: 2026-W13 \(2026-03-23 to 2026-03-29 Europe\/Amsterdam, final\), issue published, 5 topics, 5 requests opened, 1 closed, 3 workflow changes, 1 writes, \d+ API requests, [\d.]+ s$/,
    );
  });

  it('re-runs with zero writes, edits the same issue when a figure changes, and makes a second issue for a second week', async () => {
    const w = await world(ZONE);
    const items = buildWeek(w);
    await runSwir(w.runtime(AFTER_THE_WEEK), { out: sink, week: '2026-W13' });
    const [first] = reviews(w, '2026-W13');

    // Nothing changed: not one write, and the issue untouched.
    const before = writes(w.s);
    const again = await runSwir(w.runtime(new Date('2026-04-02T08:00:00Z')), { out: sink, week: '2026-W13' });
    expect(writes(w.s)).toBe(before);
    expect(again.change.outcome).toBe('unchanged');
    expect(again.summary).toMatch(/issue unchanged, .* 0 writes, (\d+) API requests/);
    const requests = Number(/(\d+) API requests/.exec(again.summary)![1]);
    // No scan: 4 configured projects + GET /user; issue lists: 2 per project with issues
    // (created in the week, closed since it began), open requests, 3 board columns, 4 topic
    // labels x 3 projects, needs-info x 3, the search for the review (26); merge request
    // lists: 4 topic labels x 4 projects, merged since the week began x 4 (20); then one read
    // per candidate: 5 requests' notes, the team (5), 9 label-event lists, 4 merged diffs, and the
    // single merge request out of scope, for its changes_count (could its list be cut?) (1).
    // Needs attention adds: open merge requests labelled approval::missing x 4 projects, the
    // label events of the 3 board issues, the notes of the 2 older requests still open (9).
    expect(requests).toBe(84);

    // A request of the week gets closed (late, but inside the week): one figure changes.
    w.edit(items.lastSecond, '2026-03-29T21:59:59Z', { stateEvent: 'close' });
    const edited = await runSwir(w.runtime(new Date('2026-04-02T09:00:00Z')), { out: sink, week: '2026-W13' });
    expect(edited.change.outcome).toBe('written');
    expect(edited.figures.requests!.closed).toBe(2);
    expect(writes(w.s)).toBe(before + 1);
    expect(reviews(w, '2026-W13')).toHaveLength(1);
    const [now] = reviews(w, '2026-W13');
    expect(now!.iid).toBe(first!.iid);
    expect(now!.description).toContain('Regenerated by support-bot on 2026-04-02 11:00 Europe/Amsterdam: its content changed.');
    expect(now!.description).toContain('**2** closed');

    // Friday of the current week, W14: a second issue, the week so far. Its own issue is never a proposal or topic, so a re-run is still a no-op.
    const thisWeek = new Date('2026-04-03T10:00:00Z');
    const second = await runSwir(w.runtime(thisWeek), { out: sink });
    expect(second.week.key).toBe('2026-W14');
    expect(second.figures.week.partial).toBe(true);
    expect(second.figures.requests!.stillOpen.url).toBe(`${w.s.sandbox.url}/${REQUESTS}/-/issues?state=opened`);
    expect(reviews(w, '2026-W14')).toHaveLength(1);
    expect(reviews(w, '2026-W13')).toHaveLength(1);
    const settled = writes(w.s);
    const third = await runSwir(w.runtime(new Date('2026-04-03T10:30:00Z')), { out: sink });
    expect(third.figures.meta.proposals).toEqual([]);
    expect(writes(w.s)).toBe(settled);
  });

  it('with --dry-run and --output writes only the file and prints what it would publish', async () => {
    const w = await world(ZONE);
    buildWeek(w);
    const dir = mkdtempSync(join(tmpdir(), 'swir-'));
    const file = join(dir, 'out', 'swir-2026-W13.md');
    const lines: string[] = [];
    const out = { write: (chunk: string) => (lines.push(chunk), true) } as unknown as NodeJS.WritableStream;
    const result = await JOBS.swir(w.runtime(AFTER_THE_WEEK, { dryRun: true }), { out, week: '2026-W13', output: file });
    expect(writes(w.s)).toBe(0);
    expect(reviews(w, '2026-W13')).toHaveLength(0);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown.startsWith('# Support Week in Review 2026-W13\n')).toBe(true);
    const text = lines.join('');
    expect(text).toContain(`wrote ${file}`);
    expect(text).toContain('would publish: project');
    expect(text).toContain('create issue "Support Week in Review 2026-W13"');
    expect(text).toContain('## Internal requests');
    expect(result.summary).toMatch(/issue would publish, .* 1 writes planned \(dry run\)/);
  });

  it('publishes only the link of an item whose project fewer people may see than the review’s (internal-requests is private)', async () => {
    const w = await world(ZONE);
    const { store } = w.s.sandbox;
    store.resolveProject(REQUESTS)!.visibility = 'private';
    store.resolveProject(FEEDBACK)!.visibility = 'internal';
    const request = w.issue(REQUESTS, { title: 'Contact ACME about user jdoe', author: 'sam-sales', createdAt: '2026-03-10T10:00:00Z' });
    w.edit(request, '2026-03-24T10:00:00Z', { addLabels: ['SWIR::kudos'] }, 'chen');
    const waiting = w.issue(FEEDBACK, { title: 'Feedback from Globex', author: 'sam-sales', createdAt: '2026-03-10T10:00:00Z' });
    w.edit(waiting, '2026-03-12T10:00:00Z', { addLabels: ['triage::needs-info'] }, 'support-bot');
    const open = w.issue(META, { title: 'Visible kudos', author: 'dana', createdAt: '2026-03-10T10:00:00Z' });
    w.edit(open, '2026-03-24T10:00:00Z', { addLabels: ['SWIR::kudos'] }, 'dana');

    const result = await runSwir(w.runtime(AFTER_THE_WEEK), { out: sink, week: '2026-W13' });
    const kudos = result.figures.topics.find((t) => t.label === 'SWIR::kudos')!.items;
    expect(kudos).toContainEqual(expect.objectContaining({ ref: `internal-requests#${request.iid}`, title: '(issue in a private project)', author: null }));
    expect(kudos).toContainEqual(expect.objectContaining({ ref: `support-team-meta#${open.iid}`, title: 'Visible kudos', author: 'dana' }));
    expect(result.figures.waiting.items).toContainEqual(expect.objectContaining({ ref: `feedback#${waiting.iid}`, title: '(issue in an internal project)', author: null }));
    const [published] = reviews(w, '2026-W13');
    expect(published!.description).not.toContain('ACME');
    expect(published!.description).not.toContain('Globex');
    expect(published!.description).toContain(`(internal-requests#${request.iid})`);
    expect(published!.description).toContain('Visible kudos');
  });

  it.each([
    ['after GitLab saved it', true],
    ['before GitLab saved it', false],
  ])('publishes the week exactly once when GitLab answers 500 to the create %s', async (_name, afterApply) => {
    const w = await world(ZONE);
    w.s.sandbox.faults.failNext(1, 500, { methods: ['POST'], pathPattern: /\/issues$/, afterApply });
    const result = await runSwir(w.runtime(AFTER_THE_WEEK), { out: sink, week: '2026-W13' });
    expect(result.change.outcome).toBe('written');
    expect(reviews(w, '2026-W13')).toHaveLength(1);
  });

  it('refuses a malformed --week before any request', async () => {
    const w = await world(ZONE);
    const runtime = w.runtime(AFTER_THE_WEEK);
    await expect(runSwir(runtime, { out: sink, week: '2026-13' })).rejects.toThrow(/expected an ISO week like "2026-W48"/);
    expect(runtime.gateway.stats.total()).toBe(0);
  });
});

describe('run swir: workflow changes past GitLab diff limits', () => {
  it("reads a merged merge request's raw diff when its changed-file list is cut, as the approval rule does", async () => {
    const w = await world(ZONE);
    const { store } = w.s.sandbox;
    const handbook = w.project(HANDBOOK);
    const filler = Array.from({ length: 1200 }, (_, i) => ({ new_path: `assets/${String(i).padStart(4, '0')}.png` }));
    const big = (title: string, last: string) => {
      const mr = store.createMergeRequest(handbook, { title, authorId: w.user('bruno'), changes: [...filler, { new_path: last }], createdAt: new Date('2026-03-16T10:00:00Z') });
      w.edit(mr, '2026-03-25T15:00:00Z', { stateEvent: 'merge' } as never, 'maria-manager');
      return mr;
    };
    // Past the first 1,000 files: only the raw diff shows the Support page.
    const support = big('Image refresh, and a Support workflow page', 'content/handbook/support/workflows/images.md');
    big('Image refresh, marketing only', 'content/handbook/marketing/images.md');
    const result = await runSwir(w.runtime(AFTER_THE_WEEK, { dryRun: true }), { out: sink, week: '2026-W13' });
    expect(result.figures.workflowChanges.map((c) => c.ref)).toEqual([`handbook!${support.iid}`]);
    expect(w.s.sandbox.requests.filter((r) => r.path.endsWith('/raw_diffs'))).toHaveLength(2);
  });
});
