import type { Logger } from 'pino';
import { sameUsername } from '../gitlab/usernames.js';
import type { BotConfig } from '../config/schema.js';
import type { BotEvent } from '../events/types.js';
import { isGitLabError, stopsTheRun } from '../gitlab/errors.js';
import type { GitLabGateway, UserRef } from '../gitlab/types.js';
import type { Renderer } from '../render/renderer.js';
import type { AnyRule, JobName, Trigger } from '../rules/types.js';
import { subjectItem, subjectName, type ProjectScope, type Subject, type SubjectKind } from '../subjects.js';
import { WriteBudget } from './budget.js';
import { isWrite, type AppliedChange, type PlannedAction } from './changes.js';
import { Executor } from './executor.js';
import { FactsLoader, KeptFacts } from './facts.js';
import { planSubject, type RuleOutcome, type SubjectPlan } from './planner.js';
import { ProjectRegistry } from './projects.js';
import { forEachConcurrently } from './concurrency.js';
import { ruleEnabled, ruleQuotes, ruleRunsIn, ruleRunsOn, statesFor } from './runsOn.js';
import type { Ports } from './ports.js';
import type { Writer } from './writer.js';

const DAY_MS = 24 * 3600 * 1000;

function isOpen(subject: Subject): boolean {
  return (subject.kind === 'issue' ? subject.issue.state : subject.mergeRequest.state) === 'opened';
}

export interface BotDeps {
  config: BotConfig;
  gateway: GitLabGateway;
  /** The gateway itself, or a DryRunWriter: chosen once, at start-up. */
  writer: Writer;
  /** The other ports, each real or its dry-run twin as `writer` is. */
  ports?: Partial<Omit<Ports, 'gitlab'>>;
  /** Whether `writer` is the dry-run writer: changes are then reported as `would-write`. */
  dryRun?: boolean;
  /** The GitLab instance the gateway talks to (GITLAB_URL, else gitlab.url). */
  instanceUrl?: string;
  rules: readonly AnyRule[];
  render: Renderer;
  log: Logger;
  now?: () => Date;
  /** Writes one run may make; unlimited for webhook events. */
  budget?: WriteBudget;
  /** Facts kept across runs and events (the team); the bot's own when left out. */
  keptFacts?: KeptFacts;
}

/** What the bot did for one issue or merge request. */
export interface SubjectReport {
  kind: SubjectKind;
  project: string;
  iid: number;
  planned: PlannedAction[];
  changes: AppliedChange[];
  outcomes: RuleOutcome[];
}

/** `quoting`: the other subjects re-planned because their notes quote this one (`quotedBy`). */
export type EventReport = { status: 'ignored'; event: string; reason: string } | { status: 'done'; event: string; subject: SubjectReport; quoting: SubjectReport[] };

export interface JobSummary {
  job: JobName;
  projects: number;
  /** Configured projects that could not be read (moved, deleted, no access). */
  failedProjects: number;
  /** Their names and why, for the summary line. */
  failedProjectNames: string[];
  issuesSeen: number;
  mergeRequestsSeen: number;
  /** Issues and merge requests with at least one write. */
  changed: number;
  writes: number;
  skippedWrites: number;
  ruleErrors: number;
  /** Subjects whose writes failed after retries. */
  failedSubjects: number;
  durationMs: number;
}

/** The bot: config, GitLab, rules and the executor, shared by the server, triggers and jobs. */
export class Bot {
  readonly projects: ProjectRegistry;
  private identity?: Promise<UserRef>;
  private readonly now: () => Date;
  private readonly keptFacts: KeptFacts;

  constructor(readonly deps: BotDeps) {
    this.projects = new ProjectRegistry(deps.config, deps.gateway);
    this.now = deps.now ?? (() => new Date());
    this.keptFacts = deps.keptFacts ?? new KeptFacts();
    const username = deps.config.bot.username;
    // With a configured username, the bot's own events are recognised with no API call.
    if (username) this.identity = Promise.resolve({ id: 0, username });
  }

  /** The bot's own user: from config, else GET /user once, when something first needs it (a sweep whose rules read no comments never does). */
  async user(): Promise<UserRef> {
    this.identity ??= this.deps.gateway.currentUser();
    try {
      return await this.identity;
    } catch (error) {
      this.identity = undefined;
      throw error;
    }
  }

