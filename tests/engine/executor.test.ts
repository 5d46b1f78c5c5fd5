import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/engine/changes.js';
import { WriteBudget } from '../../src/engine/budget.js';
import { checkApplied, Executor, type ExecutorDeps } from '../../src/engine/executor.js';
import { withMarker } from '../../src/engine/markers.js';
import { DryRunWriter } from '../../src/engine/writer.js';
import { GitLabError } from '../../src/gitlab/errors.js';
import type { CommitStatus, CommitStatusInput, Issue, IssueUpdate, MergeRequest, MergeRequestUpdate, Note, NoteableRef, UserDetails } from '../../src/gitlab/types.js';
import { silentLogger } from '../../src/logger.js';
import type { Subject } from '../../src/subjects.js';
import { buildIssue, buildMergeRequest, buildNote, buildScope } from '../helpers/builders.js';
import { gitlabPort } from '../helpers/gitlabPort.js';

const bot = { id: 2, username: 'support-bot' };

/** An in-memory GitLab for one issue or merge request: records writes, can fail note creation after saving it. */
class FakeGitLab {
  notes: Note[] = [];
  statuses: CommitStatus[] = [];
  calls: string[] = [];
  failCreateAfterSaving = 0;
  failCreateBeforeSaving = 0;
  callTimes: number[] = [];
  constructor(
    public issue: Issue,
    public mergeRequest: MergeRequest = buildMergeRequest(),
  ) {}

  async *listNotes(_ref: NoteableRef): AsyncIterable<Note> {
    this.calls.push('listNotes');
    yield* [...this.notes];
  }
  async *listIssues(): AsyncIterable<Issue> {
    this.calls.push('listIssues');
    yield this.issue;
  }
  async createIssue(): Promise<never> {
    throw new Error('FakeGitLab holds one issue');
  }
  failRename = false;
  async renameUser(userId: number, username: string): Promise<UserDetails> {
    this.calls.push(`renameUser ${userId} ${username}`);
    if (this.failRename) throw new GitLabError('PUT users → 403', 'PUT', `users/${userId}`, 403);
    return { id: userId, username, state: 'active' };
  }
  async *listAwardEmoji(): AsyncIterable<never> {}
  async *listCommitStatuses(_p: number, sha: string): AsyncIterable<CommitStatus> {
    this.calls.push(`listCommitStatuses ${sha}`);
    yield* [...this.statuses].reverse();
  }
  async updateIssue(_p: number, _i: number, update: IssueUpdate): Promise<Issue> {
    this.calls.push(`updateIssue ${JSON.stringify(update)}`);
    const remove = new Set(update.removeLabels ?? []);
    this.issue = { ...this.issue, labels: [...this.issue.labels.filter((l) => !remove.has(l)), ...(update.addLabels ?? [])] };
    if (update.confidential !== undefined) this.issue.confidential = update.confidential;
    if (update.description !== undefined) this.issue.description = update.description;
    return this.issue;
  }
  async updateMergeRequest(_p: number, _i: number, update: MergeRequestUpdate): Promise<MergeRequest> {
    this.calls.push(`updateMergeRequest ${JSON.stringify(update)}`);
    const remove = new Set(update.removeLabels ?? []);
    this.mergeRequest = { ...this.mergeRequest, labels: [...this.mergeRequest.labels.filter((l) => !remove.has(l)), ...(update.addLabels ?? [])] };
    return this.mergeRequest;
  }
  async setCommitStatus(_p: number, status: CommitStatusInput): Promise<void> {
    this.calls.push(`setCommitStatus ${status.state}`);
    this.statuses.push({
      id: this.statuses.length + 1,
      name: status.name,
      status: status.state,
      description: status.description ?? null,
      targetUrl: status.targetUrl ?? null,
      createdAt: new Date(Date.UTC(2026, 10, 16, 9, this.statuses.length)),
    });
  }
  async createNote(_ref: NoteableRef, body: string): Promise<Note> {
    this.calls.push('createNote');
    this.callTimes.push(performance.now());
    if (this.failCreateBeforeSaving > 0) {
      this.failCreateBeforeSaving -= 1;
      throw new GitLabError('POST notes → 502', 'POST', 'projects/1/issues/1/notes', 502);
    }
    const note = buildNote({ body, author: bot });
    this.notes.push(note);
    if (this.failCreateAfterSaving > 0) {
      this.failCreateAfterSaving -= 1;
      throw new GitLabError('POST notes → 500', 'POST', 'projects/1/issues/1/notes', 500);
    }
    return note;
  }
  async updateNote(_ref: NoteableRef, noteId: number, body: string): Promise<Note> {
    this.calls.push('updateNote');
    const note = this.notes.find((n) => n.id === noteId)!;
    note.body = body;
    return note;
  }
  async deleteNote(_ref: NoteableRef, noteId: number): Promise<void> {
    this.calls.push(`deleteNote ${noteId}`);
    this.notes = this.notes.filter((n) => n.id !== noteId);
  }
}

