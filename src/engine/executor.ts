import type { Logger } from 'pino';
import { collect } from '../gitlab/collect.js';
import { isGitLabError, isTransient } from '../gitlab/errors.js';
import type { RetryPolicy } from '../gitlab/retry.js';
import type { CommitStatus, GitLabGateway, Issue, IssueUpdate, Note, NoteableRef, UserRef } from '../gitlab/types.js';
import type { Action } from '../rules/actions.js';
import { subjectItem, type Subject } from '../subjects.js';
import type { WriteBudget } from './budget.js';
import type { AppliedChange, PlannedAction } from './changes.js';
import { diffLabels } from './labels.js';
import { markerKey, noteMarker, withMarker } from './markers.js';
import type { Writer } from './writer.js';

export interface ExecutorDeps {
  /** Reads (notes, commit statuses, owned issues) go to GitLab even in a dry run. */
  reader: Pick<GitLabGateway, 'listNotes' | 'listCommitStatuses' | 'listIssues'>;
  /** The writes rule plans and owned issues make. */
  writer: Pick<Writer, 'updateIssue' | 'updateMergeRequest' | 'createNote' | 'updateNote' | 'deleteNote' | 'setCommitStatus' | 'renameUser' | 'createIssue'>;
  /** A dry run: every write is recorded, none sent, and reported as `would-write`. */
  dryRun?: boolean;
  /** The bot's own user, asked for only when a note of ours must be found (bot.username, else one cached GET /user). */
  bot: () => Promise<UserRef>;
  budget: WriteBudget;
  log: Logger;
  /** Attempts at creating one note, each after checking that an earlier one did not land. */
  noteCreateAttempts?: number;
  /** Back-off between those attempts: the gateway's retry policy. */
  retry?: RetryPolicy;
  /** How long GitLab may still be working on a request that timed out: wait this long before looking for its note. */
  requestTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type FieldUpdate = IssueUpdate;

/**
 * An issue the bot owns as a whole (a report such as the Support Week in Review): one per
 * key, found again by the hidden marker that starts its description (or by its exact title).
 */
export interface OwnedIssue {
  projectId: number;
  /** Lower-case kebab-case, unique per report: `swir-2026-w48`. */
  key: string;
  title: string;
  /** The content; compared with the existing issue's, marker and stamp excluded. */
  description: string;
  /** Added when missing; other labels on the issue are left alone. */
  labels: string[];
  /** A line below the content saying when it was written; only written with a change, never compared. */
  stamp?: { created: string; updated: string };
}

const STAMP_MARKER = noteMarker('stamp');

/** An owned issue's content: the description without its marker line and stamp. */
function ownedContent(description: string): string {
  const withoutStamp = description.split(STAMP_MARKER)[0] ?? '';
  return withoutStamp.replace(/^<!-- support-bot:[a-z0-9-]+ -->\n/, '').trim();
}

/**
 * The only writer. It compares what the rules want with what GitLab has and writes the
 * difference: all field and label changes of a subject in one PUT, each rule's note found
 * by its marker and edited in place, each commit status set only when it differs. Running
 * it twice writes nothing the second time.
 */
export class Executor {
  constructor(private readonly deps: ExecutorDeps) {}