  /**
   * A loader for one event or run. Facts kept past a run (`keepMs`: the team, read at most
   * every ten minutes, since every event in a public project asks for it) live in the bot's
   * `KeptFacts`, shared by every loader it makes and by `withRules` copies.
   */
  factsLoader(): FactsLoader {
    return new FactsLoader({
      config: this.deps.config,
      gateway: this.deps.gateway,
      instanceUrl: this.deps.instanceUrl ?? this.deps.config.gitlab.url,
      me: () => this.user(),
      now: this.now(),
      kept: this.keptFacts,
      warn: (line) => this.deps.log.warn(line),
    });
  }

  /** The same bot with other rules (a job's variant of one), sharing its identity and kept facts. */
  withRules(rules: readonly AnyRule[]): Bot {
    const bot = new Bot({ ...this.deps, rules, keptFacts: this.keptFacts });
    bot.identity = this.identity;
    return bot;
  }

  /** The rules that run for this trigger, by their `runsOn` declarations. */
  rulesFor(trigger: Trigger): AnyRule[] {
    return this.deps.rules.filter((rule) => ruleEnabled(rule, this.deps.config) && ruleRunsOn(rule, trigger));
  }

  executor(budget = this.deps.budget ?? new WriteBudget()): Executor {
    const { gitlab } = this.deps.config;
    return new Executor({
      reader: this.deps.gateway,
      writer: this.deps.writer,
      ports: this.deps.ports,
      dryRun: this.deps.dryRun,
      bot: () => this.user(),
      budget,
      log: this.deps.log,
      retry: { retries: gitlab.retries, baseMs: gitlab.retryBaseMs, maxMs: gitlab.retryMaxMs },
      requestTimeoutMs: gitlab.timeoutMs,
    });
  }

  /** Plans and applies the rules for one issue or merge request. */
  async processSubject(subject: Subject, trigger: Trigger, rules: readonly AnyRule[], facts: FactsLoader, executor: Executor): Promise<SubjectReport> {
    const ctx = { now: this.now(), config: this.deps.config, trigger, render: this.deps.render };
    const subjectFacts = facts.forSubject(subject);
    const plan = await planSubject(subject, rules, ctx, subjectFacts);
    const changes = plan.planned.length > 0 ? await executor.apply(subject, plan.planned, () => subjectFacts.peek('notes')) : [];
    // Our label writes move issues on the project's board: later subjects of the run read it again.
    if (changes.some(isWrite)) facts.forget('activeNow', subject);
    const item = subjectItem(subject);
    return { kind: subject.kind, project: subject.project.path, iid: item.iid, planned: plan.planned, changes, outcomes: plan.outcomes };
  }

  /** Plans the given rules for one subject without writing anything (`check-mr`). */
  async planOnly(subject: Subject, trigger: Trigger, rules: readonly AnyRule[]): Promise<SubjectPlan> {
    const ctx = { now: this.now(), config: this.deps.config, trigger, render: this.deps.render };
    return planSubject(subject, rules, ctx, this.factsLoader().forSubject(subject));
  }

  /** The current state of the subject an event names, or null when it is gone (or hidden from the bot). */
  async readSubject(scope: ProjectScope, kind: SubjectKind, iid: number): Promise<Subject | null> {
    try {
      return kind === 'issue'
        ? { kind, project: scope, issue: await this.deps.gateway.getIssue(scope.id, iid) }
        : { kind, project: scope, mergeRequest: await this.deps.gateway.getMergeRequest(scope.id, iid) };
    } catch (error) {
      if (isGitLabError(error) && error.isNotFound) return null;
      throw error;
    }
  }

