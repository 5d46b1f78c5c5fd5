import { loadConfig, loadMessagesDir } from '../../src/config/load.js';
import type { BotConfig } from '../../src/config/schema.js';
import type { Issue, MergeRequest, Note } from '../../src/gitlab/types.js';
import { ruleRunsIn, ruleRunsOn } from '../../src/engine/runsOn.js';
import type { IssueEvent, IssueEventKey } from '../../src/events/types.js';
import type { BaseContext, IssueSubject, MergeRequestSubject, ProjectScope, Rule, RuleResult, SubjectKind, Trigger } from '../../src/rules/types.js';
import type { SubjectOf } from '../../src/subjects.js';
import { resolveProjectTemplates, type ProjectTemplate } from '../../src/templates/projectTemplates.js';
import { shippedTemplates } from '../../src/templates/shipped.js';

// Small builders for rule tests: plain objects with overrides, no I/O beyond reading the default config once.

export const defaultConfig: BotConfig = loadConfig('config/support-bot.yml').config;
export const renderer = loadMessagesDir('config/messages');

let nextId = 1000;

export function buildIssue(overrides: Partial<Issue> = {}): Issue {
  const id = nextId++;
  return {
    id,
    iid: overrides.iid ?? id - 999,
    projectId: 1,
    title: 'An issue',
    description: '',
    state: 'opened',
    labels: [],
    confidential: false,
    author: { id: 10, username: 'alice', name: 'Alice' },
    assignees: [],
    createdAt: new Date('2026-11-16T09:00:00Z'),
    updatedAt: new Date('2026-11-16T09:00:00Z'),
    closedAt: null,
    webUrl: `https://gitlab.example.com/gitlab-com/support/project/-/issues/${overrides.iid ?? id - 999}`,
    userNotesCount: 0,
    issueType: 'issue',
    ...overrides,
  };
}

export function buildMergeRequest(overrides: Partial<MergeRequest> = {}): MergeRequest {
  const id = nextId++;
  const iid = overrides.iid ?? id - 999;
  return {
    id,
    iid,
    projectId: 1,
    title: 'Update the Contact Request template',
    description: '',
    state: 'opened',
    labels: [],
    author: { id: 12, username: 'carol', name: 'Carol' },
    sourceBranch: 'update-template',
    targetBranch: 'main',
    sha: 'abc123',
    draft: false,
    createdAt: new Date('2026-11-16T09:00:00Z'),
    updatedAt: new Date('2026-11-16T09:00:00Z'),
    webUrl: `https://gitlab.example.com/gitlab-com/support/project/-/merge_requests/${iid}`,
    ...overrides,
  };
}

export function buildNote(overrides: Partial<Note> = {}): Note {
  const id = nextId++;
  return {
    id,
    body: 'A comment',
    author: { id: 11, username: 'bob', name: 'Bob' },
    system: false,
    internal: false,
    createdAt: new Date('2026-11-16T10:00:00Z'),
    updatedAt: new Date('2026-11-16T10:00:00Z'),
    ...overrides,
  };
}

export function buildScope(key: string, overrides: Partial<ProjectScope> = {}, config: BotConfig = defaultConfig): ProjectScope {
  const projectConfig = config.projects[key];
  if (!projectConfig) throw new Error(`no project "${key}" in the config`);
  const path = typeof projectConfig.path === 'string' ? projectConfig.path : `group/project-${projectConfig.path}`;
  return {
    key,
    id: 1,
    path,
    visibility: projectConfig.public ? 'public' : 'private',
    webUrl: `https://gitlab.example.com/${path}`,
    defaultBranch: 'main',
    config: projectConfig,
    ...overrides,
  };
}

export function buildSubject(key: string, issue: Partial<Issue> = {}, scope: Partial<ProjectScope> = {}): IssueSubject {
  return { kind: 'issue', project: buildScope(key, scope), issue: buildIssue(issue) };
}

export function buildMergeRequestSubject(key: string, mergeRequest: Partial<MergeRequest> = {}, scope: Partial<ProjectScope> = {}): MergeRequestSubject {
  return { kind: 'merge_request', project: buildScope(key, scope), mergeRequest: buildMergeRequest(mergeRequest) };
}

/** A project's configured templates as the shipped copies (the `issueTemplates` fact of a project without its own files). */
export function shippedTemplatesOf(projectKey: string, config: BotConfig = defaultConfig): ProjectTemplate[] {
  return resolveProjectTemplates(config, projectKey, new Map(), shippedTemplates);
}

/** A rule context whose facts are whatever the test gives (rules type their own). */
export type TestContext = BaseContext & { facts: any };

export function buildContext(overrides: Partial<TestContext> = {}): TestContext {
  return {
    now: new Date('2026-11-18T12:00:00Z'),
    config: defaultConfig,
    trigger: { kind: 'job', job: 'sweep' },
    render: renderer,
    ...overrides,
    // The bot's own user is a fact like the others; tests that give facts keep it unless they set it.
    // The templates default to the request-form project's shipped ones; tests of another project give theirs.
    facts: {
      botUser: { id: 2, username: 'support-bot' },
      issueTemplates: shippedTemplatesOf((overrides.config ?? defaultConfig).requestForm.project, overrides.config),
      ...overrides.facts,
    },
  };
}

/** A webhook trigger for an issue event; `changed` lists the fields GitLab reported as changed. */
export function buildIssueTrigger(key: IssueEventKey, changed: string[] = [], overrides: Partial<IssueEvent> = {}): Trigger {
  const event: IssueEvent = {
    key,
    kind: 'issue',
    actor: { id: 10, username: 'alice' },
    projectId: 1,
    projectPath: 'gitlab-com/support/project',
    iid: 1,
    changed,
    payload: {} as IssueEvent['payload'],
    ...overrides,
  };
  return { kind: 'event', event };
}

/** What the engine would make of a rule here: runs for the trigger and in the project (its `runsOn`), applies, plans. */
export function evaluate<K extends SubjectKind>(rule: Rule<K, any, any>, subject: SubjectOf<K>, ctx: TestContext): RuleResult[] {
  return runs(rule, subject, ctx) ? rule.plan(subject, ctx) : [];
}

/** Whether the engine runs the rule for this trigger and the rule applies to the subject. */
export function runs<K extends SubjectKind>(rule: Rule<K, any, any>, subject: SubjectOf<K>, ctx: TestContext): boolean {
  return ruleRunsOn(rule as never, ctx.trigger) && ruleRunsIn(rule as never, subject.project, ctx.config) && rule.applies(subject, ctx);
}