  /** Applies a subject's plan. `notes` are the subject's notes when the planner read them already. */
  async apply(subject: Subject, planned: PlannedAction[], notes?: () => Promise<Note[] | undefined>): Promise<AppliedChange[]> {
    const changes: AppliedChange[] = [];
    const item = subjectItem(subject);
    const ref: NoteableRef = { projectId: item.projectId, kind: subject.kind, iid: item.iid };
    // A rename goes first: when it fails, the subject's labels, state and notes stay as they were.
    for (const p of planned) {
      if (p.action.type !== 'renameUser') continue;
      const { userId, from, to } = p.action;
      changes.push(await this.write([p.rule], 'user', `rename user @${from} to @${to}`, p.reason, () => this.deps.writer.renameUser(userId, to)));
    }
    const update = this.fieldUpdate(subject, planned);
    if (update) {
      const target = subject.kind;
      changes.push(
        await this.write(update.rules, target, update.detail, update.reason, async () => {
          const after =
            subject.kind === 'issue'
              ? await this.deps.writer.updateIssue(item.projectId, item.iid, update.fields)
              : await this.deps.writer.updateMergeRequest(item.projectId, item.iid, { addLabels: update.fields.addLabels, removeLabels: update.fields.removeLabels });
          if (!this.deps.dryRun) checkApplied(`${target === 'issue' ? 'issue #' : 'merge request !'}${item.iid} of project ${item.projectId}`, update.fields, after);
        }),
      );
    }
    for (const p of planned) {
      if (p.action.type === 'setCommitStatus') changes.push(await this.commitStatus(item.projectId, p.rule, p.action, p.reason));
    }
    const noteActions = planned.filter((p) => p.action.type === 'upsertNote');
    if (noteActions.length > 0) {
      let current = (await notes?.()) ?? (await collect(this.deps.reader.listNotes(ref)));
      for (const p of noteActions) {
        if (p.action.type !== 'upsertNote') continue;
        const change = await this.upsertNote(ref, p.rule, p.action, p.reason, current);
        changes.push(change.applied);
        current = current.filter((n) => !change.removed.includes(n.id));
        if (change.note) current = [...current.filter((n) => n.id !== change.note!.id), change.note];
      }
    }
    return changes;
  }

  /**
   * Creates the issue with this key, or edits it when its title, content or labels differ;
   * writes nothing when they do not. One search request finds it; dry runs and the write
   * budget apply as to every other write.
   */
  async upsertIssue(rule: string, owned: OwnedIssue, reason: string): Promise<{ change: AppliedChange; issue?: Issue }> {
    const existing = await this.findOwnedIssue(owned);
    const body = (stamp?: string) => `${noteMarker(owned.key)}\n${owned.description.trim()}\n${stamp ? `\n${STAMP_MARKER}\n${stamp}\n` : ''}`;
    if (!existing) {
      let issue: Issue | undefined;
      const change = await this.write([rule], 'issue', `project ${owned.projectId}: create issue "${owned.title}"`, reason, async () => {
        issue = await this.createIssueOnce(owned, body(owned.stamp?.created));
      });
      return { change, issue };
    }
    const update: IssueUpdate = {};
    if (existing.title !== owned.title) update.title = owned.title;
    if (ownedContent(existing.description) !== owned.description.trim()) update.description = body(owned.stamp?.updated);
    const labels = diffLabels(existing.labels, owned.labels, []);
    if (labels.add.length > 0) update.addLabels = labels.add;
    const where = `issue #${existing.iid} "${owned.title}"`;
    if (Object.keys(update).length === 0) return { change: { rule, target: 'issue', outcome: 'unchanged', detail: `${where} is current`, reason }, issue: existing };
    const parts = [
      update.title !== undefined ? 'retitle' : '',
      update.description !== undefined ? 'rewrite description' : '',
      update.addLabels ? `add ${update.addLabels.map((l) => `~"${l}"`).join(' ')}` : '',
    ];
    let issue: Issue = existing;
    const change = await this.write([rule], 'issue', `${where}: ${parts.filter(Boolean).join(', ')}`, reason, async () => {
      const updated = await this.deps.writer.updateIssue(owned.projectId, existing.iid, update);
      if (!this.deps.dryRun) issue = updated;
    });
    return { change, issue };
  }

  private async findOwnedIssue(owned: OwnedIssue): Promise<Issue | undefined> {
    const candidates = await collect(this.deps.reader.listIssues(owned.projectId, { state: 'all', search: owned.title, orderBy: 'created_at', sort: 'asc' }));
    return candidates.find((i) => markerKey(i.description) === owned.key) ?? candidates.find((i) => i.title === owned.title);
  }

