import type { Logger } from 'pino';
import { collect } from '../gitlab/collect.js';
import { isTransient } from '../gitlab/errors.js';
import type { GitLabGateway, Issue, IssueUpdate, Note, NoteableRef, UserRef } from '../gitlab/types.js';
import type { AppliedChange, PlannedAction } from './actions.js';
import type { WriteBudget } from './budget.js';
import { diffLabels } from './labels.js';
import { markerKey, withMarker } from './markers.js';
import type { Writer } from './writer.js';

export interface ExecutorDeps {
  /** Reads (notes) go to GitLab even in a dry run. */
  reader: Pick<GitLabGateway, 'listNotes'>;
  /** Only the issue and note writes: the executor applies rule plans on issues. */
  writer: Pick<Writer, 'updateIssue' | 'createNote' | 'updateNote'>;
  bot: UserRef;
  budget: WriteBudget;
  log: Logger;
  /** Attempts at creating one note, each after checking that an earlier one did not land. */
  noteCreateAttempts?: number;
}

/**
 * The only writer. It compares what the rules want with what GitLab has and writes
 * the difference: all field and label changes of an issue in one PUT, and each rule's
 * note found by its marker and edited in place. Running it twice writes nothing the
 * second time.
 */
export class Executor {
  constructor(private readonly deps: ExecutorDeps) {}

  async applyToIssue(issue: Issue, planned: PlannedAction[], knownNotes?: Note[]): Promise<AppliedChange[]> {
    const changes: AppliedChange[] = [];
    const ref: NoteableRef = { projectId: issue.projectId, kind: 'issue', iid: issue.iid };
    const update = this.issueUpdate(issue, planned);
    if (update) changes.push(await this.write(update.rules, 'issue', update.detail, () => this.deps.writer.updateIssue(issue.projectId, issue.iid, update.fields)));

    const noteActions = planned.filter((p) => p.action.type === 'upsertNote');
    if (noteActions.length > 0) {
      let notes = knownNotes ?? (await collect(this.deps.reader.listNotes(ref)));
      for (const planned of noteActions) {
        if (planned.action.type !== 'upsertNote') continue;
        const change = await this.upsertNote(ref, planned.rule, planned.action, notes);
        changes.push(change.applied);
        if (change.note) notes = [...notes.filter((n) => n.id !== change.note!.id), change.note];
      }
    }
    return changes;
  }

  /** Folds labels, confidentiality, description and state into one update, or null when nothing differs. */
  private issueUpdate(issue: Issue, planned: PlannedAction[]): { fields: IssueUpdate; rules: string[]; detail: string } | null {
    const add: string[] = [];
    const remove: string[] = [];
    const fields: IssueUpdate = {};
    const rules = new Set<string>();
    for (const { rule, action } of planned) {
      switch (action.type) {
        case 'addLabels':
          add.push(...action.labels);
          rules.add(rule);
          break;
        case 'removeLabels':
          remove.push(...action.labels);
          rules.add(rule);
          break;
        case 'setConfidential':
          if (!issue.confidential) (fields.confidential = true), rules.add(rule);
          break;
        case 'setDescription':
          if (issue.description !== action.description) (fields.description = action.description), rules.add(rule);
          break;
        case 'setState': {
          const wanted = action.state === 'closed' ? 'close' : 'reopen';
          if (issue.state !== action.state) (fields.stateEvent = wanted), rules.add(rule);
          break;
        }
        case 'upsertNote':
          break;
      }
    }
    const labels = diffLabels(issue.labels, add, remove);
    if (labels.add.length > 0) fields.addLabels = labels.add;
    if (labels.remove.length > 0) fields.removeLabels = labels.remove;
    if (Object.keys(fields).length === 0) return null;
    const ruleList = [...rules].filter((r) => planned.some((p) => p.rule === r && this.touches(p, fields)));
    const parts: string[] = [];
    if (fields.addLabels) parts.push(`add ${fields.addLabels.map((l) => `~"${l}"`).join(' ')}`);
    if (fields.removeLabels) parts.push(`remove ${fields.removeLabels.map((l) => `~"${l}"`).join(' ')}`);
    if (fields.confidential) parts.push('make confidential');
    if (fields.description !== undefined) parts.push('rewrite description');
    if (fields.stateEvent) parts.push(fields.stateEvent);
    return { fields, rules: ruleList.length > 0 ? ruleList : [...rules], detail: `issue #${issue.iid}: ${parts.join(', ')}` };
  }

  private touches(planned: PlannedAction, fields: IssueUpdate): boolean {
    const a = planned.action;
    if (a.type === 'addLabels') return a.labels.some((l) => fields.addLabels?.includes(l));
    if (a.type === 'removeLabels') return a.labels.some((l) => fields.removeLabels?.includes(l));
    return a.type !== 'upsertNote';
  }

  private async write(rules: string[], target: AppliedChange['target'], detail: string, send: () => Promise<unknown>): Promise<AppliedChange> {
    const rule = rules.join(',');
    if (!this.deps.budget.take()) {
      this.deps.log.warn({ rule, detail }, 'write skipped: the run has used its write budget (bot.maxWritesPerRun)');
      return { rule, target, outcome: 'skipped', detail };
    }
    await send();
    return { rule, target, outcome: 'written', detail };
  }

  private findOwnNote(notes: Note[], key: string): Note | undefined {
    return notes.find((n) => !n.system && n.author.username === this.deps.bot.username && markerKey(n.body) === key);
  }

  private async upsertNote(
    ref: NoteableRef,
    rule: string,
    action: { key: string; body: string; onlyIfExists?: boolean },
    notes: Note[],
  ): Promise<{ applied: AppliedChange; note?: Note }> {
    const body = withMarker(action.key, action.body);
    const existing = this.findOwnNote(notes, action.key);
    const where = `${ref.kind === 'issue' ? 'issue #' : 'merge request !'}${ref.iid}`;
    if (existing) {
      if (existing.body.trim() === body.trim()) return { applied: { rule, target: 'note', outcome: 'unchanged', detail: `${where}: note "${action.key}" is current` } };
      let note: Note | undefined;
      const applied = await this.write([rule], 'note', `${where}: edit note "${action.key}"`, async () => {
        note = await this.deps.writer.updateNote(ref, existing.id, body);
      });
      return { applied, note };
    }
    if (action.onlyIfExists) return { applied: { rule, target: 'note', outcome: 'unchanged', detail: `${where}: no note "${action.key}" to edit` } };
    let note: Note | undefined;
    const applied = await this.write([rule], 'note', `${where}: post note "${action.key}"`, async () => {
      note = await this.createNoteOnce(ref, action.key, body);
    });
    return { applied, note };
  }

  /**
   * Creating a note is not idempotent: after a timeout or a 5xx GitLab may have saved
   * it. So before each new attempt, look for the marker; post again only when absent.
   */
  private async createNoteOnce(ref: NoteableRef, key: string, body: string): Promise<Note> {
    const attempts = this.deps.noteCreateAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.deps.writer.createNote(ref, body);
      } catch (error) {
        if (!isTransient(error) || attempt >= attempts) throw error;
        this.deps.log.warn({ err: error, key, attempt }, 'note creation failed; checking whether it landed before trying again');
        const landed = this.findOwnNote(await collect(this.deps.reader.listNotes(ref)), key);
        if (landed) return landed;
      }
    }
  }
}
