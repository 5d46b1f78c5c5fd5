import type { Logger } from 'pino';
import type { GitLabGateway, Note, NoteableRef, UserRef } from '../../gitlab/types.js';
import type { Action, ActionType } from '../../rules/actions.js';
import type { ProjectAction, ProjectActionType } from '../../rules/projectActions.js';
import type { Subject } from '../../subjects.js';
import type { AppliedChange, PlannedAction } from '../changes.js';
import type { ChangeDraft, Effects } from '../effects.js';
import type { PortName, Ports } from '../ports.js';

/**
 * How a handler keeps its effect exactly-once across reruns, replicas and retries:
 * - `diffed`: it reads GitLab's state (labels, fields, notes, statuses, issues, files) and
 *   writes only the difference, so a rerun finds nothing to do;
 * - `recorded`: the effect cannot be read back (a chat message), so it is delivered at least
 *   once and then recorded in GitLab; a rerun finds the record and delivers nothing.
 */
export type Delivery = 'diffed' | 'recorded';

/** A planned action of one type (or one of a few types). */
export type Planned<A extends Action = Action> = Omit<PlannedAction, 'action'> & { action: A };

export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;

/** Reads go to GitLab even in a dry run, so the plan and the diff are the real ones. */
export type GitLabReader = Pick<GitLabGateway, 'listNotes' | 'listCommitStatuses' | 'listIssues' | 'listAwardEmoji'>;

/** What a handler gets for one subject. Its writes go through `write`, on the handler's own port. */
export interface HandlerContext {
  subject: Subject;
  ref: NoteableRef;
  ports: Ports;
  reader: GitLabReader;
  /** The subject's notes, read once per subject when a handler first asks (the planner's copy when it read them). */
  notes(): Promise<Note[]>;
  /** A handler that wrote a note tells the handlers after it (the rename's intent, then the notes). */
  notesChanged(notes: Note[]): void;
  /** The bot's own user (bot.username, else one cached GET /user). */
  bot(): Promise<UserRef>;
  dryRun: boolean;
  log: Logger;
  /** Budget, dry run and the outcome, the same for every port. */
  write(change: ChangeDraft, send: () => Promise<unknown>): Promise<AppliedChange>;
  unchanged(change: ChangeDraft): AppliedChange;
  createOnce: Effects['createOnce'];
}

/**
 * A diffed handler gets all of a subject's planned actions of its type, in plan order.
 * Handlers that share one `apply` get their actions in one call: the subject's labels,
 * title, description, confidentiality and state make one PUT.
 */
export interface DiffedHandler<A extends Action> {
  readonly port: PortName;
  readonly delivery: 'diffed';
  readonly apply: (ctx: HandlerContext, planned: Planned<A>[]) => Promise<AppliedChange[]>;
}

/**
 * A recorded handler states the steps; the executor runs them the same way for every one:
 * an action whose record is found is `unchanged`; otherwise, within the write budget,
 * `deliver` (through the handler's port), then `record` (in GitLab). A delivery that fails
 * records nothing, so the next run delivers again; a record that fails after a delivery
 * does the same (at least once, never silently lost).
 */
export interface RecordedHandler<A extends Action> {
  readonly port: PortName;
  readonly delivery: 'recorded';
  readonly describe: (ctx: HandlerContext, planned: Planned<A>) => ChangeDraft;
  readonly isRecorded: (ctx: HandlerContext, planned: Planned<A>) => Promise<boolean>;
  /**
   * Optional: taken in GitLab before delivery, so that of two runs (two replicas, a retried
   * pipeline) only one delivers; undefined when another run holds it (the action is then
   * `unchanged`). A delivery that failed releases it unless `mayHaveDelivered` says the effect
   * may have happened anyway (then it is kept: never delivered twice).
   */
  readonly claim?: (ctx: HandlerContext, planned: Planned<A>) => Promise<Claim | undefined>;
  readonly mayHaveDelivered?: (error: unknown) => boolean;
  readonly deliver: (ctx: HandlerContext, planned: Planned<A>) => Promise<void>;
  readonly record: (ctx: HandlerContext, planned: Planned<A>) => Promise<void>;
}

/** A claim taken before a delivery. */
export interface Claim {
  release(): Promise<void>;
}

export type ActionHandler<A extends Action> = DiffedHandler<A> | RecordedHandler<A>;

/**
 * One handler per action type, the subjects' and the projects': a missing one does not
 * compile (tests/engine/handlers.test.ts is typechecked).
 */
export type ActionHandlers = { readonly [T in ActionType]: ActionHandler<ActionOf<T>> } & ProjectActionHandlers;

/** A planned project action (`src/rules/projectActions.ts`): the command that planned it is its `rule`. */
export type PlannedProjectAction<A extends ProjectAction = ProjectAction> = Omit<PlannedAction, 'action'> & { action: A };

export type ProjectActionOf<T extends ProjectActionType> = Extract<ProjectAction, { type: T }>;

/** What a project action's handler gets: its port and the executor's effects, no subject. */
export type ProjectHandlerContext = Pick<HandlerContext, 'ports' | 'dryRun' | 'log' | 'write' | 'unchanged'>;

/**
 * A project action's handler. Its actions were planned from a diff against GitLab's state
 * (the sync commands read it first), so it writes what it is given; where GitLab's answer
 * shows the state already holds (a 409 for a merge request already open) it is `unchanged`.
 * It gets one action at a time, in plan order, and stops its own steps at the first write
 * the budget skips.
 */
export interface ProjectActionHandler<A extends ProjectAction> {
  readonly port: PortName;
  readonly delivery: 'diffed';
  readonly apply: (ctx: ProjectHandlerContext, planned: PlannedProjectAction<A>) => Promise<AppliedChange[]>;
}

export type ProjectActionHandlers = { readonly [T in ProjectActionType]: ProjectActionHandler<ProjectActionOf<T>> };