  /** One webhook event, from the server or a pipeline trigger: the same path for both. */
  async handleEvent(event: BotEvent): Promise<EventReport> {
    const ignored = (reason: string): EventReport => ({ status: 'ignored', event: event.key, reason });
    const own = (username: string) => ignored(`caused by the bot's own user @${username}`);
    // A configured username costs nothing to compare: the bot's own events stop first.
    const configured = this.deps.config.bot.username;
    if (configured && sameUsername(event.actor.username, configured)) return own(configured);
    // What the payload alone decides comes before GET /user: a group hook (or a trigger
    // pipeline per event) for an unconfigured project, or an event no rule runs on, costs no call.
    const key = this.projects.keyFor(event.projectId, event.projectPath);
    if (!key) return ignored(`project ${event.projectPath} is not configured`);
    // A merged merge request may have changed the project's templates: read them again on next use.
    if (event.key === 'merge_request.merge') this.keptFacts.forget('issueTemplates', String(event.projectId));
    const kind = subjectKindOf(event);
    if (kind === 'issue' && !this.deps.config.projects[key]!.issues) return ignored(`issues of ${event.projectPath} are not watched (projects.${key}.issues)`);
    const trigger: Trigger = { kind: 'event', event };
    const rules = this.rulesFor(trigger).filter((r) => r.subject === kind);
    const quoting = this.deps.rules.filter((r) => r.subject === kind && ruleEnabled(r, this.deps.config) && ruleQuotes(r, event));
    if (rules.length === 0 && quoting.length === 0)
      return ignored(`no rule runs on ${event.key}${'changed' in event && event.key.endsWith('.update') ? ` changing ${event.changed.join(', ') || 'nothing'}` : ''}`);
    const me = await this.user();
    if (sameUsername(event.actor.username, me.username)) return own(me.username);

    // A payload that says the project is public is believed at once (issue 12 #8).
    const scope = await this.projects.resolve(key, { visibilityLevel: event.payload.project.visibility_level });
    // Read current state: payloads can arrive late or out of order, the API cannot.
    const subject = await this.readSubject(scope, kind, event.iid);
    const name = `${scope.path}${kind === 'issue' ? '#' : '!'}${event.iid}`;
    if (!subject) return ignored(`${kind === 'issue' ? 'issue' : 'merge request'} ${name} no longer exists (or the bot cannot see it)`);
    const facts = this.factsLoader();
    const executor = this.executor();
    const report = await this.processSubject(subject, trigger, rules, facts, executor);
    this.logOutcomes(report);
    const quoted: SubjectReport[] = [];
    for (const rule of quoting.filter((r) => ruleRunsIn(r, scope, this.deps.config))) quoted.push(...(await this.replanQuoting(rule, subject, event, facts, executor)));
    return { status: 'done', event: event.key, subject: report, quoting: quoted };
  }

  private logOutcomes(report: SubjectReport): void {
    const name = `${report.project}${report.kind === 'issue' ? '#' : '!'}${report.iid}`;
    for (const outcome of report.outcomes) {
      if (outcome.status === 'error') this.deps.log.warn({ rule: outcome.rule, reason: outcome.error, subject: name }, `[${name}] rule ${outcome.rule} failed: ${outcome.error}`);
      else if (outcome.without)
        this.deps.log.warn({ rule: outcome.rule, without: outcome.without, subject: name }, `[${name}] rule ${outcome.rule} planned without ${outcome.without.join(', ')}`);
    }
  }

  /**
   * An event changed what other subjects' notes quote (a board issue retitled or made
   * confidential): re-plan those subjects with this rule alone, from current state, as a sweep
   * would (issue 21 #6), so a title that turned confidential leaves every note at once.
   */
  private async replanQuoting(rule: AnyRule, subject: Subject, event: BotEvent, facts: FactsLoader, executor: Executor): Promise<SubjectReport[]> {
    const loaded = await facts.forSubject(subject).load(rule.needs ?? []);
    const name = subjectName(subject);
    if (loaded.failures.length > 0) {
      const reason = loaded.failures.map((f) => `${f.fact}: ${f.error}`).join('; ');
      this.deps.log.warn({ rule: rule.key, reason, subject: name }, `[${name}] rule ${rule.key} could not find the notes that quote it: ${reason}`);
      return [];
    }
    const own = subjectItem(subject).iid;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rule's own subject kind and facts, as loaded for it
    const iids = [...new Set(rule.quotedBy!.iids(subject as any, loaded.facts as any, this.deps.config))].filter((iid) => iid !== own);
    const trigger: Trigger = { kind: 'quoted', event };
    const reports: SubjectReport[] = [];
    for (const iid of iids) {
      const other = await this.readSubject(subject.project, subject.kind, iid);
      if (!other) continue;
      const report = await this.processSubject(other, trigger, [rule], facts, executor);
      this.logOutcomes(report);
      reports.push(report);
    }
    return reports;
  }

