import type { BotConfig } from '../config/schema.js';
import type { GitLabGateway, UserRef } from '../gitlab/types.js';
import type { Subject } from '../subjects.js';

/** What a fact loader may use: GitLab reads, the config, the bot's cached team and identity, and other facts. */
export interface FactDeps {
  gateway: GitLabGateway;
  config: BotConfig;
  /** The GitLab instance the bot talks to (GITLAB_URL, else gitlab.url): the only host it reads links on. */
  instanceUrl: string;
  /** The Support team's usernames, cached by the bot across events. */
  team(): Promise<Set<string>>;
  /** The bot's own user, cached by the bot (read only when a rule needs it). */
  me(): Promise<UserRef>;
  /** Another fact, through the same once-per-run cache (typed by `readFact` in ./index.ts). */
  fact(name: string, subject: Subject): Promise<unknown>;
}

/**
 * A fact rules can declare they need. `param` picks what the fact depends on from the
 * subject (and config), and `key` names it: facts with equal keys are loaded once per run,
 * so the board of a project or the members of the approver groups are read once a sweep.
 */
export interface FactDefinition<T, P> {
  description: string;
  /** `subject`: read again for each subject (its notes); `run`: shared by every subject of a run (a board, a team). */
  scope: 'subject' | 'run';
  /** `instanceUrl`: the GitLab the bot talks to (GITLAB_URL, else gitlab.url). */
  param(subject: Subject, config: BotConfig, instanceUrl: string): P;
  key(param: P): string;
  load(param: P, deps: FactDeps): Promise<T>;
}

export function defineFact<T, P>(definition: FactDefinition<T, P>): FactDefinition<T, P> {
  return definition;
}

/** For facts that exist only for one kind of subject: a clear error when a rule asks for one on the other. */
export function requireKind<K extends Subject['kind']>(subject: Subject, kind: K, fact: string): Extract<Subject, { kind: K }> {
  if (subject.kind !== kind) throw new Error(`fact "${fact}" is only defined for ${kind.replace('_', ' ')}s`);
  return subject as Extract<Subject, { kind: K }>;
}
