import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/engine/actions.js';
import { WriteBudget } from '../../src/engine/budget.js';
import { Executor } from '../../src/engine/executor.js';
import { withMarker } from '../../src/engine/markers.js';
import { DryRunWriter, type Writer } from '../../src/engine/writer.js';
import { GitLabError } from '../../src/gitlab/errors.js';
import type { Issue, IssueUpdate, Note, NoteableRef } from '../../src/gitlab/types.js';
import { silentLogger } from '../../src/logger.js';
import { buildIssue, buildNote } from '../helpers/builders.js';

const bot = { id: 2, username: 'support-bot' };

/** An in-memory GitLab for one issue: records writes, can fail note creation after saving it. */
class FakeGitLab implements Pick<Writer, 'updateIssue' | 'createNote' | 'updateNote'> {
  notes: Note[] = [];
  calls: string[] = [];
  failCreateAfterSaving = 0;
  constructor(public issue: Issue) {}

  async *listNotes(_ref: NoteableRef): AsyncIterable<Note> {
    this.calls.push('listNotes');
    yield* this.notes;
  }
  async updateIssue(_p: number, _i: number, update: IssueUpdate): Promise<Issue> {
    this.calls.push(`updateIssue ${JSON.stringify(update)}`);
    const remove = new Set(update.removeLabels ?? []);
    this.issue = { ...this.issue, labels: [...this.issue.labels.filter((l) => !remove.has(l)), ...(update.addLabels ?? [])] };
    if (update.confidential !== undefined) this.issue.confidential = update.confidential;
    if (update.description !== undefined) this.issue.description = update.description;
    return this.issue;
  }
  async createNote(_ref: NoteableRef, body: string): Promise<Note> {
    this.calls.push('createNote');
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
}

function executorFor(gitlab: FakeGitLab, budget = new WriteBudget()) {
  return new Executor({ reader: gitlab, writer: gitlab, bot, budget, log: silentLogger });
}

const plan: PlannedAction[] = [
  { rule: 'template-check', action: { type: 'addLabels', labels: ['template::contact-request', 'triage::needs-info'] }, reason: 'r' },
  { rule: 'other', action: { type: 'addLabels', labels: ['x'] }, reason: 'r' },
  { rule: 'template-check', action: { type: 'upsertNote', key: 'template-check', body: 'Please fill in Message.' }, reason: 'r' },
];

describe('Executor', () => {
  it('sends all label changes of an issue in one update and posts the note once', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const changes = await executorFor(gitlab).applyToIssue(gitlab.issue, plan);
    expect(gitlab.calls.filter((c) => c.startsWith('updateIssue'))).toHaveLength(1);
    expect(gitlab.calls).toContain('createNote');
    expect(changes.map((c) => c.outcome)).toEqual(['written', 'written']);
    expect(gitlab.notes[0]!.body).toBe(withMarker('template-check', 'Please fill in Message.'));
  });

  it('makes zero writes the second time', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    await executorFor(gitlab).applyToIssue(gitlab.issue, plan);
    gitlab.calls = [];
    const changes = await executorFor(gitlab).applyToIssue(gitlab.issue, plan);
    expect(gitlab.calls).toEqual(['listNotes']);
    expect(changes.every((c) => c.outcome === 'unchanged')).toBe(true);
  });

  it('edits its own note in place when the text changes, and never another author\'s', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    gitlab.notes.push(buildNote({ body: withMarker('template-check', 'copied by a person') }));
    await executorFor(gitlab).applyToIssue(gitlab.issue, plan);
    await executorFor(gitlab).applyToIssue(gitlab.issue, [
      { rule: 'template-check', action: { type: 'upsertNote', key: 'template-check', body: 'Complete, thanks.' }, reason: 'r' },
    ]);
    expect(gitlab.calls.filter((c) => c === 'createNote')).toHaveLength(1);
    expect(gitlab.calls.filter((c) => c === 'updateNote')).toHaveLength(1);
    expect(gitlab.notes.map((n) => n.body)).toEqual([withMarker('template-check', 'copied by a person'), withMarker('template-check', 'Complete, thanks.')]);
  });

  it('with onlyIfExists edits an existing note but creates none', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const onlyEdit: PlannedAction = { rule: 't', action: { type: 'upsertNote', key: 't', body: 'done', onlyIfExists: true }, reason: 'r' };
    await executorFor(gitlab).applyToIssue(gitlab.issue, [onlyEdit]);
    expect(gitlab.notes).toHaveLength(0);
  });

  it('does not post twice when GitLab saved the note but answered 500', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    gitlab.failCreateAfterSaving = 1;
    const changes = await executorFor(gitlab).applyToIssue(gitlab.issue, plan);
    expect(gitlab.notes).toHaveLength(1);
    expect(gitlab.calls.filter((c) => c === 'createNote')).toHaveLength(1);
    expect(changes.at(-1)?.outcome).toBe('written');
  });

  it('folds confidentiality and description into the same single update', async () => {
    const gitlab = new FakeGitLab(buildIssue({ description: 'token glpat-xxxxxxxxxxxxxxxxxxxx' }));
    await executorFor(gitlab).applyToIssue(gitlab.issue, [
      { rule: 's', action: { type: 'setConfidential', confidential: true }, reason: 'r' },
      { rule: 's', action: { type: 'setDescription', description: 'token [REDACTED]' }, reason: 'r' },
      { rule: 's', action: { type: 'addLabels', labels: ['sensitive-data'] }, reason: 'r' },
    ]);
    expect(gitlab.calls).toEqual(['updateIssue {"confidential":true,"description":"token [REDACTED]","addLabels":["sensitive-data"]}']);
  });

  it('stops writing when the run budget is spent', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const changes = await executorFor(gitlab, new WriteBudget(1)).applyToIssue(gitlab.issue, plan);
    expect(changes.map((c) => c.outcome)).toEqual(['written', 'skipped']);
    expect(gitlab.notes).toHaveLength(0);
  });

  it('in a dry run records the writes and sends none', async () => {
    const gitlab = new FakeGitLab(buildIssue());
    const dry = new DryRunWriter();
    const executor = new Executor({ reader: gitlab, writer: dry, bot, budget: new WriteBudget(), log: silentLogger });
    await executor.applyToIssue(gitlab.issue, plan);
    expect(gitlab.calls).toEqual(['listNotes']);
    expect(dry.writes.map((w) => w.method)).toEqual(['updateIssue', 'createNote']);
  });
});
