import { describe, expect, it } from 'vitest';
import type { LinkedPlace, NoteLink } from '../../src/approvals/links.js';
import type { ApprovalEvidence } from '../../src/facts/index.js';
import type { MergeRequest, Note, UserRef } from '../../src/gitlab/types.js';
import type { Action } from '../../src/rules/actions.js';
import { approvalArtifact, LINKED_NOT_COUNTED } from '../../src/rules/approvalArtifact.js';
import { buildContext, buildMergeRequestSubject, buildNote, defaultConfig, evaluate, runs } from '../helpers/builders.js';

const { approvalPresent, approvalMissing } = defaultConfig.labels;
const MANAGER = { id: 30, username: 'maria-manager' };
const OTHER_MANAGER = { id: 31, username: 'mo-manager' };
const ENGINEER = { id: 40, username: 'bruno' };
const AUTHOR = { id: 12, username: 'carol' };
const MR_URL = 'https://gitlab.example.com/gitlab-com/support/internal-requests/-/merge_requests/7';

type InScope = Extract<ApprovalEvidence, { inScope: true }>;

function evidence(overrides: Partial<InScope> = {}): InScope {
  return {
    inScope: true,
    matchedPaths: ['.gitlab/issue_templates/Contact Request.md'],
    listIncomplete: false,
    eligible: new Set([MANAGER.username, OTHER_MANAGER.username, AUTHOR.username]),
    approvedBy: [],
    approvedAt: new Map(),
    latestPushAt: null,
    awards: [],
    comments: [],
    linkedNotes: [],
    editors: new Map(),
    otherHostLinks: [],
    externalLinks: [],
    ...overrides,
  };
}

function plan(facts: ApprovalEvidence, mr: Partial<MergeRequest> = {}, config = defaultConfig): Action[] {
  const subject = buildMergeRequestSubject('internal-requests', { iid: 7, author: AUTHOR, webUrl: MR_URL, ...mr });
  return evaluate(approvalArtifact, subject, buildContext({ config, facts: { approvalEvidence: facts } })).map((r) => r.action);
}

const statusOf = (actions: Action[]) => {
  const status = actions.find((a) => a.type === 'setCommitStatus');
  return status?.type === 'setCommitStatus' ? status : undefined;
};
const noteOf = (actions: Action[]) => {
  const note = actions.find((a) => a.type === 'upsertNote');
  return note?.type === 'upsertNote' ? note : undefined;
};
const comment = (author: UserRef, body: string) => buildNote({ author, body });
const META_LINK = {
  url: 'https://gitlab.example.com/gitlab-com/support/support-team-meta/-/issues/3#note_9',
  projectPath: 'gitlab-com/support/support-team-meta',
  kind: 'issue' as const,
  iid: 3,
  noteId: 9,
};
const PUBLIC_ISSUE: LinkedPlace = { projectId: 2, projectVisibility: 'public', confidential: false };
const linked = (note: Note, link: NoteLink = META_LINK, place: LinkedPlace = PUBLIC_ISSUE) => ({ link, note, place });
const NAMES_MR = 'gitlab-com/support/internal-requests!7';

