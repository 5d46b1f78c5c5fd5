import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { labelName, projectKey, scopedLabel, timeZone } from './fields.js';
import { GITLAB_COM_ENDPOINT_LIMITS } from '../gitlab/endpointPacing.js';
import { instanceUrlProblem } from './instanceUrl.js';
import type { ConfigSection } from './section.js';

// The bot's configuration, validated strictly at load time: unknown keys are errors,
// and every message names the key path and what was expected. The keys below are the
// core's; each rule adds its own section (`config` in its file, e.g. `requestForm:` in
// src/rules/requestFormRedirect.ts) and its switch under `rules:`, assembled by
// `configSchemaFor(rules)`.

const projectRef = z.union([
  z.number().int().positive(),
  // A quoted id ("278964", as an id is often pasted from the project page) is the id.
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number),
  z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, 'expected a full project path like "group/project" or a numeric id'),
]);

export const projectSchema = z.strictObject({
  /** Full path (`gitlab-com/support/internal-requests`) or numeric id. */
  path: projectRef,
  /** Whether an issue must use one of the project's templates. */
  templatesRequired: z.boolean().default(false),
  /** Public trackers get the secret and vulnerability protection. */
  public: z.boolean().default(false),
  /** Whether issue rules run on this project's issues (off for a project watched only for merge requests, like the handbook). */
  issues: z.boolean().default(true),
});

export const gitlabSchema = z.strictObject({
  url: z
    .url()
    .default('https://gitlab.com')
    .superRefine((value, ctx) => {
      const problem = instanceUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Requests in flight at once. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Retries after a 429, a 5xx or a network error. */
  retries: z.number().int().min(0).max(20).default(5),
  /** Base delay of the exponential back-off, in milliseconds. */
  retryBaseMs: z.number().int().min(1).default(500),
  /** Longest single wait, in milliseconds (also caps Retry-After). */
  retryMaxMs: z.number().int().min(1).default(60_000),
  /** Slow down when RateLimit-Remaining falls below this share of RateLimit-Limit. */
  slowDownBelow: z.number().min(0).max(1).default(0.1),
  /** Per-request timeout, in milliseconds. */
  timeoutMs: z.number().int().min(100).default(30_000),
  /**
   * Requests per minute the bot sends to each of GitLab's per-endpoint limits, whose 429s carry
   * no Retry-After and no RateLimit-* header (lib/api/helpers/rate_limiter.rb): the bot paces
   * itself under them. Defaults: GitLab.com's documented values. 0 paces nothing for that
   * endpoint (an instance without the limit). Set them to your instance's Admin > Settings >
   * Network values.
   */
  endpointLimits: z
    .strictObject({
      /** `POST …/notes` (GitLab.com: 60 per minute). */
      notesCreate: z.number().int().min(0).default(GITLAB_COM_ENDPOINT_LIMITS.notesCreate),
      /** `POST /projects/:id/issues`, counted per project (GitLab.com: 200 per minute). */
      issuesCreate: z.number().int().min(0).default(GITLAB_COM_ENDPOINT_LIMITS.issuesCreate),
      /** `GET /projects/:id` (GitLab.com: 400 per minute). */
      projectGet: z.number().int().min(0).default(GITLAB_COM_ENDPOINT_LIMITS.projectGet),
      /** `GET /users/:id/projects` (GitLab.com: 300 per minute). */
      userProjects: z.number().int().min(0).default(GITLAB_COM_ENDPOINT_LIMITS.userProjects),
      /** `GET /users/:id/contributed_projects` (GitLab.com: 100 per minute). */
      userContributedProjects: z.number().int().min(0).default(GITLAB_COM_ENDPOINT_LIMITS.userContributedProjects),
    })
    .prefault({}),
  /** How long a configured project's answer (id, visibility) is kept before it is read again; 0 reads it for every event. */
  projectCacheSeconds: z.number().int().min(0).default(60),
});

export const serverSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(3000),
  /** GitLab sends deliveries up to 25 MB (an issue description can be 1 MiB, twice in an update); larger bodies get 413. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /** Deliveries waiting for work before new ones are refused with 503. */
  queueLimit: z.number().int().min(1).default(1000),
  /** Deliveries processed at once. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** How long an Idempotency-Key is remembered, in seconds. */
  dedupeSeconds: z
    .number()
    .int()
    .min(1)
    .default(24 * 3600),
  /** /healthz reports degraded once this many GitLab answers in a row were 401/403. */
  degradedAfterRefusals: z.number().int().min(1).default(5),
});

export const templateSchema = z.strictObject({
  name: z.string().min(1),
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case slug like "contact-request"'),
  /** Key of the project (under `projects`) the template belongs to. */
  project: z.string().min(1),
  labels: z.array(labelName).default([]),
  /**
   * First-response target in business hours. Issues from this template are requests: on the first-response clock
   * when written by someone outside `sla.teamGroup` and not by an integration. Without it, never on the clock.
   */
  firstResponseHours: z.number().positive().optional(),
});

