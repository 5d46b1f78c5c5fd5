import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { markerKey } from '../../src/engine/markers.js';
import { activeNowLimit } from '../../src/rules/activeNowLimit.js';
import { expectNoWritesOnReplayAndSweep, sandboxWrites } from '../helpers/replay.js';

// The WIP limit end to end: a team member adds a full column's label in the sandbox,
// the webhook reaches the bot, the bot writes back; replays and sweeps find nothing left.

const FOCUS = 'Active Now::Focus';
let stack: Stack;
let demo: DemoContext;

async function start(mode: 'revert' | 'comment'): Promise<void> {
  const loaded = loadConfig('config/support-bot.yml');
  stack = await startStack({ rules: [activeNowLimit], loaded: { ...loaded, config: { ...loaded.config, activeNow: { ...loaded.config.activeNow, mode } } } });
  demo = createDemoContext(stack, 'out', () => {});
}
afterEach(async () => {
  await stack.close();
});

const issue = (iid: number) => {
  const store = stack.sandbox.store;
  const found = store.getIssue(store.resolveProject(demo.projectPath('support-team-meta'))!.id, iid)!;
  return { labels: found.labels, botNotes: store.listNotes(found).filter((n) => markerKey(n.body) === 'active-now-limit') };
};
/** Six issues already in the column, then a seventh that gets the label by an edit. */
async function fullColumnAndNewcomer(): Promise<{ six: number[]; seventh: number }> {
  const six: number[] = [];
  for (let i = 1; i <= 6; i += 1) six.push(await demo.openIssue('alice', 'support-team-meta', { title: `Initiative ${i}`, labels: [FOCUS] }));
  const seventh = await demo.openIssue('bruno', 'support-team-meta', { title: 'One more initiative' });
  await demo.settle();
  await demo.editIssue('bruno', 'support-team-meta', seventh, { add_labels: [FOCUS] });
  await demo.settle();
  return { six, seventh };
}

