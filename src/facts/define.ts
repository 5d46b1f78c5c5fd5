import type { BotConfig } from '../config/schema.js';
import type { GitLabGateway, UserRef } from '../gitlab/types.js';
import type { Subject } from '../subjects.js';

/**
 * Every fact's type by name: filled in by `./index.ts` from the fact map (declaration
 * merging, so this module needs no import of the map and no cycle forms).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- augmented by ./index.ts
export interface FactRegistry {}

/** What a fact's loader sees besides GitLab: the config, the instance and the run's clock. */
export interface FactContext {
  config: BotConfig;
  /** The GitLab instance the bot talks to (GITLAB_URL, else gitlab.url): the only host it reads links on. */
  instanceUrl: string;
  /** The run's clock (the bot's `now`, fixed in tests): a fact whose value depends on it puts it in its key. */
  now: Date;
}

/** What a fact loader may use: GitLab reads, the config and clock, the bot's identity, and other facts. */
export interface FactDeps extends FactContext {
  gateway: GitLabGateway;
  /** The bot's own user, cached by the bot (read only when a rule needs it). */
  me(): Promise<UserRef>;
  /** Tells the operator (the bot's log at warn) something a fact found that needs a person: a project without a template file. */
  warn?: (line: string) => void;
  /**
   * Another fact, through the same caches, typed by the fact map: of this subject, or of
   * another issue or merge request (a board issue's label history).
   */
  fact<K extends keyof FactRegistry>(name: K, subject: Subject): Promise<FactRegistry[K]>;
}

/**
 * A fact rules and jobs can ask for. `param` picks what the fact depends on from the
 * subject (and the config, instance, clock), and `key` names it: facts with equal keys are
 * loaded once, so the board of a project or the members of the approver groups are read
 * once a sweep, even when several subjects ask at the same moment.
 */
export interface FactDefinition<T, P> {
  description: string;
  /** `subject`: read again for each subject (its notes); `run`: shared by every subject of a run (a board, a team). */
  scope: 'subject' | 'run';
  /**
   * A run-scoped fact that may outlive its run: kept this long by the bot for later runs
   * and events (`serve` asks for the team on every event in a public project).
   */
  keepMs?: number;
  /**
   * When it loads among the facts one subject needs: stage 1 (the default) first, all of
   * a stage in parallel; a later stage is loaded only for the rules still able to plan
   * (none of their needed facts failed), so a cheap, shared fact that fails (the team)
   * spares every subject its expensive reads.
   */
  stage?: 1 | 2;
  /** `instanceUrl`: the GitLab the bot talks to (GITLAB_URL, else gitlab.url); `now`: the run's clock. */
  param(subject: Subject, config: BotConfig, instanceUrl: string, now: Date): P;
  key(param: P): string;
  load(param: P, deps: FactDeps): Promise<T>;
}

export function defineFact<T, P>(definition: FactDefinition<T, P>): FactDefinition<T, P> {
  return definition;
}

/** A run-scoped fact that depends on no subject (the team, the bot's token): jobs can ask for it before they have one. */
export type RunWideFact<T, P> = FactDefinition<T, P> & { runWide: true };

export function defineRunWideFact<T, P>(
  definition: Omit<FactDefinition<T, P>, 'scope' | 'param'> & { param(config: BotConfig, instanceUrl: string, now: Date): P },
): RunWideFact<T, P> {
  return { ...definition, scope: 'run', param: (_subject, ...context) => definition.param(...context), runWide: true };
}

/** For facts that exist only for one kind of subject: a clear error when a rule asks for one on the other. */
export function requireKind<K extends Subject['kind']>(subject: Subject, kind: K, fact: string): Extract<Subject, { kind: K }> {
  if (subject.kind !== kind) throw new Error(`fact "${fact}" is only defined for ${kind.replace('_', ' ')}s`);
  return subject as Extract<Subject, { kind: K }>;
}
