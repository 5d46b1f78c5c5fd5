import type { Logger } from 'pino';
import { collect } from '../gitlab/collect.js';
import type { RetryPolicy } from '../gitlab/retry.js';
import type { Issue, IssueUpdate, Note, NoteableRef, UserRef } from '../gitlab/types.js';
import type { Action } from '../rules/actions.js';
import { subjectItem, type Subject } from '../subjects.js';
import type { WriteBudget } from './budget.js';
import type { AppliedChange, PlannedAction } from './changes.js';
import { Effects, type ChangeDraft } from './effects.js';
import { HANDLERS } from './handlers/index.js';
import type { ProjectAction, ProjectActionType } from '../rules/projectActions.js';
import type {
  ActionHandler,
  ActionHandlers,
  GitLabReader,
  HandlerContext,
  Planned,
  PlannedProjectAction,
  ProjectActionHandler,
  ProjectHandlerContext,
  RecordedHandler,
} from './handlers/types.js';
import { diffLabels } from './labels.js';
import { markerKey, noteMarker } from './markers.js';
import { NO_CHAT, type GitLabPort, type Ports } from './ports.js';

export { checkApplied } from './handlers/fields.js';

export interface ExecutorDeps {
  /** Reads (notes, commit statuses, owned issues) go to GitLab even in a dry run. */
  reader: GitLabReader;
  /** The GitLab port: the gateway, or the DryRunWriter in a dry run. */
  writer: GitLabPort;
  /** The other ports (chat), each real or its dry-run twin like `writer`; without a chat port, a message fails. */
  ports?: Partial<Omit<Ports, 'gitlab'>>;
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
  /** The action handlers; tests replace them, the bot uses HANDLERS. */
  handlers?: ActionHandlers;
}

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
 * The only writer. Each planned action goes to the handler of its type (`handlers/`), which
 * compares what the rules want with what GitLab has and writes the difference through a
 * port; budget, dry run and outcomes are applied here, the same for every port. Running it
 * twice writes nothing the second time.
 */
export class Executor {
  private readonly effects: Effects;
  private readonly handlers: ActionHandlers;
  private readonly ports: Ports;

  constructor(private readonly deps: ExecutorDeps) {
    this.effects = new Effects({
      budget: deps.budget,
      dryRun: deps.dryRun,
      log: deps.log,
      createAttempts: deps.noteCreateAttempts,
      retry: deps.retry,
      requestTimeoutMs: deps.requestTimeoutMs,
    });
    this.handlers = deps.handlers ?? HANDLERS;
    this.ports = { chat: NO_CHAT, ...deps.ports, gitlab: deps.writer };
  }

  /** Applies a subject's plan. `notes` are the subject's notes when the planner read them already. */
  async apply(subject: Subject, planned: PlannedAction[], notes?: () => Promise<Note[] | undefined>): Promise<AppliedChange[]> {
    const item = subjectItem(subject);
    const ref: NoteableRef = { projectId: item.projectId, kind: subject.kind, iid: item.iid };
    let read: Promise<Note[]> | undefined;
    const readNotes = async () => (await notes?.()) ?? (await collect(this.deps.reader.listNotes(ref)));
    const base = { subject, ref, ports: this.ports, reader: this.deps.reader, bot: this.deps.bot, dryRun: this.effects.dryRun, log: this.deps.log };
    const changes: AppliedChange[] = [];
    for (const [handler, actions] of this.batches(planned)) {
      const ctx: HandlerContext = {
        ...base,
        notes: () => (read ??= readNotes()),
        notesChanged: (notes) => {
          read = Promise.resolve(notes);
        },
        write: (change, send) => this.effects.write(handler.port, change, send),
        unchanged: (change) => this.effects.unchanged(handler.port, change),
        createOnce: (what, context, create, landed) => this.effects.createOnce(what, context, create, landed),
      };
      if (handler.delivery === 'diffed') changes.push(...(await handler.apply(ctx, actions)));
      else changes.push(...(await deliverEach(ctx, handler, actions)));
    }
    return changes;
  }

  /**
   * The plan's actions grouped by handler, in the handler map's order (a diffed `apply`
   * shared by several types is one group), each group in plan order; the notes planned
   * `first` before all of them. An action without a
   * handler (only possible past the type checker) fails the subject rather than vanish.
   */
  private batches(planned: PlannedAction[]): [ActionHandler<Action>, Planned[]][] {
    const first = (p: PlannedAction) => p.action.type === 'upsertNote' && p.action.first === true;
    return [...this.groupByHandler(planned.filter(first)), ...this.groupByHandler(planned.filter((p) => !first(p)))];
  }

