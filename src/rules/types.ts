import type { LabelUse } from '../config/labelUses.js';
import type { BotConfig } from '../config/schema.js';
import type { ConfigSection } from '../config/section.js';
import type { BotEvent, EventKey, IssueEventKey, MergeRequestEventKey } from '../events/types.js';
import type { FactName, FactTypes } from '../facts/index.js';
import type { JobName } from '../jobs/names.js';
import type { MessageSamples } from '../render/messages.js';
import type { Renderer } from '../render/renderer.js';
import type { ProjectScope, SubjectKind, SubjectOf } from '../subjects.js';
import type { Action } from './actions.js';

export type { JobName } from '../jobs/names.js';
export type { IssueSubject, MergeRequestSubject, ProjectScope, Subject, SubjectKind } from '../subjects.js';
export type { FactName, FactTypes, IssueBrief } from '../facts/index.js';
export type { MessageSample, MessageSamples } from '../render/messages.js';

/**
 * What made the bot look: a webhook event, a scheduled job, a command run for one subject
 * (`check-mr`), or an event on another subject this one's note quotes (`quotedBy`): then the
 * event is not about this subject, and the rule plans as a sweep would.
 */
export type Trigger = { kind: 'event'; event: BotEvent } | { kind: 'job'; job: JobName } | { kind: 'command'; command: 'check-mr' } | { kind: 'quoted'; event: BotEvent };

/** The webhook events that can name a subject of each kind. */
export interface EventsByKind {
  issue: IssueEventKey | 'note.issue';
  merge_request: MergeRequestEventKey | 'note.merge_request' | 'emoji.merge_request';
}

/**
 * When a rule runs, declared once and checked by the engine. For each event: `'always'`,
 * or the fields of GitLab's `changes` whose change matters (an update touching none of
 * them does not run the rule; other actions of that event always do).
 */
export interface RunsOn<K extends SubjectKind> {
  events: { readonly [E in EventsByKind[K]]?: 'always' | readonly string[] };
  jobs: readonly JobName[];
  /**
   * States of subjects a scheduled job lists for this rule (default: open ones only). `closed`:
   * also those closed (for merge requests: closed or merged) within `bot.closedIssuesWindowDays`;
   * on such a subject the job plans only the rules that ask for it.
   */
  states?: readonly ('opened' | 'closed')[];
  /**
   * The configured projects the rule can apply in, from the project alone (default: every
   * one; an issue rule never runs where `issues: false`). The engine checks it before
   * `applies`, a scheduled job lists a project's merge requests, or its closed issues,
   * only for the rules that can apply there, and `config validate --remote` checks the
   * rule's `labels` only there.
   */
  projects?: (project: ProjectScope, config: BotConfig) => boolean;
  /**
   * Issue rules: the work item types (GitLab's `issue_type`) the rule runs on. Default
   * `['issue']`: tasks, incidents and test cases come through the same API and hooks but
   * are not requests to triage; `'all'` for a protection that holds whatever the type.
   */
  issueTypes?: readonly string[] | 'all';
}

/** What every rule sees besides its facts; `render` takes the names of the rule's own `messages`. */
export interface BaseContext<M extends string = string> {
  now: Date;
  config: BotConfig;
  trigger: Trigger;
  render: Renderer<M>;
}

/** Needed facts are always there; optional ones may be missing (the rule says what it does then). */
export type RuleFacts<N extends FactName, O extends FactName> = Pick<FactTypes, N> & Partial<Pick<FactTypes, O>>;

export interface RuleContext<N extends FactName = never, O extends FactName = never, M extends string = string> extends BaseContext<M> {
  facts: RuleFacts<N, O>;
}

export interface RuleResult {
  action: Action;
  reason: string;
}

/**
 * A rule is pure: it reads the subject and the context and returns the actions it
 * wants; it never calls GitLab, reads the clock or the environment.
 */
export interface Rule<K extends SubjectKind, N extends FactName = never, O extends FactName = never, M extends string = never> {
  /** Also the rule's switch in the config file: `rules.<key>.enabled`, `rules.<key>.projects`. */
  key: string;
  description: string;
  subject: K;
  /** The rule's own section of the config file, with its defaults and the keys in it that name projects. */
  config?: ConfigSection;
  /** The message templates the rule renders, with sample data for every branch (`ctx.render` takes only these names). */
  messages?: MessageSamples<M>;
  runsOn: RunsOn<K>;
  /** Facts the rule cannot plan without: one that fails to load is this rule's error. */
  needs?: readonly N[];
  /** Facts the rule can do without; its file says what it does then. */
  optional?: readonly O[];
  /**
   * The configured labels the rule writes or filters by in a project where it runs
   * (`runsOn.projects`): `config validate --remote` checks that each exists there, and nowhere else.
   */
  labels?: (config: BotConfig, projectKey: string) => LabelUse[];
  /**
   * Where the rule's notes quote other subjects (their titles): when one of these events
   * changes a subject (`events`, declared as in `runsOn`), the engine loads the rule's `needs`
   * for it and re-plans, with this rule alone, the other subjects of its project that `iids`
   * names (those whose note may quote it), so nothing stale stays until the next sweep.
   */
  quotedBy?: {
    events: RunsOn<K>['events'];
    iids(subject: SubjectOf<K>, facts: RuleFacts<N, never>, config: BotConfig): readonly number[];
  };
  /** A cheap filter on the subject (list data), checked before any fact is loaded. */
  applies(subject: SubjectOf<K>, ctx: BaseContext): boolean;
  plan(subject: SubjectOf<K>, ctx: RuleContext<N, O, M>): RuleResult[];
}

export type IssueRule<N extends FactName = never, O extends FactName = never, M extends string = never> = Rule<'issue', N, O, M>;
export type MergeRequestRule<N extends FactName = never, O extends FactName = never, M extends string = never> = Rule<'merge_request', N, O, M>;

/** Any rule, as the registry and the engine hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<'issue', any, any, any> | Rule<'merge_request', any, any, any>;

/** Declares an issue rule, inferring its facts from `needs` and `optional` and its template names from `messages`. */
export function issueRule<const N extends FactName = never, const O extends FactName = never, const M extends string = never>(
  rule: Omit<Rule<'issue', N, O, M>, 'subject'>,
): Rule<'issue', N, O, M> {
  return { ...rule, subject: 'issue' };
}

/** Declares a merge request rule, inferring its facts from `needs` and `optional` and its template names from `messages`. */
export function mergeRequestRule<const N extends FactName = never, const O extends FactName = never, const M extends string = never>(
  rule: Omit<Rule<'merge_request', N, O, M>, 'subject'>,
): Rule<'merge_request', N, O, M> {
  return { ...rule, subject: 'merge_request' };
}

export type { EventKey };
