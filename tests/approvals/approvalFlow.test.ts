import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { markerKey } from '../../src/engine/markers.js';
import { ACCESS } from '../../src/sandbox/index.js';
import { approvalArtifact } from '../../src/rules/approvalArtifact.js';
import { defaultConfig } from '../helpers/builders.js';
import { expectNoWritesOnReplayAndSweep, sandboxWrites } from '../helpers/replay.js';

// The approval-artifact rule end to end: real webhooks from the sandbox (open, approval,
// push, comment) reach the bot's server; the bot sets the commit status, the label and one note.

const PROJECT = 'handbook';
const PAGE = 'content/handbook/support/workflows/handover.md';
const { statusName } = defaultConfig.approvals;
let stack: Stack;
let demo: DemoContext;

beforeEach(async () => {
  stack = await startStack({ rules: [approvalArtifact] });
  demo = createDemoContext(stack, 'out', () => {});
});
afterEach(() => stack.close());

function mergeRequest(iid: number) {
  const store = stack.sandbox.store;
  const project = store.resolveProject(demo.projectPath(PROJECT))!;
  const mr = store.getMergeRequest(project.id, iid)!;
  const statuses = store.statuses.filter((s) => s.projectId === project.id && s.sha === mr.sha && s.name === statusName);
  const botNotes = store.listNotes(mr).filter((n) => markerKey(n.body) === 'approval-artifact');
  return { mr, status: statuses.at(-1)?.state, statuses, botNotes };
}

async function openChange(paths: Record<string, string> = { [PAGE]: '# Handover\n' }) {
  await demo.pushFiles('bruno', PROJECT, 'handover', paths, 'Document the handover');
  const iid = await demo.openMergeRequest('bruno', PROJECT, { sourceBranch: 'handover', title: 'Document the handover' });
  await demo.settle();
  return iid;
}