  /**
   * Creating an issue is not idempotent, and a weekly job that lost its one write after a
   * 500 would leave the week without its issue: it is looked for by its marker before
   * another attempt.
   */
  private async createIssueOnce(owned: OwnedIssue, description: string): Promise<Issue> {
    const { value } = await this.createOnce(
      'issue creation',
      { key: owned.key },
      () => this.deps.writer.createIssue(owned.projectId, { title: owned.title, description, labels: owned.labels }),
      () => this.findOwnedIssue(owned),
    );
    return value;
  }

  /**
   * A create that is not idempotent (a note, an owned issue, a final commit status): after a
   * timeout or a 5xx GitLab may have saved it. So before each new attempt (after the retry
   * policy's back-off, and for a timeout after GitLab's own time to finish), `landed` looks
   * for it; it is created again only when absent. `landed: true` says it was found, not made.
   */
  private async createOnce<T>(
    what: string,
    context: Record<string, unknown>,
    create: () => Promise<T>,
    landed: () => Promise<T | undefined>,
  ): Promise<{ value: T; landed: boolean }> {
    const attempts = this.deps.noteCreateAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return { value: await create(), landed: false };
      } catch (error) {
        if (!isTransient(error) || attempt >= attempts) throw error;
        const wait = this.backoff(attempt) + (isGitLabError(error) && error.status === undefined ? (this.deps.requestTimeoutMs ?? 0) : 0);
        this.deps.log.warn({ err: error, ...context, attempt, waitMs: wait }, `${what} failed; checking whether it landed before trying again`);
        await sleep(wait);
        const found = await landed();
        if (found !== undefined) return { value: found, landed: true };
      }
    }
  }

  /** Folds labels, confidentiality, title, description and state into one update, or null when nothing differs. */
  private fieldUpdate(subject: Subject, planned: PlannedAction[]): { fields: FieldUpdate; rules: string[]; detail: string; reason: string } | null {
    const item = subjectItem(subject);
    const issue = subject.kind === 'issue' ? subject.issue : undefined;
    const add: string[] = [];
    const remove: string[] = [];
    const fields: FieldUpdate = {};
    const touching: PlannedAction[] = [];
    const issueOnly = (p: PlannedAction) => {
      if (!issue) throw new Error(`rule ${p.rule}: ${p.action.type} applies to issues only`);
      return issue;
    };
    for (const p of planned) {
      const { action } = p;
      switch (action.type) {
        case 'addLabels':
          add.push(...action.labels);
          break;
        case 'removeLabels':
          remove.push(...action.labels);
          break;
        case 'setConfidential':
          if (!issueOnly(p).confidential) {
            fields.confidential = true;
            touching.push(p);
          }
          break;
        case 'setDescription':
          if (issueOnly(p).description !== action.description) {
            fields.description = action.description;
            touching.push(p);
          }
          break;
        case 'setTitle':
          if (issueOnly(p).title !== action.title) {
            fields.title = action.title;
            touching.push(p);
          }
          break;
        case 'setState':
          if (issueOnly(p).state !== action.state) {
            fields.stateEvent = action.state === 'closed' ? 'close' : 'reopen';
            touching.push(p);
          }
          break;
        case 'upsertNote':
        case 'setCommitStatus':
        case 'renameUser':
          break;
      }
    }
    const labels = diffLabels(item.labels, add, remove);
    if (labels.add.length > 0) fields.addLabels = labels.add;
    if (labels.remove.length > 0) fields.removeLabels = labels.remove;
    if (Object.keys(fields).length === 0) return null;
    touching.push(...planned.filter((p) => touchesLabels(p.action, fields)));
    const parts: string[] = [];
    if (fields.addLabels) parts.push(`add ${fields.addLabels.map((l) => `~"${l}"`).join(' ')}`);
    if (fields.removeLabels) parts.push(`remove ${fields.removeLabels.map((l) => `~"${l}"`).join(' ')}`);
    if (fields.confidential) parts.push('make confidential');
    if (fields.title !== undefined) parts.push('rewrite title');
    if (fields.description !== undefined) parts.push('rewrite description');
    if (fields.stateEvent) parts.push(fields.stateEvent);
    const where = subject.kind === 'issue' ? `issue #${item.iid}` : `merge request !${item.iid}`;
    return { fields, rules: unique(touching.map((p) => p.rule)), detail: `${where}: ${parts.join(', ')}`, reason: unique(touching.map((p) => p.reason)).join('; ') };
  }

  private async write(rules: string[], target: AppliedChange['target'], detail: string, reason: string, send: () => Promise<unknown>): Promise<AppliedChange> {
    const rule = rules.join(',');
    if (!this.deps.budget.take()) {
      this.deps.log.warn({ rule, detail }, 'write skipped: the run has used its write budget (bot.maxWritesPerRun)');
      return { rule, target, outcome: 'skipped', detail, reason };
    }
    await send();
    return { rule, target, outcome: this.deps.dryRun ? 'would-write' : 'written', detail, reason };
  }

  private async commitStatus(projectId: number, rule: string, action: Extract<Action, { type: 'setCommitStatus' }>, reason: string): Promise<AppliedChange> {
    const detail = `commit ${action.sha.slice(0, 8)}: status "${action.name}" ${action.state}`;
    if (await this.statusIsCurrent(projectId, action)) return { rule, target: 'commit_status', outcome: 'unchanged', detail, reason };
    return this.write([rule], 'commit_status', detail, reason, () => this.setCommitStatusOnce(projectId, action));
  }

  private async statusIsCurrent(projectId: number, action: Extract<Action, { type: 'setCommitStatus' }>): Promise<boolean> {
    const statuses = await collect(this.deps.reader.listCommitStatuses(projectId, action.sha, { name: action.name }));
    const latest = latestStatus(statuses, action.name);
    return Boolean(latest && latest.status === action.state && latest.description === action.description && (latest.targetUrl ?? undefined) === action.targetUrl);
  }

  /**
   * Posting a final commit status is not idempotent either: GitLab adds another status (a
   * job) each time, so the latest status is read again before another attempt.
   */
  private async setCommitStatusOnce(projectId: number, action: Extract<Action, { type: 'setCommitStatus' }>): Promise<void> {
    const { sha, ref, state, name, description, targetUrl } = action;
    await this.createOnce(
      'commit status',
      { name, sha },
      async () => {
        await this.deps.writer.setCommitStatus(projectId, { sha, ref, state, name, description, targetUrl });
        return true;
      },
      async () => ((await this.statusIsCurrent(projectId, action)) ? true : undefined),
    );
  }

  /** The bot's notes carrying this marker, oldest first. */
  private async ownNotes(notes: Note[], key: string): Promise<Note[]> {
    const { username } = await this.deps.bot();
    return notes
      .filter((n) => !n.system && n.author.username === username && markerKey(n.body) === key)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  }

  private async upsertNote(
    ref: NoteableRef,
    rule: string,
    action: { key: string; body: string; onlyIfExists?: boolean },
    reason: string,
    notes: Note[],
  ): Promise<{ applied: AppliedChange; note?: Note; removed: number[] }> {
    const body = withMarker(action.key, action.body);
    const [existing, ...duplicates] = await this.ownNotes(notes, action.key);
    const where = `${ref.kind === 'issue' ? 'issue #' : 'merge request !'}${ref.iid}`;
    // Two runs that posted at once (a webhook and a schedule) leave two notes: keep the oldest.
    const removed = await this.removeDuplicates(ref, rule, action.key, duplicates);
    if (existing) {
      if (existing.body.trim() === body.trim())
        return { applied: { rule, target: 'note', outcome: 'unchanged', detail: `${where}: note "${action.key}" is current`, reason }, removed };
      let note: Note | undefined;
      const applied = await this.write([rule], 'note', `${where}: edit note "${action.key}"`, reason, async () => {
        note = await this.deps.writer.updateNote(ref, existing.id, body);
      });
      return { applied, note, removed };
    }
    if (action.onlyIfExists) return { applied: { rule, target: 'note', outcome: 'unchanged', detail: `${where}: no note "${action.key}" to edit`, reason }, removed };
    let note: Note | undefined;
    const applied = await this.write([rule], 'note', `${where}: post note "${action.key}"`, reason, async () => {
      note = await this.createNoteOnce(ref, action.key, body);
    });
    return { applied, note, removed };
  }

  private async removeDuplicates(ref: NoteableRef, rule: string, key: string, duplicates: Note[]): Promise<number[]> {
    const removed: number[] = [];
    for (const duplicate of duplicates) {
      this.deps.log.warn({ rule, key, noteId: duplicate.id }, 'duplicate bot note: deleting the younger copy');
      await this.deps.writer.deleteNote(ref, duplicate.id);
      removed.push(duplicate.id);
    }
    return removed;
  }

  /**
   * Creating a note is not idempotent: its marker is looked for before another attempt.
   * After posting, a look for an older copy (another process posting at the same time)
   * keeps one note: the younger one deletes itself.
   */
  private async createNoteOnce(ref: NoteableRef, key: string, body: string): Promise<Note> {
    const ours = async () => (await this.ownNotes(await collect(this.deps.reader.listNotes(ref)), key))[0];
    const { value: created, landed } = await this.createOnce('note creation', { key }, () => this.deps.writer.createNote(ref, body), ours);
    if (landed || this.deps.dryRun) return created;
    const oldest = await ours();
    if (oldest && oldest.id !== created.id) {
      this.deps.log.warn({ key, noteId: created.id, kept: oldest.id }, 'another run posted the same note first: deleting ours');
      await this.deps.writer.deleteNote(ref, created.id);
      return oldest;
    }
    return created;
  }

  private backoff(attempt: number): number {
    const policy = this.deps.retry ?? { retries: 5, baseMs: 500, maxMs: 60_000 };
    return Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * (1 + Math.random());
  }
}