describe('active-now-limit through webhooks', () => {
  it('revert: the seventh issue loses the label and gets one note listing the six; the six are untouched', async () => {
    await start('revert');
    const { six, seventh } = await fullColumnAndNewcomer();
    const hit = issue(seventh);
    expect(hit.labels).not.toContain(FOCUS);
    expect(hit.botNotes).toHaveLength(1);
    for (const iid of six) expect(hit.botNotes[0]!.body).toContain(`#${iid}](`);
    for (const iid of six) expect(issue(iid)).toEqual({ labels: [FOCUS], botNotes: [] });
    // Every delivery, the six's old `open` events included: none of them may push one of the six out.
    await expectNoWritesOnReplayAndSweep(stack);
    expect(issue(seventh).botNotes).toHaveLength(1);
  });

  it('comment: the seventh issue keeps the label and gets the note once', async () => {
    await start('comment');
    const { six, seventh } = await fullColumnAndNewcomer();
    expect(issue(seventh).labels).toContain(FOCUS);
    expect(issue(seventh).botNotes).toHaveLength(1);
    for (const iid of six) expect(issue(iid).botNotes).toEqual([]);
    // Every delivery, the six's old `open` events included: none of them may push one of the six out.
    await expectNoWritesOnReplayAndSweep(stack);
    expect(issue(seventh).botNotes).toHaveLength(1);
  });

  it('two issues labelled back to back into the last free place: the second is held back, the first keeps it, whichever delivery is handled first', async () => {
    await start('revert');
    for (let i = 1; i <= 5; i += 1) await demo.openIssue('alice', 'support-team-meta', { title: `Initiative ${i}`, labels: [FOCUS] });
    const sixth = await demo.openIssue('bruno', 'support-team-meta', { title: 'Sixth' });
    const seventh = await demo.openIssue('bruno', 'support-team-meta', { title: 'Seventh' });
    await demo.settle();
    // No settling in between: both Issue Hooks reach the bot after both labels are on.
    await demo.editIssue('bruno', 'support-team-meta', sixth, { add_labels: [FOCUS] });
    await demo.editIssue('bruno', 'support-team-meta', seventh, { add_labels: [FOCUS] });
    await demo.settle();
    expect(issue(sixth)).toEqual({ labels: [FOCUS], botNotes: [] });
    expect(issue(seventh).labels).not.toContain(FOCUS);
    expect(issue(seventh).botNotes).toHaveLength(1);
    await expectNoWritesOnReplayAndSweep(stack);
  });

  // Issue 21 case 6: the note quotes board issues; when one turns confidential, or the held-back
  // issue gets its place, the sweep re-renders the note against the board as it is now.
  it('a quoted board issue made confidential later: the next sweep re-renders the note, its title gone', async () => {
    await start('comment');
    const { six, seventh } = await fullColumnAndNewcomer();
    expect(issue(seventh).botNotes[0]!.body).toContain('Initiative 3');
    await demo.editIssue('alice', 'support-team-meta', six[2]!, { confidential: true });
    await demo.settle();
    await stack.runtime.bot.runJob('sweep');
    const body = issue(seventh).botNotes[0]!.body;
    expect(body).not.toContain('Initiative 3');
    expect(body).toContain(`[#${six[2]}](${stack.sandbox.store.baseUrl}/`);
    expect(body).toMatch(new RegExp(`\\[#${six[2]}\\]\\([^)]+\\) \\(confidential issue\\)`));
    expect(body).toContain('Initiative 1');
    expect((await stack.runtime.bot.runJob('sweep')).writes).toBe(0);

    // One of the six is closed: the seventh now has its place, and its note names no issue any more.
    await demo.editIssue('alice', 'support-team-meta', six[0]!, { state_event: 'close' });
    await demo.settle();
    await stack.runtime.bot.runJob('sweep');
    const after = issue(seventh);
    expect(after.botNotes).toHaveLength(1);
    expect(after.botNotes[0]!.body).toContain('This issue is within the limit of 6 open issues per label');
    expect(after.botNotes[0]!.body).not.toMatch(/Initiative|#\d/);
    // The cost of keeping notes current: one notes read per issue on the board (6 here), no write.
    const before = stack.sandbox.requests.length;
    expect((await stack.runtime.bot.runJob('sweep')).writes).toBe(0);
    const noteReads = stack.sandbox.requests.slice(before).filter((r) => r.method === 'GET' && /\/issues\/\d+\/notes$/.test(r.path));
    expect(noteReads.length).toBeLessThanOrEqual(6);
  });

  // Issue 21 case 6, without waiting for a sweep: the webhook of the quoted issue's change
  // re-plans the notes on the other issues of its column.
  it('a quoted board issue made confidential, then another retitled, by webhook: the note follows at once, no sweep', async () => {
    await start('comment');
    const { six, seventh } = await fullColumnAndNewcomer();
    expect(issue(seventh).botNotes[0]!.body).toContain('Initiative 3');
    const sweeps = () =>
      stack.sandbox.requests.filter((r) => r.method === 'GET' && /\/projects\/\d+\/issues$/.test(r.path) && r.query.state === 'opened' && !r.query.labels).length;
    const listsBefore = sweeps();
    await demo.editIssue('alice', 'support-team-meta', six[2]!, { confidential: true });
    await demo.settle();
    let body = issue(seventh).botNotes[0]!.body;
    expect(body).not.toContain('Initiative 3');
    expect(body).toMatch(new RegExp(`\\[#${six[2]}\\]\\([^)]+\\) \\(confidential issue\\)`));
    await demo.editIssue('alice', 'support-team-meta', six[0]!, { title: 'Initiative one, renamed' });
    await demo.settle();
    body = issue(seventh).botNotes[0]!.body;
    expect(body).toContain('Initiative one, renamed');
    expect(issue(seventh).botNotes).toHaveLength(1);
    // The six within the limit have no note, and got none.
    for (const iid of six) expect(issue(iid).botNotes).toEqual([]);
    expect(sweeps()).toBe(listsBefore);
    await expectNoWritesOnReplayAndSweep(stack);
  });

  // Issue 21 case 6: the held-back issue leaves the board; its note stops quoting the board of its day.
  it('comment: the held-back issue taken off the board by webhook: its note says so at once, and names no issue', async () => {
    await start('comment');
    const { seventh } = await fullColumnAndNewcomer();
    expect(issue(seventh).botNotes[0]!.body).toContain('Initiative 3');
    await demo.editIssue('alice', 'support-team-meta', seventh, { remove_labels: [FOCUS] });
    await demo.settle();
    const after = issue(seventh);
    expect(after.botNotes).toHaveLength(1);
    expect(after.botNotes[0]!.body).toContain("This issue is no longer on the ['Active Now' board]");
    expect(after.botNotes[0]!.body).not.toMatch(/Initiative|#\d/);
    await expectNoWritesOnReplayAndSweep(stack);
  });

  it('comment: the held-back issue taken off the board while the webhook was missed: the sweep re-renders its note', async () => {
    await start('comment');
    const { seventh } = await fullColumnAndNewcomer();
    const { store } = stack.sandbox;
    const found = store.getIssue(store.resolveProject(demo.projectPath('support-team-meta'))!.id, seventh)!;
    // Changed in GitLab with no Issue Hook reaching the bot.
    found.labels = found.labels.filter((l) => l !== FOCUS);
    found.updatedAt = store.now();
    expect(issue(seventh).botNotes[0]!.body).toContain('Initiative 3');
    expect((await stack.runtime.bot.runJob('sweep')).writes).toBe(1);
    const body = issue(seventh).botNotes[0]!.body;
    expect(body).toContain("This issue is no longer on the ['Active Now' board]");
    expect(body).not.toMatch(/Initiative|#\d/);
    expect((await stack.runtime.bot.runJob('sweep')).writes).toBe(0);
  });

  it('revert: an issue that has left the board keeps the note saying the bot removed the label', async () => {
    await start('revert');
    const { seventh } = await fullColumnAndNewcomer();
    const note = issue(seventh).botNotes[0]!.body;
    expect(note).toContain('so I removed it from this issue');
    await expectNoWritesOnReplayAndSweep(stack);
    expect(issue(seventh).botNotes[0]!.body).toBe(note);
  });

  it('the sixth issue in a column is welcome: no note, no label change', async () => {
    await start('revert');
    for (let i = 1; i <= 6; i += 1) await demo.openIssue('alice', 'support-team-meta', { title: `Initiative ${i}`, labels: [FOCUS] });
    const before = sandboxWrites(stack);
    await demo.settle();
    expect(sandboxWrites(stack)).toBe(before);
  });
});
