import type { Logger } from 'pino';
import type { BotConfig } from '../config/schema.js';
import type { BotEvent } from '../events/types.js';
import { collect } from '../gitlab/collect.js';
import { isGitLabError } from '../gitlab/errors.js';
import type { GitLabGateway, Issue, UserRef } from '../gitlab/types.js';
import type { Renderer } from '../render/renderer.js';
import type { IssueRule, IssueSubject, JobName, ProjectScope, Trigger } from '../rules/types.js';
import type { AppliedChange, PlannedAction } from './actions.js';
import { WriteBudget } from './budget.js';
import { Executor } from './executor.js';
import { FactsLoader } from './facts.js';
import { planIssue, type RuleOutcome } from './planner.js';
import { ProjectRegistry } from './projects.js';
import type { Writer } from './writer.js';

const TEAM_CACHE_MS = 10 * 60 * 1000;

export interface BotDeps {
  config: BotConfig;
  gateway: GitLabGateway;
  /** The gateway itself, or a DryRunWriter: chosen once, at start-up. */
  writer: Writer;
  rules: readonly IssueRule[];
  render: Renderer;
  log: Logger;
  now?: () => Date;
  /** Writes one run may make; unlimited for webhook events. */
  budget?: WriteBudget;
}

export interface IssueReport {
  project: string;
  iid: number;
  planned: PlannedAction[];
  changes: AppliedChange[];
  outcomes: RuleOutcome[];
}

export type EventReport =
  | { status: 'ignored'; event: string; reason: string }
  | { status: 'done'; event: string; issue: IssueReport };

/** The bot: config, GitLab, rules and the executor, shared by the server, triggers and jobs. */
export class Bot {
  readonly projects: ProjectRegistry;
  private identity?: Promise<UserRef>;
  private readonly now: () => Date;

  constructor(readonly deps: BotDeps) {
    this.projects = new ProjectRegistry(deps.config, deps.gateway);
    this.now = deps.now ?? (() => new Date());
    const username = deps.config.bot.username;
    // With a configured username, the bot's own events are recognised with no API call.
    if (username) this.identity = Promise.resolve({ id: 0, username });
  }

  /** The bot's own user: from config, else GET /user once. */
  async user(): Promise<UserRef> {
    this.identity ??= this.deps.gateway.currentUser();
    try {
      return await this.identity;
    } catch (error) {
      this.identity = undefined;
      throw error;
    }
  }

  private team?: { members: Promise<Set<string>>; expires: number };

  /**
   * The Support team's usernames, read at most every few minutes: every event in a public
   * project needs them, and listing a group and its subgroups costs several requests.
   */
  private teamMembers(): Promise<Set<string>> {
    const now = Date.now();
    if (!this.team || this.team.expires <= now) {
      const members = collect(this.deps.gateway.listTeamMembers(this.deps.config.sla.teamGroup)).then((users) => new Set(users.map((u) => u.username)));
      members.catch(() => (this.team = undefined));
      this.team = { members, expires: now + TEAM_CACHE_MS };
    }
    return this.team.members;
  }

  private factsLoader(): FactsLoader {
    return new FactsLoader(this.deps.config, this.deps.gateway, () => this.teamMembers());
  }

  rulesFor(trigger: Trigger): IssueRule[] {
    return this.deps.rules.filter((r) =>
      trigger.kind === 'event' ? (r.events as readonly string[]).includes(trigger.event.key) : r.jobs.includes(trigger.job),
    );
  }

  async executor(budget = this.deps.budget ?? new WriteBudget()): Promise<Executor> {
    return new Executor({ reader: this.deps.gateway, writer: this.deps.writer, bot: await this.user(), budget, log: this.deps.log });
  }

  /** Plans and applies the rules for one issue. */
  async processIssue(scope: ProjectScope, issue: Issue, trigger: Trigger, rules: readonly IssueRule[], facts: FactsLoader, executor: Executor): Promise<IssueReport> {
    const subject: IssueSubject = { kind: 'issue', project: scope, issue };
    const ctx = { now: this.now(), config: this.deps.config, bot: await this.user(), trigger, render: this.deps.render };
    const plan = await planIssue(subject, rules, ctx, facts);
    const changes = plan.planned.length > 0 ? await executor.applyToIssue(issue, plan.planned, plan.facts.notes) : [];
    if (changes.some((c) => c.outcome === 'written')) facts.invalidateBoard(scope.id);
    return { project: scope.path, iid: issue.iid, planned: plan.planned, changes, outcomes: plan.outcomes };
  }