function executorFor(gitlab: FakeGitLab, overrides: Partial<ExecutorDeps> = {}) {
  return new Executor({
    reader: gitlab,
    writer: gitlabPort(gitlab),
    bot: async () => bot,
    budget: new WriteBudget(),
    log: silentLogger,
    retry: { retries: 5, baseMs: 1, maxMs: 5 },
    ...overrides,
  });
}

const issueSubject = (gitlab: FakeGitLab): Subject => ({ kind: 'issue', project: buildScope('internal-requests'), issue: gitlab.issue });
const mrSubject = (gitlab: FakeGitLab): Subject => ({ kind: 'merge_request', project: buildScope('internal-requests'), mergeRequest: gitlab.mergeRequest });

const plan: PlannedAction[] = [
  { rule: 'template-check', action: { type: 'addLabels', labels: ['template::contact-request', 'triage::needs-info'] }, reason: 'empty Message' },
  { rule: 'other', action: { type: 'addLabels', labels: ['x'] }, reason: 'another reason' },
  { rule: 'template-check', action: { type: 'upsertNote', key: 'template-check', body: 'Please fill in Message.' }, reason: 'empty Message' },
];

describe('Executor on issues', () => {
  it('sends all label changes of an issue in one update and posts the note once, each with its reasons', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const changes = await executorFor(gitlab).apply(issueSubject(gitlab), plan);
    expect(gitlab.calls.filter((c) => c.startsWith('updateIssue'))).toHaveLength(1);
    expect(gitlab.calls).toContain('createNote');
    expect(changes.map((c) => c.outcome)).toEqual(['written', 'written']);
    expect(changes[0]!.reason).toBe('empty Message; another reason');
    expect(gitlab.notes[0]!.body).toBe(withMarker('template-check', 'Please fill in Message.'));
  });

  it('renames a user before any other write, and a refused rename leaves the issue untouched', async () => {
    const rename: PlannedAction = { rule: 'dormant-namespace', action: { type: 'renameUser', userId: 9, from: 'coolname', to: 'idlecoolname' }, reason: 'dormant' };
    const gitlab = new FakeGitLab(buildIssue());
    await executorFor(gitlab).apply(issueSubject(gitlab), [...plan, rename]);
    expect(gitlab.calls[0]).toBe('renameUser 9 idlecoolname');
    expect(gitlab.calls).toContain('createNote');

    const refused = new FakeGitLab(buildIssue());
    refused.failRename = true;
    await expect(executorFor(refused).apply(issueSubject(refused), [...plan, rename])).rejects.toMatchObject({ status: 403 });
    expect(refused.calls).toEqual(['renameUser 9 idlecoolname']);
  });

  it('makes zero writes the second time', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    await executorFor(gitlab).apply(issueSubject(gitlab), plan);
    gitlab.calls = [];
    const changes = await executorFor(gitlab).apply(issueSubject(gitlab), plan);
    expect(gitlab.calls).toEqual(['listNotes']);
    expect(changes.every((c) => c.outcome === 'unchanged')).toBe(true);
  });

  it("edits its own note in place when the text changes, and never another author's", async () => {
    const gitlab = new FakeGitLab(buildIssue());
    gitlab.notes.push(buildNote({ body: withMarker('template-check', 'copied by a person') }));
    await executorFor(gitlab).apply(issueSubject(gitlab), plan);
    await executorFor(gitlab).apply(issueSubject(gitlab), [
      { rule: 'template-check', action: { type: 'upsertNote', key: 'template-check', body: 'Complete, thanks.' }, reason: 'r' },
    ]);
    expect(gitlab.calls.filter((c) => c === 'createNote')).toHaveLength(1);
    expect(gitlab.calls.filter((c) => c === 'updateNote')).toHaveLength(1);
    expect(gitlab.notes.map((n) => n.body)).toEqual([withMarker('template-check', 'copied by a person'), withMarker('template-check', 'Complete, thanks.')]);
  });

  it('with onlyIfExists edits an existing note but creates none', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const onlyEdit: PlannedAction = { rule: 't', action: { type: 'upsertNote', key: 't', body: 'done', onlyIfExists: true }, reason: 'r' };
    await executorFor(gitlab).apply(issueSubject(gitlab), [onlyEdit]);
    expect(gitlab.notes).toHaveLength(0);
  });

  it('does not post twice when GitLab saved the note but answered 500', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    gitlab.failCreateAfterSaving = 1;
    const changes = await executorFor(gitlab).apply(issueSubject(gitlab), plan);
    expect(gitlab.notes).toHaveLength(1);
    expect(gitlab.calls.filter((c) => c === 'createNote')).toHaveLength(1);
    expect(changes.at(-1)?.outcome).toBe('written');
  });

  it('backs off between note creation attempts after 5xx, with the retry policy (not back to back)', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    gitlab.failCreateBeforeSaving = 2;
    await executorFor(gitlab, { retry: { retries: 5, baseMs: 40, maxMs: 1000 } }).apply(issueSubject(gitlab), plan);
    expect(gitlab.notes).toHaveLength(1);
    const [first, second, third] = gitlab.callTimes;
    // Exponential with jitter: at least 40 ms, then at least 80 ms.
    expect(second! - first!).toBeGreaterThanOrEqual(38);
    expect(third! - second!).toBeGreaterThanOrEqual(78);
  });

  it('waits past the request timeout before looking for a note whose POST timed out', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    let saved = false;
    gitlab.createNote = async (_ref, body) => {
      gitlab.calls.push('createNote');
      if (!saved) {
        saved = true;
        // GitLab saves the note only after the bot has given up waiting.
        setTimeout(() => gitlab.notes.push(buildNote({ body, author: bot })), 60);
        throw new GitLabError('timed out', 'POST', 'projects/1/issues/1/notes', undefined);
      }
      const note = buildNote({ body, author: bot });
      gitlab.notes.push(note);
      return note;
    };
    await executorFor(gitlab, { requestTimeoutMs: 100 }).apply(issueSubject(gitlab), plan);
    expect(gitlab.calls.filter((c) => c === 'createNote')).toHaveLength(1);
    expect(gitlab.notes).toHaveLength(1);
  });

  it('converges duplicate notes: keeps the oldest, edits it, deletes the others', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const older = buildNote({ body: withMarker('template-check', 'old text'), author: bot, createdAt: new Date('2026-11-16T10:00:00Z') });
    const younger = buildNote({ body: withMarker('template-check', 'old text'), author: bot, createdAt: new Date('2026-11-16T10:00:01Z') });
    gitlab.notes.push(younger, older);
    await executorFor(gitlab).apply(issueSubject(gitlab), plan);
    expect(gitlab.notes.map((n) => n.id)).toEqual([older.id]);
    expect(gitlab.notes[0]!.body).toBe(withMarker('template-check', 'Please fill in Message.'));
    expect(gitlab.calls).toContain(`deleteNote ${younger.id}`);
  });

  it('deletes its own note when another run posted the same one first', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const realCreate = gitlab.createNote.bind(gitlab);
    const other = buildNote({ body: withMarker('template-check', 'Please fill in Message.'), author: bot, createdAt: new Date('2026-11-16T09:00:00Z') });
    gitlab.createNote = async (ref, body) => {
      // The other process's note lands between our read and our post.
      gitlab.notes.push(other);
      return realCreate(ref, body);
    };
    await executorFor(gitlab).apply(issueSubject(gitlab), plan);
    expect(gitlab.notes.map((n) => n.id)).toEqual([other.id]);
  });

  it('folds confidentiality and description into the same single update', async () => {
    const gitlab = new FakeGitLab(buildIssue({ description: 'token glpat-xxxxxxxxxxxxxxxxxxxx' }));
    await executorFor(gitlab).apply(issueSubject(gitlab), [
      { rule: 's', action: { type: 'setConfidential', confidential: true }, reason: 'r' },
      { rule: 's', action: { type: 'setDescription', description: 'token [REDACTED]' }, reason: 'r' },
      { rule: 's', action: { type: 'addLabels', labels: ['sensitive-data'] }, reason: 'r' },
    ]);
    expect(gitlab.calls).toEqual(['updateIssue {"confidential":true,"description":"token [REDACTED]","addLabels":["sensitive-data"]}']);
  });

  it('stops writing when the run budget is spent', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const changes = await executorFor(gitlab, { budget: new WriteBudget(1) }).apply(issueSubject(gitlab), plan);
    expect(changes.map((c) => c.outcome)).toEqual(['written', 'skipped']);
    expect(gitlab.notes).toHaveLength(0);
  });

  it('in a dry run records the writes, sends none and reports them as would-write', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const dry = new DryRunWriter();
    const executor = new Executor({ reader: gitlab, writer: dry, dryRun: true, bot: async () => bot, budget: new WriteBudget(), log: silentLogger });
    const changes = await executor.apply(issueSubject(gitlab), plan);
    expect(gitlab.calls).toEqual(['listNotes']);
    expect(dry.writes.map((w) => w.method)).toEqual(['updateIssue', 'createNote']);
    expect(changes.map((c) => c.outcome)).toEqual(['would-write', 'would-write']);
  });
});