  /**
   * The issues and merge requests a job reads in one project, for the rules that can apply
   * there (`runsOn.projects`): open ones; closed issues, and closed or merged merge requests,
   * updated within `bot.closedIssuesWindowDays` when a rule of that kind asks (`runsOn.states`);
   * merge requests only when a merge request rule can apply.
   */
  private async *subjectsOf(scope: ProjectScope, rules: readonly AnyRule[]): AsyncIterable<Subject> {
    const updatedAfter = new Date(this.now().getTime() - this.deps.config.bot.closedIssuesWindowDays * DAY_MS);
    const issueRules = rules.filter((r) => r.subject === 'issue');
    if (issueRules.length > 0) {
      for await (const issue of this.deps.gateway.listIssues(scope.id, { state: 'opened', orderBy: 'created_at', sort: 'asc' })) yield { kind: 'issue', project: scope, issue };
      if (statesFor(issueRules).has('closed')) {
        for await (const issue of this.deps.gateway.listIssues(scope.id, { state: 'closed', updatedAfter, orderBy: 'updated_at', sort: 'asc' }))
          yield { kind: 'issue', project: scope, issue };
      }
    }
    const mergeRequestRules = rules.filter((r) => r.subject === 'merge_request');
    if (mergeRequestRules.length > 0) {
      for await (const mergeRequest of this.deps.gateway.listMergeRequests(scope.id, { state: 'opened' })) yield { kind: 'merge_request', project: scope, mergeRequest };
      // A merged or closed merge request stays readable: a secret on it must not stay for good.
      if (statesFor(mergeRequestRules).has('closed')) {
        for (const state of ['closed', 'merged'] as const)
          for await (const mergeRequest of this.deps.gateway.listMergeRequests(scope.id, { state, updatedAfter })) yield { kind: 'merge_request', project: scope, mergeRequest };
      }
    }
  }

  private async sweepProject(
    scope: ProjectScope,
    trigger: Trigger,
    rules: readonly AnyRule[],
    facts: FactsLoader,
    executor: Executor,
    summary: JobSummary,
    onSubject?: (report: SubjectReport) => void,
  ): Promise<void> {
    const here = rules.filter((rule) => ruleRunsIn(rule, scope, this.deps.config));
    await forEachConcurrently(this.subjectsOf(scope, here), this.deps.config.gitlab.concurrency, async (subject) => {
      if (subject.kind === 'issue') summary.issuesSeen += 1;
      else summary.mergeRequestsSeen += 1;
      let report: SubjectReport;
      try {
        // A closed (or merged) subject is listed for the rules that asked for it, and planned by those alone.
        report = await this.processSubject(subject, trigger, isOpen(subject) ? here : here.filter((r) => statesFor([r]).has('closed')), facts, executor);
      } catch (error) {
        if (stopsTheRun(error)) throw error;
        // One subject's failed write (after retries) must not stop the sweep of the others.
        summary.failedSubjects += 1;
        const name = subjectName(subject);
        this.deps.log.error({ err: error, subject: name }, `[${name}] failed`);
        return;
      }
      const writes = report.changes.filter(isWrite).length;
      summary.writes += writes;
      summary.skippedWrites += report.changes.filter((c) => c.outcome === 'skipped').length;
      summary.ruleErrors += report.outcomes.filter((o) => o.status === 'error').length;
      if (writes > 0) summary.changed += 1;
      onSubject?.(report);
    });
  }

  /**
   * A scheduled job over the open issues (and merge requests) of every configured project;
   * `facts`: a loader the job already read through (the dormant job's token check).
   */
  async runJob(job: JobName, onSubject?: (report: SubjectReport) => void, facts: FactsLoader = this.factsLoader()): Promise<JobSummary> {
    const started = performance.now();
    const trigger: Trigger = { kind: 'job', job };
    const rules = this.rulesFor(trigger);
    const executor = this.executor();
    const summary: JobSummary = {
      job,
      projects: 0,
      failedProjects: 0,
      failedProjectNames: [],
      issuesSeen: 0,
      mergeRequestsSeen: 0,
      changed: 0,
      writes: 0,
      skippedWrites: 0,
      ruleErrors: 0,
      failedSubjects: 0,
      durationMs: 0,
    };
    for (const key of this.projects.keys) {
      try {
        const scope = await this.projects.resolve(key);
        summary.projects += 1;
        await this.sweepProject(scope, trigger, rules, facts, executor, summary, onSubject);
      } catch (error) {
        // 401 (or 403 insufficient_scope): the token is bad for everything, stop. Anything else (403 on this project,
        // a project that moved, a 5xx after retries) stops only this project's part.
        if (stopsTheRun(error)) throw error;
        summary.failedProjects += 1;
        const status = isGitLabError(error) && error.status ? ` (${error.status})` : '';
        summary.failedProjectNames.push(`${this.deps.config.projects[key]?.path ?? key}${status}`);
        this.deps.log.error({ err: error, project: key }, `[${key}] project skipped: ${(error as Error).message}`);
      }
    }
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  }
}

/** Which kind of subject an event names. */
export function subjectKindOf(event: BotEvent): SubjectKind {
  return event.kind === 'merge_request' || event.kind === 'emoji' || event.key === 'note.merge_request' ? 'merge_request' : 'issue';
}