  /** One webhook event, from the server or a pipeline trigger: the same path for both. */
  async handleEvent(event: BotEvent): Promise<EventReport> {
    const ignored = (reason: string): EventReport => ({ status: 'ignored', event: event.key, reason });
    const me = await this.user();
    if (event.actor.username === me.username) return ignored(`caused by the bot's own user @${me.username}`);
    const key = this.projects.keyFor(event.projectId, event.projectPath);
    if (!key) return ignored(`project ${event.projectPath} is not configured`);
    const trigger: Trigger = { kind: 'event', event };
    const rules = this.rulesFor(trigger);
    if (rules.length === 0) return ignored(`no rule runs on ${event.key}`);
    if (event.kind === 'merge_request' || event.key === 'note.merge_request') return ignored('merge request rules are not configured');

    // A payload that says the project is public is believed at once (issue 12 #8).
    const scope = await this.projects.resolve(key, { visibilityLevel: event.payload.project.visibility_level });
    // Read current state: payloads can arrive late or out of order, the API cannot.
    const issue = await this.deps.gateway.getIssue(scope.id, event.iid).catch((error: unknown) => {
      if (isGitLabError(error) && error.isNotFound) return null;
      throw error;
    });
    if (!issue) return ignored(`issue ${scope.path}#${event.iid} no longer exists (or the bot cannot see it)`);
    const report = await this.processIssue(scope, issue, trigger, rules, this.factsLoader(), await this.executor());
    return { status: 'done', event: event.key, issue: report };
  }

  private async sweepProject(
    scope: ProjectScope,
    trigger: Trigger,
    rules: readonly IssueRule[],
    facts: FactsLoader,
    executor: Executor,
    summary: IssueJobSummary,
    onIssue?: (report: IssueReport) => void,
  ): Promise<void> {
    for await (const issue of this.deps.gateway.listIssues(scope.id, { state: 'opened', orderBy: 'created_at', sort: 'asc' })) {
      summary.issuesSeen += 1;
      let report: IssueReport;
      try {
        report = await this.processIssue(scope, issue, trigger, rules, facts, executor);
      } catch (error) {
        // One issue's failed write (after retries) must not stop the sweep of the others.
        summary.failedIssues += 1;
        this.deps.log.error({ err: error, project: scope.path, iid: issue.iid }, `[${scope.path}#${issue.iid}] failed`);
        continue;
      }
      const written = report.changes.filter((c) => c.outcome === 'written').length;
      summary.writes += written;
      summary.skippedWrites += report.changes.filter((c) => c.outcome === 'skipped').length;
      summary.ruleErrors += report.outcomes.filter((o) => o.status === 'error').length;
      if (written > 0) summary.issuesChanged += 1;
      onIssue?.(report);
    }
  }

  /** A scheduled job over every open issue of every configured project. */
  async runIssueJob(job: JobName, onIssue?: (report: IssueReport) => void): Promise<IssueJobSummary> {
    const started = performance.now();
    const trigger: Trigger = { kind: 'job', job };
    const rules = this.rulesFor(trigger);
    const facts = this.factsLoader();
    const executor = await this.executor();
    const summary: IssueJobSummary = { job, projects: 0, failedProjects: 0, issuesSeen: 0, issuesChanged: 0, writes: 0, skippedWrites: 0, ruleErrors: 0, failedIssues: 0, durationMs: 0 };
    for (const key of this.projects.keys) {
      try {
        const scope = await this.projects.resolve(key);
        summary.projects += 1;
        await this.sweepProject(scope, trigger, rules, facts, executor, summary, onIssue);
      } catch (error) {
        // A refused token is the operator's to fix: stop. Anything else (a project that
        // moved, a 5xx after retries) stops only this project's part of the run.
        if (isGitLabError(error) && (error.status === 401 || error.status === 403)) throw error;
        summary.failedProjects += 1;
        this.deps.log.error({ err: error, project: key }, `[${key}] project skipped: ${(error as Error).message}`);
      }
    }
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  }
}

export interface IssueJobSummary {
  job: JobName;
  projects: number;
  /** Configured projects that could not be read (moved, deleted, no access). */
  failedProjects: number;
  issuesSeen: number;
  issuesChanged: number;
  writes: number;
  skippedWrites: number;
  ruleErrors: number;
  /** Issues whose writes failed after retries. */
  failedIssues: number;
  durationMs: number;
}