export const labelsSchema = z.strictObject({
  templatePrefix: z.string().regex(/::$/, 'expected a scope prefix ending in "::", like "template::"').default('template::'),
  templateNone: scopedLabel.default('template::none'),
  needsInfo: scopedLabel.default('triage::needs-info'),
  ready: scopedLabel.default('triage::ready'),
  redirectRequestForm: scopedLabel.default('redirect::request-form'),
  sensitiveData: labelName.default('sensitive-data'),
  slaAtRisk: scopedLabel.default('sla::at-risk'),
  slaBreached: scopedLabel.default('sla::breached'),
  /** Name Squatting Requests (dormant-namespace): all four criteria hold. */
  dormantEligible: scopedLabel.default('dormant::eligible'),
  /** A criterion fails, cannot be verified even by an administrator's token, or the namespace is not a user's. */
  dormantNotEligible: scopedLabel.default('dormant::not-eligible'),
  /** Nothing fails, but the four contact attempts are not complete yet (and the token verifies the rest). */
  dormantPendingContact: scopedLabel.default('dormant::pending-contact'),
  /** Nothing fails, but the bot's token is not an administrator's and cannot verify some criteria: an administrator must check. */
  dormantNeedsAdmin: scopedLabel.default('dormant::needs-admin'),
  /** No user or group has the requested namespace. */
  dormantUserNotFound: scopedLabel.default('dormant::user-not-found'),
  /** The label of the published Support Week in Review issues (not scoped: topics are `SWIR::<topic>`). */
  swir: labelName.default('SWIR'),
  approvalPresent: scopedLabel.default('approval::present'),
  approvalMissing: scopedLabel.default('approval::missing'),
});

/** The Support Week in Review (`support-bot run swir`): handbook 004, "Every Friday, we do a week in review". */
export const swirSchema = z.strictObject({
  /** Key of the project (under `projects`) the review is published in. */
  project: z.string().min(1).default('support-team-meta'),
  /** IANA zone whose Monday 00:00 to Sunday 23:59:59 is "the week". */
  timezone: timeZone.default('UTC'),
  /** Labels a team member puts on an issue or merge request to flag it for the review, one per topic. */
  topicLabels: z.array(scopedLabel).min(1).default(['SWIR::announcement', 'SWIR::workflow-change', 'SWIR::kudos', 'SWIR::other']),
  /** Key of the project whose requests are counted (opened, closed, still open, first response). */
  requestsProject: z.string().min(1).default('internal-requests'),
  /** Slug of the template whose new issues in `project` are Support Readiness issues; other new issues without a template are proposals. */
  readinessTemplate: z.string().min(1).default('support-readiness'),
  /** Labels starting with this prefix are dormant-namespace states (set by the dormant job). */
  dormantLabelPrefix: z.string().regex(/::$/, 'expected a scope prefix ending in "::", like "dormant::"').default('dormant::'),
  /** Issues waiting for their author (labels.needsInfo) longer than this many days are listed. */
  waitingDays: z.number().int().min(1).default(7),
  /** Optional: the page of the Support KPIs the handbook says are reviewed weekly in the review (a dashboard); linked at its top. */
  kpiUrl: z.url({ protocol: /^https?$/ }).optional(),
});

const cronExpression = z.string().refine((text) => {
  try {
    CronExpressionParser.parse(text);
    return /^\s*(\S+\s+){4}\S+\s*$/.test(text);
  } catch {
    return false;
  }
}, 'expected a five-field cron expression like "*/30 * * * *"');

/** When each scheduled job runs: `support-bot schedules sync` turns these into GitLab pipeline schedules. */
export const schedulesSchema = z.strictObject({
  /** The project whose pipeline runs the bot (this repository); CI_PROJECT_ID or --project when not set. */
  project: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
  /** Branch the scheduled pipelines run on; the project's default branch when not set. */
  ref: z.string().min(1).optional(),
  timezone: timeZone.default('UTC'),
  jobs: z
    .record(z.string().regex(/^[a-z][a-z-]*$/, 'expected a job name like "sweep"'), cronExpression)
    .default({ sweep: '*/30 * * * *', sla: '0 7-18 * * 1-5', dormant: '0 6 * * *', swir: '0 12 * * 1,5' }),
});

export const botSchema = z.strictObject({
  /** The bot's own username; learned with GET /user when not set. */
  username: z.string().min(1).optional(),
  /**
   * Template (handlebars) directory, relative to the config file. Unset: the messages shipped
   * with the bot, which follow it when it is upgraded or moved (a copied folder must gain each
   * template a new version renders).
   */
  messagesDir: z.string().min(1).optional(),
  /** Most writes one scheduled run may make. */
  maxWritesPerRun: z.number().int().min(1).default(500),
  /** A sweep also reads closed issues, and closed or merged merge requests, updated within this many days, for rules that protect them too (sensitive-data, sensitive-data-merge-requests). */
  closedIssuesWindowDays: z.number().int().min(0).max(365).default(7),
});