describe('approval artifacts over webhooks', () => {
  it('goes failed → success when a manager approves, editing one note, and failed again after a push resets the approval', async () => {
    const iid = await openChange();
    let state = mergeRequest(iid);
    expect(state.status).toBe('failed');
    expect(state.mr.labels).toContain('approval::missing');
    expect(state.botNotes).toHaveLength(1);
    expect(state.botNotes[0]!.body).toContain('maria-manager');

    await demo.approveMergeRequest('chen', PROJECT, iid);
    await demo.settle();
    expect(mergeRequest(iid).status).toBe('failed');

    await demo.approveMergeRequest('maria-manager', PROJECT, iid);
    await demo.settle();
    state = mergeRequest(iid);
    expect(state.status).toBe('success');
    expect(state.mr.labels).toEqual(expect.arrayContaining(['approval::present']));
    expect(state.mr.labels).not.toContain('approval::missing');
    expect(state.botNotes).toHaveLength(1);
    expect(state.botNotes[0]!.body).toMatch(/Approval artifact found: GitLab approval by maria-manager/);

    await demo.pushFiles('bruno', PROJECT, 'handover', { [PAGE]: '# Handover\n\nMore.\n' }, 'More detail');
    await demo.settle();
    state = mergeRequest(iid);
    // A new head: GitLab reset the approval, the status on the new commit is failed.
    expect(state.status).toBe('failed');
    expect(state.botNotes).toHaveLength(1);

    await demo.commentOnMergeRequest('maria-manager', PROJECT, iid, 'LGTM');
    await demo.settle();
    expect(mergeRequest(iid).status).toBe('success');

    await expectNoWritesOnReplayAndSweep(stack);
  });

  it('Premium: an approval still listed in the ten seconds before GitLab resets it does not count after a push, and the system "unapproved" hook re-runs the rule', async () => {
    const iid = await openChange();
    await demo.approveMergeRequest('maria-manager', PROJECT, iid);
    await demo.settle();
    expect(mergeRequest(iid).status).toBe('success');
    await demo.pushFiles('bruno', PROJECT, 'handover', { [PAGE]: '# Handover\n\nMore.\n' }, 'More detail');
    await demo.settle();
    let state = mergeRequest(iid);
    // GitLab has not reset it yet: approved_by still lists maria-manager, given before the push.
    expect(state.mr.approvedBy).toHaveLength(1);
    expect(state.status).toBe('failed');
    expect(state.botNotes[0]!.body).toMatch(/given before the latest push/);
    const approvalReads = () => stack.sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/merge_requests/${iid}/approvals`)).length;
    const readsBefore = approvalReads();
    expect(stack.sandbox.runDelayedJobs()).toBe(1);
    await demo.settle();
    state = mergeRequest(iid);
    expect(state.mr.approvedBy).toHaveLength(0);
    expect(approvalReads()).toBeGreaterThan(readsBefore);
    expect(state.status).toBe('failed');
    // The note no longer lists an approval GitLab has dropped.
    expect(state.botNotes).toHaveLength(1);
    expect(state.botNotes[0]!.body).not.toMatch(/given before the latest push/);
  });

  it("does not count a manager's comment that a Maintainer edited into an approval (GraphQL lastEditedBy), and counts it once the manager edits it", async () => {
    const iid = await openChange();
    const store = stack.sandbox.store;
    const project = store.resolveProject(demo.projectPath(PROJECT))!;
    store.addProjectMember(project.id, store.findUserByUsername('chen')!.id, ACCESS.maintainer);
    await demo.commentOnMergeRequest('maria-manager', PROJECT, iid, 'Thanks, will look.');
    await demo.settle();
    const note = store.listNotes(mergeRequest(iid).mr).find((n) => n.body === 'Thanks, will look.')!;
    const edit = (username: string, body: string) =>
      fetch(`${stack.sandbox.url}/api/v4/projects/${project.id}/merge_requests/${iid}/notes/${note.id}`, {
        method: 'PUT',
        headers: { 'PRIVATE-TOKEN': stack.tokenFor(username), 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });
    expect((await edit('chen', 'LGTM')).status).toBe(200);
    await demo.settle();
    let state = mergeRequest(iid);
    expect(state.status).toBe('failed');
    expect(state.botNotes[0]!.body).toMatch(/last edited by chen, not its author\), so the edited comment could not be verified/);
    expect(stack.sandbox.requests.some((r) => r.method === 'POST' && r.path === '/api/graphql')).toBe(true);

    expect((await edit('maria-manager', 'LGTM, thanks.')).status).toBe(200);
    await demo.settle();
    state = mergeRequest(iid);
    expect(state.status).toBe('success');
    expect(state.botNotes[0]!.body).toMatch(/Approval artifact found: approving comment by maria-manager/);
  });

  it('turns success when a manager reacts :thumbsup: (Emoji Hook), and failed again when the reaction is taken back', async () => {
    const iid = await openChange();
    expect(mergeRequest(iid).status).toBe('failed');

    await demo.awardMergeRequest('maria-manager', PROJECT, iid, 'thumbsup');
    await demo.settle();
    let state = mergeRequest(iid);
    expect(state.status).toBe('success');
    expect(state.mr.labels).toContain('approval::present');
    expect(state.botNotes).toHaveLength(1);
    expect(state.botNotes[0]!.body).toMatch(/Approval artifact found: approving award emoji by maria-manager/);

    const store = stack.sandbox.store;
    const award = store.listAwards(state.mr).find((a) => a.name === 'thumbsup')!;
    const project = store.resolveProject(demo.projectPath(PROJECT))!;
    const res = await fetch(`${stack.sandbox.url}/api/v4/projects/${project.id}/merge_requests/${iid}/award_emoji/${award.id}`, {
      method: 'DELETE',
      headers: { 'PRIVATE-TOKEN': stack.tokenFor('maria-manager') },
    });
    expect(res.status).toBe(204);
    await demo.settle();
    state = mergeRequest(iid);
    expect(state.status).toBe('failed');
    expect(state.mr.labels).toContain('approval::missing');
    expect(state.botNotes).toHaveLength(1);

    await expectNoWritesOnReplayAndSweep(stack);
  });

  /** A manager's comment on a support-team-meta issue, and the merge request's description linking it (an update hook). */
  async function linkApproval(iid: number, comment: string, issue: { confidential?: boolean } = {}) {
    const store = stack.sandbox.store;
    const meta = store.resolveProject(demo.projectPath('support-team-meta'))!;
    const issueIid = await demo.openIssue('bruno', 'support-team-meta', { title: 'Proposal: document the handover', description: 'Shall we?', ...issue });
    await demo.comment('maria-manager', 'support-team-meta', issueIid, comment);
    const note = store.listNotes(store.getIssue(meta.id, issueIid)!).at(-1)!;
    const link = `${stack.sandbox.url}/${meta.pathWithNamespace}/-/issues/${issueIid}#note_${note.id}`;
    const project = store.resolveProject(demo.projectPath(PROJECT))!;
    const res = await fetch(`${stack.sandbox.url}/api/v4/projects/${project.id}/merge_requests/${iid}`, {
      method: 'PUT',
      headers: { 'PRIVATE-TOKEN': stack.tokenFor('bruno'), 'content-type': 'application/json' },
      body: JSON.stringify({ description: `Approved here: ${link}` }),
    });
    expect(res.status).toBe(200);
    await demo.settle();
    return link;
  }

  it('counts a link to an approving comment on an issue that names this merge request, read through the API', async () => {
    const iid = await openChange();
    const webUrl = (await (
      await fetch(`${stack.sandbox.url}/api/v4/projects/${mergeRequest(iid).mr.projectId}/merge_requests/${iid}`, { headers: { 'PRIVATE-TOKEN': stack.tokenFor('bruno') } })
    ).json()) as { web_url: string };
    const link = await linkApproval(iid, `Approved, go ahead with ${webUrl.web_url}`);
    const state = mergeRequest(iid);
    expect(state.status).toBe('success');
    expect(state.statuses.at(-1)!.targetUrl).toBe(link);
  });

  it('does not count a linked approving comment that names no merge request, nor one on a confidential issue', async () => {
    const iid = await openChange();
    const project = demo.projectPath(PROJECT);
    await linkApproval(iid, 'Approved, go ahead.');
    expect(mergeRequest(iid).status).toBe('failed');
    await linkApproval(iid, `Approved, go ahead with ${project}!${iid}`, { confidential: true });
    const state = mergeRequest(iid);
    expect(state.status).toBe('failed');
    expect(state.botNotes[0]!.body).toContain('that names this merge request and that everyone who reads it can read');
  });

  it("never counts the bot's own note, which quotes the approving phrases, even with the bot among the approvers", async () => {
    await stack.close();
    const base = stack.runtime.loaded;
    const loaded = { ...base, config: { ...base.config, approvals: { ...base.config.approvals, approverUsernames: ['support-bot'] } } };
    stack = await startStack({ rules: [approvalArtifact], loaded });
    demo = createDemoContext(stack, 'out', () => {});
    const iid = await openChange();
    expect(mergeRequest(iid).botNotes[0]!.body).toMatch(/LGTM/);
    await demo.commentOnMergeRequest('chen', PROJECT, iid, 'Looks fine to me, but I cannot approve it.');
    await demo.settle();
    // Counted, the note's "LGTM" by an eligible @support-bot would have turned the status to success.
    expect(mergeRequest(iid).status).toBe('failed');
    expect(mergeRequest(iid).botNotes[0]!.body).not.toMatch(/Approval artifact found/);
  });

  it('never calls another host for a link there', async () => {
    await demo.pushFiles('bruno', PROJECT, 'handover', { [PAGE]: '# Handover\n' }, 'Document the handover');
    const before = stack.sandbox.requests.length;
    const iid = await demo.openMergeRequest('bruno', PROJECT, { sourceBranch: 'handover', title: 'x', description: 'Approved at http://127.0.0.2:9/g/p/-/issues/1#note_5' });
    await demo.settle();
    const state = mergeRequest(iid);
    expect(state.status).toBe('failed');
    expect(state.botNotes[0]!.body).toMatch(/another host/);
    // Every request the bot made went to the sandbox; none asked for a note by that id.
    expect(stack.sandbox.requests.slice(before).some((r) => r.path.endsWith('/notes/5'))).toBe(false);
  });

  // Issue 20, large merge requests: GitLab lists at most 1,000 changed files; the raw diff
  // (GET …/raw_diffs, not cut by the diff limits) is the read that proves what is in scope.
  const thousandAssets = () => Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`assets/${String(i).padStart(4, '0')}.txt`, 'x\n']));
  const rawDiffReads = (from: number) => stack.sandbox.requests.slice(from).filter((r) => r.method === 'GET' && r.path.endsWith('/raw_diffs'));

  it('finds an in-scope page that sorts after the 1,000 files GitLab lists, in the raw diff, and names it', async () => {
    const before = stack.sandbox.requests.length;
    // "content/…" sorts after "assets/…": GitLab's list stops before it.
    const iid = await openChange({ ...thousandAssets(), [PAGE]: '# Handover\n' });
    const state = mergeRequest(iid);
    expect(state.mr.changes).toHaveLength(1001);
    expect(state.status).toBe('failed');
    expect(state.mr.labels).toContain('approval::missing');
    expect(state.botNotes[0]!.body).toContain(PAGE);
    expect(state.botNotes[0]!.body).not.toMatch(/cannot be ruled out/);
    expect(rawDiffReads(before).length).toBeGreaterThan(0);
  });

  it('leaves a merge request over the diff limits alone when its raw diff proves no path is in scope: no status, no label', async () => {
    const before = stack.sandbox.requests.length;
    const iid = await openChange({ ...thousandAssets(), 'assets/zzzz.txt': 'x\n' });
    const state = mergeRequest(iid);
    expect(state.mr.changes).toHaveLength(1001);
    expect(state.status).toBeUndefined();
    expect(state.mr.labels).toEqual([]);
    expect(state.botNotes).toEqual([]);
    expect(rawDiffReads(before).length).toBeGreaterThan(0);
  });

  it('keeps it in scope when the raw diff cannot be read (a GitLab before 17.9 answers 404): never waved through', async () => {
    stack.sandbox.faults.failNext(10, 404, { methods: ['GET'], pathPattern: /\/raw_diffs$/ });
    const iid = await openChange({ ...thousandAssets(), 'assets/zzzz.txt': 'x\n' });
    const state = mergeRequest(iid);
    expect(state.status).toBe('failed');
    expect(state.mr.labels).toContain('approval::missing');
    expect(state.botNotes[0]!.body).toMatch(/GitLab lists only part of its changed files \(diff limits\), so a path in scope cannot be ruled out/);
  });

  it('leaves a merge request out of scope alone: zero writes', async () => {
    const before = sandboxWrites(stack);
    await demo.pushFiles('bruno', PROJECT, 'readme', { 'README.md': '# Handbook\n' }, 'Touch the README');
    const writesByPush = sandboxWrites(stack) - before;
    const iid = await demo.openMergeRequest('bruno', PROJECT, { sourceBranch: 'readme', title: 'README' });
    await demo.settle();
    expect(sandboxWrites(stack) - before).toBe(writesByPush + 1);
    expect(mergeRequest(iid).status).toBeUndefined();
    expect(mergeRequest(iid).mr.labels).toEqual([]);
  });

  it("reports the fact that failed as the rule's error, in the log and in /metrics", async () => {
    await stack.close();
    const base = stack.runtime.loaded;
    const loaded = { ...base, config: { ...base.config, approvals: { ...base.config.approvals, approverGroups: ['no-such/group'] } } };
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    stack = await startStack({ rules: [approvalArtifact], loaded, log: pino({ level: 'info' }, sink) });
    demo = createDemoContext(stack, 'out', () => {});
    const iid = await openChange();
    expect(mergeRequest(iid).status).toBeUndefined();
    const warning = lines.map((l) => JSON.parse(l) as { level: number; rule?: string; reason?: string }).find((l) => l.level === 40 && l.rule === 'approval-artifact');
    expect(warning?.reason).toMatch(/fact "approvalEvidence" could not be loaded: .*404/);
    const metrics = await (await fetch(`${stack.webhookUrl.replace(/\/webhook$/, '')}/metrics`)).text();
    expect(metrics).toMatch(/support_bot_rule_outcomes_total\{rule="approval-artifact",outcome="error"\} [1-9]/);
  });
});