describe('Executor on merge requests', () => {
  const status = (state: 'success' | 'failed', description: string): PlannedAction => ({
    rule: 'approval-artifact',
    action: { type: 'setCommitStatus', name: 'support-bot/approval-artifact', sha: 'abc123', state, description },
    reason: description,
  });

  it('labels through the merge request update and posts its note on the merge request', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const changes = await executorFor(gitlab).apply(mrSubject(gitlab), [
      { rule: 'a', action: { type: 'addLabels', labels: ['approval::missing'] }, reason: 'r' },
      { rule: 'a', action: { type: 'upsertNote', key: 'a', body: 'No approval yet.' }, reason: 'r' },
    ]);
    expect(gitlab.calls[0]).toBe('updateMergeRequest {"addLabels":["approval::missing"]}');
    expect(changes.map((c) => c.target)).toEqual(['merge_request', 'note']);
  });

  it('sets a commit status only when the latest one of that name differs', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    await executorFor(gitlab).apply(mrSubject(gitlab), [status('failed', 'no approval artifact')]);
    const again = await executorFor(gitlab).apply(mrSubject(gitlab), [status('failed', 'no approval artifact')]);
    expect(again.map((c) => c.outcome)).toEqual(['unchanged']);
    const changed = await executorFor(gitlab).apply(mrSubject(gitlab), [status('success', 'approved by @maria')]);
    expect(changed.map((c) => c.outcome)).toEqual(['written']);
    expect(gitlab.calls.filter((c) => c.startsWith('setCommitStatus'))).toEqual(['setCommitStatus failed', 'setCommitStatus success']);
  });

  it('refuses issue-only actions on a merge request', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    await expect(executorFor(gitlab).apply(mrSubject(gitlab), [{ rule: 'x', action: { type: 'setConfidential', confidential: true }, reason: 'r' }])).rejects.toThrow(
      /issues only/,
    );
  });
});

describe('checkApplied: GitLab answers 200 and drops what the token may not set (IssuableBaseService#filter_params)', () => {
  it('passes a saved change and names each dropped one', () => {
    expect(() => checkApplied('issue #1', { addLabels: ['a'], removeLabels: ['b'], confidential: true }, { labels: ['a'], confidential: true })).not.toThrow();
    expect(() => checkApplied('issue #1', { addLabels: ['a'], removeLabels: ['b'], confidential: true }, { labels: ['b'], confidential: false })).toThrow(
      "GitLab did not apply labels a, -b and confidential: true to issue #1: the bot's user may not set them there",
    );
    // A merge request's answer has no confidentiality to compare.
    expect(() => checkApplied('merge request !1', { addLabels: ['a'] }, { labels: ['a'] })).not.toThrow();
  });
});