/** What the bot can tell a chat channel about (docs/notifications.md). */
export const NOTIFY_EVENTS = ['issue.opened', 'sla.breached', 'swir.published', 'dormant.needs-admin'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** One Slack incoming webhook (or Workflow Builder webhook) and what it is told. */
export const slackChannelSchema = z.strictObject({
  /** Shown in logs and metrics; also decides the bot's record of a message on the issue (docs/notifications.md). */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case name like "internal-requests-new"'),
  /** The environment variable holding the webhook URL: a secret, never in this file. */
  webhookUrlEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name like "SLACK_WEBHOOK_INTERNAL_REQUESTS"'),
  events: z.array(z.enum(NOTIFY_EVENTS)).min(1),
  /** Keys under `projects`: only their issues (all configured projects when left out). */
  projects: z.array(projectKey).min(1).optional(),
  /** Names of templates under `templates`: only issues that use one of them (their `template::<slug>` label). */
  templates: z.array(z.string().min(1)).min(1).optional(),
  /** Only issues carrying at least one of these labels. */
  labels: z.array(labelName).min(1).optional(),
  /** `message`: an incoming webhook, Block Kit; `workflow`: a Workflow Builder webhook, flat string variables. */
  format: z.enum(['message', 'workflow']).default('message'),
});

export const notificationsSchema = z.strictObject({
  slack: z
    .array(slackChannelSchema)
    .default([])
    .superRefine((channels, ctx) => {
      const seen = new Set<string>();
      channels.forEach((c, i) => {
        if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `channel name "${c.name}" is used twice` });
        seen.add(c.name);
      });
    }),
  /** A sweep announces issues opened this many hours back that have no record yet (the bot was down when they were opened). */
  catchUpHours: z.number().positive().max(720).default(24),
});

export type SlackChannelConfig = z.infer<typeof slackChannelSchema>;

/** `rules.<rule-key>`: turn a rule off, or keep it to some of the projects it would run in. */
export const ruleSwitchSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Keys under `projects`: the rule runs only in these (and only where it would run anyway). */
  projects: z.array(projectKey).min(1, 'expected at least one project key (to turn the rule off, set enabled: false)').optional(),
});

export type RuleSwitch = z.infer<typeof ruleSwitchSchema>;

const coreShape = {
  gitlab: gitlabSchema.prefault({}),
  server: serverSchema.prefault({}),
  bot: botSchema.prefault({}),
  projects: z
    .record(z.string().regex(/^[a-z0-9-]+$/, 'expected a kebab-case project key'), projectSchema)
    .refine((p) => Object.keys(p).length > 0, 'expected at least one project'),
  labels: labelsSchema.prefault({}),
  templates: z.array(templateSchema).default([]),
  schedules: schedulesSchema.prefault({}),
  swir: swirSchema.prefault({}),
  notifications: notificationsSchema.prefault({}),
};

/** Paths of the core keys that name a project under `projects` (see `ConfigSection.projectKeys`). */
export const CORE_PROJECT_KEYS: readonly string[] = ['templates[].project', 'swir.project', 'swir.requestsProject', 'rules.*.projects[]', 'notifications.slack[].projects[]'];
/** Paths of the core keys that name a template by its `name`. */
export const CORE_TEMPLATE_KEYS: readonly string[] = ['notifications.slack[].templates[]'];
/** Paths of the core keys that name a template by its `slug` (of the templates in `swir.project`). */
export const CORE_TEMPLATE_SLUG_KEYS: readonly string[] = ['swir.readinessTemplate'];

/**
 * The rules' config sections, by key: each rule file adds its own with
 * `declare module '../config/schema.js' { interface RuleConfigs { key: … } }`, so the type
 * follows the rule files while this module imports none of them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the rule files
export interface RuleConfigs {}

export type BotConfig = z.infer<z.ZodObject<typeof coreShape>> &
  RuleConfigs & {
    /** Per-rule switches, one entry for every rule the bot runs. */
    rules: Readonly<Record<string, RuleSwitch>>;
  };

/** What the schema needs from a rule: its key (for `rules.<key>`) and its section. */
export interface ConfigContributor {
  key: string;
  config?: ConfigSection;
}

/** The whole configuration schema: the core keys, each rule's section under its key, and `rules.<rule-key>` switches. */
export function configSchemaFor(rules: readonly ConfigContributor[]): z.ZodType<BotConfig> {
  const sections: Record<string, z.ZodType> = {};
  for (const { key, config } of rules) {
    if (!config) continue;
    if (config.key in coreShape || config.key in sections || config.key === 'rules') throw new Error(`rule ${key}: config key "${config.key}" is taken`);
    sections[config.key] = config.schema.prefault({});
  }
  const switches = z.strictObject(Object.fromEntries(rules.map((r) => [r.key, ruleSwitchSchema.prefault({})])));
  return z.strictObject({ ...coreShape, ...sections, rules: switches.prefault({}) }) as unknown as z.ZodType<BotConfig>;
}

export type ProjectConfig = z.infer<typeof projectSchema>;
export type TemplateConfig = z.infer<typeof templateSchema>;
export type SwirConfig = z.infer<typeof swirSchema>;
export type DormantConfig = BotConfig['dormant'];