describe('approval-artifact: what counts', () => {
  it.each<[string, Partial<InScope>]>([
    ['a GitLab approval by an eligible approver', { approvedBy: [MANAGER] }],
    ['an approving comment', { comments: [comment(MANAGER, 'Approved, thanks!')] }],
    ['"LGTM" in any case', { comments: [comment(MANAGER, 'lgtm 🎉')] }],
    ['a thumbs-up on the merge request', { awards: [{ id: 1, name: 'thumbsup', user: MANAGER }] }],
    [
      'a link to an approving GitLab comment',
      {
        linkedNotes: [linked(comment(MANAGER, `I approve this change (${NAMES_MR}).`))],
      },
    ],
  ])('%s: status success, approval::present', (_name, found) => {
    const actions = plan(evidence(found));
    expect(statusOf(actions)).toMatchObject({ state: 'success', name: 'support-bot/approval-artifact', sha: 'abc123' });
    expect(actions).toContainEqual({ type: 'addLabels', labels: [approvalPresent] });
    expect(actions).toContainEqual({ type: 'removeLabels', labels: [approvalMissing] });
    // The note that asked is edited; none is created for a merge request approved before the bot asked.
    expect(noteOf(actions)).toMatchObject({ onlyIfExists: true });
  });

  it('names the artifact, the approver and the link in the status', () => {
    const status = statusOf(plan(evidence({ comments: [comment(MANAGER, 'LGTM')] })))!;
    expect(status.description).toBe('Approval artifact: approving comment by maria-manager');
    expect(status.targetUrl).toMatch(new RegExp(`^${MR_URL}#note_\\d+$`));
  });

  it.each<[string, Partial<InScope>, RegExp]>([
    ['self-approval (GitLab approval by the author)', { approvedBy: [AUTHOR] }, /carol is the author/],
    ['self-approval (comment by the author)', { comments: [comment(AUTHOR, 'approved')] }, /carol is the author/],
    ['an approver who is not eligible', { approvedBy: [ENGINEER], comments: [comment(ENGINEER, 'LGTM')] }, /bruno is not an eligible approver/],
    [
      'an approving word inside a negation',
      { comments: [comment(MANAGER, 'Not approved yet: the Message section needs work.')] },
      /#note_\d+: it is negated, so it is not an approval/,
    ],
    ['an approver whose account is blocked', { approvedBy: [{ ...MANAGER, state: 'blocked' }] }, /maria-manager's account is blocked/],
    ['an approver whose account is banned (a comment)', { comments: [comment({ ...MANAGER, state: 'banned' }, 'LGTM')] }, /maria-manager's account is banned/],
    [
      'an approver whose account is deactivated (an award emoji)',
      { awards: [{ id: 1, name: 'thumbsup', user: { ...MANAGER, state: 'deactivated' } }] },
      /maria-manager's account is deactivated/,
    ],
    [
      'an approval given before the latest push',
      { approvedBy: [MANAGER], approvedAt: new Map([[MANAGER.username, new Date('2026-11-01T10:00:00Z')]]), latestPushAt: new Date('2026-11-02T10:00:00Z') },
      /given before the latest push/,
    ],
    [
      'a comment given before the latest push',
      { comments: [{ ...comment(MANAGER, 'LGTM'), createdAt: new Date('2026-11-01T10:00:00Z') }], latestPushAt: new Date('2026-11-02T10:00:00Z') },
      /given before the latest push/,
    ],
    ['a thumbs-down', { awards: [{ id: 1, name: 'thumbsdown', user: MANAGER }] }, /eligible approver/],
    [
      'a linked comment that does not approve',
      {
        linkedNotes: [linked(comment(MANAGER, `Please hold off ${NAMES_MR}.`))],
      },
      /not an approving comment by an eligible approver other than the author that names this merge request/,
    ],
    [
      'a linked comment that cannot be read',
      { linkedNotes: [{ link: { url: 'https://gitlab.example.com/g/p/-/issues/3#note_9', projectPath: 'g/p', kind: 'issue', iid: 3, noteId: 9 }, note: null }] },
      /not an approving comment by an eligible approver other than the author that names this merge request/,
    ],
    ['a link to a comment on another host', { otherHostLinks: ['https://gitlab.other.org/g/p/-/issues/1#note_2'] }, /another host, which the bot does not call/],
    ['a chat permalink while external links are not allowed', { externalLinks: ['https://acme.slack.com/archives/C1/p2'] }, /approvals\.allowExternalLinks/],
  ])('%s does not count: status failed, approval::missing, one note saying why', (_name, found, why) => {
    const actions = plan(evidence(found));
    expect(statusOf(actions)).toMatchObject({ state: 'failed' });
    expect(actions).toContainEqual({ type: 'addLabels', labels: [approvalMissing] });
    const note = noteOf(actions)!;
    expect(note.onlyIfExists).toBeUndefined();
    expect(note.body).toMatch(why);
    expect(note.body).toContain('maria-manager');
  });

  it("an approval reset by a new commit is gone from GitLab's list, so it no longer counts", () => {
    // Before the push: approved; after it GitLab's approvals list is empty again.
    expect(statusOf(plan(evidence({ approvedBy: [MANAGER] })))?.state).toBe('success');
    expect(statusOf(plan(evidence({ approvedBy: [] })))?.state).toBe('failed');
  });

  it('says the same about every linked comment that does not count, so a confidential one cannot be probed', () => {
    const link = { url: 'https://gitlab.example.com/g/private/-/issues/3#note_9', projectPath: 'g/private', kind: 'issue' as const, iid: 3, noteId: 9 };
    const reasons = [null, comment(MANAGER, 'Please hold off.'), comment(AUTHOR, 'approved'), comment(ENGINEER, 'LGTM')].map((note) => {
      const body = noteOf(plan(evidence({ linkedNotes: [note ? linked(note, link) : { link, note }] })))!.body;
      return body.slice(body.indexOf('Not counted'));
    });
    expect(new Set(reasons).size).toBe(1);
    expect(reasons[0]).toContain(LINKED_NOT_COUNTED);
  });

  it('never names the author or repeats the text of a linked comment (it may be on a confidential issue)', () => {
    const secretive = comment({ id: 77, username: 'hidden-person' }, 'Confidential customer ACME: approve');
    const actions = plan(evidence({ linkedNotes: [linked(secretive)] }));
    const texts = JSON.stringify(actions);
    expect(texts).not.toContain('hidden-person');
    expect(texts).not.toContain('ACME');
  });

  it('counts an allowed chat permalink as an unverified artifact', () => {
    const config = { ...defaultConfig, approvals: { ...defaultConfig.approvals, allowExternalLinks: true } };
    const actions = plan(evidence({ externalLinks: ['https://acme.slack.com/archives/C1/p2'] }), {}, config);
    expect(statusOf(actions)).toMatchObject({ state: 'success', targetUrl: 'https://acme.slack.com/archives/C1/p2' });
    expect(statusOf(actions)!.description).toMatch(/unverified/);
    expect(noteOf(actions)!.body).toMatch(/not verified/);
  });

  it('prefers a verified artifact over an unverified one', () => {
    const config = { ...defaultConfig, approvals: { ...defaultConfig.approvals, allowExternalLinks: true } };
    const actions = plan(evidence({ externalLinks: ['https://acme.slack.com/archives/C1/p2'], awards: [{ id: 1, name: 'thumbsup', user: MANAGER }] }), {}, config);
    expect(statusOf(actions)!.description).toBe('Approval artifact: approving award emoji by maria-manager');
  });
});

describe('approval-artifact: scope and state', () => {
  it('leaves a merge request out of scope alone: no action at all', () => {
    expect(plan({ inScope: false, changedPaths: 3 })).toEqual([]);
  });

  it('takes its label off, and edits its note, when a push drops the scoped files', () => {
    for (const label of [approvalMissing, approvalPresent]) {
      const actions = plan({ inScope: false, changedPaths: 1 }, { labels: [label, 'docs'] });
      expect(actions).toContainEqual({ type: 'removeLabels', labels: [approvalMissing, approvalPresent] });
      expect(noteOf(actions)).toMatchObject({ onlyIfExists: true, body: expect.stringMatching(/no longer changes/) });
      expect(statusOf(actions)).toBeUndefined();
    }
  });

  it('checks a draft merge request and says "draft"', () => {
    const actions = plan(evidence(), { draft: true });
    expect(statusOf(actions)!.description).toMatch(/^Draft: No approval artifact yet/);
    expect(noteOf(actions)!.body).toMatch(/^This draft changes/);
  });

  it('does not run on merged or closed merge requests, or in projects without a scope', () => {
    const ctx = buildContext({ facts: { approvalEvidence: evidence() } });
    expect(runs(approvalArtifact, buildMergeRequestSubject('internal-requests', { state: 'merged' }), ctx)).toBe(false);
    const noScope = { ...defaultConfig, approvals: { ...defaultConfig.approvals, scope: [{ project: 'feedback', paths: ['**'] }] } };
    expect(runs(approvalArtifact, buildMergeRequestSubject('internal-requests'), buildContext({ config: noScope }))).toBe(false);
  });

  it('without a head commit (GitLab\'s "sha": null) sets no status but still labels and notes', () => {
    const missing = plan(evidence(), { sha: '' });
    expect(statusOf(missing)).toBeUndefined();
    expect(missing).toContainEqual({ type: 'addLabels', labels: [approvalMissing] });
    expect(noteOf(missing)).toBeDefined();
    const present = plan(evidence({ approvedBy: [MANAGER] }), { sha: '' });
    expect(statusOf(present)).toBeUndefined();
    expect(present).toContainEqual({ type: 'addLabels', labels: [approvalPresent] });
  });

  it("keeps the commit status description within GitLab's 255 characters", () => {
    const many = new Set(Array.from({ length: 60 }, (_, i) => `manager-with-a-long-name-${i}`));
    expect(statusOf(plan(evidence({ eligible: many })))!.description.length).toBeLessThanOrEqual(255);
  });

  it('declares its one needed fact and the events it runs on', () => {
    expect(approvalArtifact.needs).toEqual(['approvalEvidence']);
    expect(approvalArtifact.runsOn.events['merge_request.update']).toEqual(['commits', 'description', 'title', 'draft', 'labels']);
    expect(Object.keys(approvalArtifact.runsOn.events)).toEqual(expect.arrayContaining(['merge_request.approved', 'merge_request.unapproved', 'note.merge_request']));
  });
});

describe('approval-artifact: who is named, and where the status goes', () => {
  it('names the eligible approvers without @ by default, and mentions them with approvals.mentionApprovers', () => {
    const quiet = noteOf(plan(evidence()))!;
    expect(quiet.body).toContain('maria-manager');
    expect(quiet.body).not.toMatch(/@maria-manager|@mo-manager/);
    const loud = noteOf(plan(evidence(), {}, { ...defaultConfig, approvals: { ...defaultConfig.approvals, mentionApprovers: true } }))!;
    expect(loud.body).toContain('@maria-manager');
  });

  it('counts an approval given before the latest push when approvals.resetOnPush is off', () => {
    const stale = evidence({ approvedBy: [MANAGER], approvedAt: new Map([[MANAGER.username, new Date('2026-11-01T10:00:00Z')]]), latestPushAt: new Date('2026-11-02T10:00:00Z') });
    expect(statusOf(plan(stale))!.state).toBe('failed');
    expect(statusOf(plan(stale, {}, { ...defaultConfig, approvals: { ...defaultConfig.approvals, resetOnPush: false } }))!.state).toBe('success');
  });

  it.each<[string, { lastEditedBy: string | null } | null, 'success' | 'failed']>([
    ['touched but never edited (lastEditedBy null: a resolved thread)', { lastEditedBy: null }, 'success'],
    ['edited by its author', { lastEditedBy: MANAGER.username }, 'success'],
    ['edited by a Maintainer who is not its author', { lastEditedBy: ENGINEER.username }, 'failed'],
    ['edited by a ghost (the editor was deleted)', { lastEditedBy: 'ghost' }, 'failed'],
    ['edited, and GitLab would not say by whom (GraphQL answered no note)', null, 'failed'],
  ])('an approving comment changed after posting, %s: %s', (_name, editor, state) => {
    const approving = comment(MANAGER, `LGTM ${MR_URL}`);
    const editors = new Map([[approving.id, editor && { author: MANAGER.username, ...editor }]]);
    const actions = plan(evidence({ comments: [approving], editors }));
    expect(statusOf(actions)!.state).toBe(state);
    if (state === 'failed') expect(noteOf(actions)!.body).toMatch(/it was edited after it was posted \(.*\), so the edited comment could not be verified/);
    // The same for a linked comment, whose reason stays the one for every linked comment.
    expect(statusOf(plan(evidence({ linkedNotes: [linked(approving)], editors })))!.state).toBe(state);
  });

  const OTHER_MR_LINK = { ...META_LINK, url: 'https://gitlab.example.com/gitlab-com/support/support-team-meta/-/merge_requests/3#note_9', kind: 'merge_request' as const };
  it.each<[string, Note, NoteLink, LinkedPlace, 'success' | 'failed']>([
    ['names this merge request by URL', comment(MANAGER, `Approved: ${MR_URL}`), META_LINK, PUBLIC_ISSUE, 'success'],
    ['names it by full reference', comment(MANAGER, `LGTM for ${NAMES_MR}`), META_LINK, PUBLIC_ISSUE, 'success'],
    ['names it by !iid in the same project', comment(MANAGER, 'Approved !7'), META_LINK, { ...PUBLIC_ISSUE, projectId: 1 }, 'success'],
    ['names no merge request', comment(MANAGER, 'Approved, go ahead.'), META_LINK, PUBLIC_ISSUE, 'failed'],
    ['names another merge request (!70)', comment(MANAGER, 'Approved gitlab-com/support/internal-requests!70'), META_LINK, PUBLIC_ISSUE, 'failed'],
    ['names !7 of another project', comment(MANAGER, 'Approved !7'), META_LINK, PUBLIC_ISSUE, 'failed'],
    ['on a confidential issue', comment(MANAGER, `Approved ${MR_URL}`), META_LINK, { ...PUBLIC_ISSUE, confidential: true }, 'failed'],
    ['an internal note', { ...comment(MANAGER, `Approved ${MR_URL}`), internal: true }, META_LINK, PUBLIC_ISSUE, 'failed'],
    ['on another merge request', comment(MANAGER, `Approved ${MR_URL}`), OTHER_MR_LINK, PUBLIC_ISSUE, 'failed'],
    ['in another private project', comment(MANAGER, `Approved ${MR_URL}`), META_LINK, { ...PUBLIC_ISSUE, projectVisibility: 'private' }, 'failed'],
  ])('a linked approving comment that %s: %s', (_name, note, link, place, state) => {
    expect(statusOf(plan(evidence({ linkedNotes: [linked(note, link, place)] })))!.state).toBe(state);
  });

  it("a linked comment in a project less visible than the merge request's does not count; as visible or more does", () => {
    const note = comment(MANAGER, `Approved ${MR_URL}`);
    const onPublic = (visibility: LinkedPlace['projectVisibility']) =>
      statusOf(
        evaluate(
          approvalArtifact,
          buildMergeRequestSubject('internal-requests', { iid: 7, author: AUTHOR, webUrl: MR_URL }, { visibility: 'public' }),
          buildContext({ facts: { approvalEvidence: evidence({ linkedNotes: [linked(note, META_LINK, { ...PUBLIC_ISSUE, projectVisibility: visibility })] }) } }),
        ).map((r) => r.action),
      )!.state;
    expect([onPublic('internal'), onPublic('public')]).toEqual(['failed', 'success']);
  });

  it('sends the source branch as the status ref, and for a fork the merge request ref (Ci::CreateCommitStatusService answers 404 without one when no branch holds the commit)', () => {
    expect(statusOf(plan(evidence(), { projectId: 5, sourceProjectId: 5, sourceBranch: 'handover' }))!.ref).toBe('handover');
    expect(statusOf(plan(evidence(), { projectId: 5, sourceProjectId: 77, sourceBranch: 'handover' }))!.ref).toBe('refs/merge-requests/7/head');
  });
});
