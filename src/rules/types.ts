import type { Action } from '../engine/actions.js';
import type { BotEvent, EventKey } from '../events/types.js';
import type { BotConfig, ProjectConfig } from '../config/schema.js';
import type { Issue, Note, UserRef } from '../gitlab/types.js';
import type { Renderer } from '../render/renderer.js';

export type JobName = 'sweep' | 'sla' | 'swir' | 'dormant';

/** A configured project, resolved against GitLab once per run. */
export interface ProjectScope {
  key: string;
  id: number;
  path: string;
  visibility: 'public' | 'internal' | 'private';
  webUrl: string;
  config: ProjectConfig;
}

/** Facts a rule can ask the engine to load before it is evaluated. */
export type Need = 'notes' | 'activeNow' | 'teamMembers';

export interface IssueBrief {
  iid: number;
  title: string;
  webUrl: string;
}

export interface Facts {
  /** Issue notes, oldest first (when the rule needs 'notes'). */
  notes?: Note[];
  /** Open issues per 'Active Now' label in the subject's project (when the rule needs 'activeNow'). */
  activeNow?: Record<string, IssueBrief[]>;
  /** Usernames of the Support team (when the rule needs 'teamMembers'). */
  teamMembers?: Set<string>;
}

export interface IssueSubject {
  kind: 'issue';
  project: ProjectScope;
  issue: Issue;
}

export type Trigger = { kind: 'event'; event: BotEvent } | { kind: 'job'; job: JobName };

export interface RuleContext {
  now: Date;
  config: BotConfig;
  bot: UserRef;
  trigger: Trigger;
  facts: Facts;
  render: Renderer;
}

export interface RuleResult {
  action: Action;
  reason: string;
}

/**
 * A rule is pure: it reads the subject and the context and returns the actions it
 * wants; it never calls GitLab, reads the clock or the environment.
 */
export interface IssueRule {
  key: string;
  description: string;
  /** Webhook events that run this rule. */
  events: readonly EventKey[];
  /** Scheduled jobs that run this rule. */
  jobs: readonly JobName[];
  needs?: readonly Need[];
  /** A cheap filter on list data, checked before any fact is loaded. */
  applies(subject: IssueSubject, ctx: Omit<RuleContext, 'facts'>): boolean;
  plan(subject: IssueSubject, ctx: RuleContext): RuleResult[];
}