  private groupByHandler(planned: PlannedAction[]): [ActionHandler<Action>, Planned[]][] {
    const handlerOf = (type: Action['type']): ActionHandler<Action> | undefined =>
      // The map is keyed by type: the handler at a type takes the actions of that type.
      (this.handlers as Partial<Record<Action['type'], ActionHandler<Action>>>)[type];
    for (const p of planned) {
      if (!handlerOf(p.action.type)) throw new Error(`rule ${p.rule}: no handler for action type "${p.action.type}"`);
    }
    const groupOf = (handler: ActionHandler<Action>) => (handler.delivery === 'diffed' ? handler.apply : handler);
    const groups = new Map<unknown, [ActionHandler<Action>, Planned[]]>();
    for (const type of Object.keys(this.handlers) as Action['type'][]) {
      const handler = handlerOf(type)!;
      const group = groupOf(handler);
      if (!groups.has(group)) groups.set(group, [handler, planned.filter((p) => groupOf(handlerOf(p.action.type)!) === group)]);
    }
    return [...groups.values()].filter(([, actions]) => actions.length > 0);
  }

  /**
   * Applies a project's planned actions (`rules/projectActions.ts`: a label, a proposal branch
   * and its merge request, a pipeline schedule), each through the handler of its type, one by
   * one in plan order, with the budget, dry run and outcomes every write gets.
   */
  async applyToProject(planned: readonly PlannedProjectAction[]): Promise<AppliedChange[]> {
    const handlerOf = (type: ProjectActionType): ProjectActionHandler<ProjectAction> | undefined =>
      // The map is keyed by type: the handler at a type takes the actions of that type.
      (this.handlers as Partial<Record<ProjectActionType, ProjectActionHandler<ProjectAction>>>)[type];
    for (const p of planned) {
      if (!handlerOf(p.action.type)) throw new Error(`${p.rule}: no handler for action type "${p.action.type}"`);
    }
    const changes: AppliedChange[] = [];
    for (const p of planned) {
      const handler = handlerOf(p.action.type)!;
      const ctx: ProjectHandlerContext = {
        ports: this.ports,
        dryRun: this.effects.dryRun,
        log: this.deps.log,
        write: (change, send) => this.effects.write(handler.port, change, send),
        unchanged: (change) => this.effects.unchanged(handler.port, change),
      };
      changes.push(...(await handler.apply(ctx, p)));
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
    const write = (change: ChangeDraft, send: () => Promise<unknown>) => this.effects.write('gitlab', change, send);
    if (!existing) {
      let issue: Issue | undefined;
      const change = await write({ rules: [rule], target: 'issue', detail: `project ${owned.projectId}: create issue "${owned.title}"`, reason }, async () => {
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
    if (Object.keys(update).length === 0)
      return { change: this.effects.unchanged('gitlab', { rules: [rule], target: 'issue', detail: `${where} is current`, reason }), issue: existing };
    const parts = [
      update.title !== undefined ? 'retitle' : '',
      update.description !== undefined ? 'rewrite description' : '',
      update.addLabels ? `add ${update.addLabels.map((l) => `~"${l}"`).join(' ')}` : '',
    ];
    let issue: Issue = existing;
    const change = await write({ rules: [rule], target: 'issue', detail: `${where}: ${parts.filter(Boolean).join(', ')}`, reason }, async () => {
      const updated = await this.deps.writer.updateIssue(owned.projectId, existing.iid, update);
      if (!this.effects.dryRun) issue = updated;
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
    const { value } = await this.effects.createOnce(
      'issue creation',
      { key: owned.key },
      () => this.deps.writer.createIssue(owned.projectId, { title: owned.title, description, labels: owned.labels }),
      () => this.findOwnedIssue(owned),
    );
    return value;
  }
}

/**
 * A recorded action: found recorded, it is unchanged; otherwise, within the budget, it is
 * claimed (when its handler claims), delivered through its port and then recorded in GitLab.
 * A claim held by another run makes it unchanged; a delivery that failed releases the claim
 * unless the effect may have happened anyway.
 */
async function deliverOnce(ctx: HandlerContext, handler: RecordedHandler<Action>, planned: Planned): Promise<AppliedChange> {
  const change = handler.describe(ctx, planned);
  if (await handler.isRecorded(ctx, planned)) return ctx.unchanged(change);
  let heldElsewhere = false;
  const written = await ctx.write(change, async () => {
    const claim = handler.claim ? await handler.claim(ctx, planned) : undefined;
    if (handler.claim && !claim) {
      heldElsewhere = true;
      return;
    }
    try {
      await handler.deliver(ctx, planned);
    } catch (error) {
      if (claim && !ctx.dryRun && !(handler.mayHaveDelivered?.(error) ?? false)) await claim.release();
      throw error;
    }
    await handler.record(ctx, planned);
  });
  return heldElsewhere ? ctx.unchanged({ ...change, detail: `${change.detail}: claimed by another run` }) : written;
}

/** Each action on its own: one that fails does not keep the others (another channel) from being delivered; the first failure is thrown after. */
async function deliverEach(ctx: HandlerContext, handler: RecordedHandler<Action>, actions: Planned[]): Promise<AppliedChange[]> {
  const changes: AppliedChange[] = [];
  const failures: unknown[] = [];
  for (const p of actions) {
    try {
      changes.push(await deliverOnce(ctx, handler, p));
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
  return changes;
}