function touchesLabels(action: Action, fields: FieldUpdate): boolean {
  if (action.type === 'addLabels') return action.labels.some((l) => fields.addLabels?.includes(l));
  if (action.type === 'removeLabels') return action.labels.some((l) => fields.removeLabels?.includes(l));
  return false;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** GitLab lists a commit's statuses newest first; the latest of a name is the one that counts. */
function latestStatus(statuses: CommitStatus[], name: string): CommitStatus | undefined {
  return statuses.filter((s) => s.name === name).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0];
}

/**
 * GitLab answers 200 to an update and silently drops what the token may not set: labels,
 * assignees and confidentiality need the Reporter role on issues and Developer on merge
 * requests, when the bot may edit only as the author or an assignee
 * (IssuableBaseService#filter_params). The answer is the issuable as saved: a change it does
 * not show was not made, and counting it as written would leave the subject unprotected and
 * retry it on every run without a word.
 */
export function checkApplied(where: string, fields: IssueUpdate, after: { labels: readonly string[]; confidential?: boolean }): void {
  const missing = [
    ...(fields.addLabels ?? []).filter((l) => !after.labels.includes(l)),
    ...(fields.removeLabels ?? []).filter((l) => after.labels.includes(l)).map((l) => `-${l}`),
  ];
  const notConfidential = fields.confidential !== undefined && after.confidential !== undefined && after.confidential !== fields.confidential;
  if (missing.length === 0 && !notConfidential) return;
  const what = [...(missing.length ? [`labels ${missing.join(', ')}`] : []), ...(notConfidential ? [`confidential: ${String(fields.confidential)}`] : [])].join(' and ');
  throw new Error(
    `GitLab did not apply ${what} to ${where}: the bot's user may not set them there (labels and confidentiality need the Reporter role on issues, Developer on merge requests)`,
  );
}
