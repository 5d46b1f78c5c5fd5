import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { isTimeZone } from '../sla/zonedTime.js';
import { instanceUrlProblem } from './instanceUrl.js';

// The bot's configuration, validated strictly at load time: unknown keys are errors,
// and every message names the key path and what was expected.

const projectRef = z.union([
  z.number().int().positive(),
  // A quoted id ("278964", as an id is often pasted from the project page) is the id.
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number),
  z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, 'expected a full project path like "group/project" or a numeric id'),
]);

const labelName = z.string().trim().min(1, 'expected a label name, got ""');
const scopedLabel = z.string().regex(/^[^:]+(::[^:]+)+$/, 'expected a scoped label like "triage::ready"');

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
  /** First-response target in business hours. */
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
  /** A criterion fails, cannot be verified, or the namespace is a group. */
  dormantNotEligible: scopedLabel.default('dormant::not-eligible'),
  /** Nothing fails, but the four contact attempts are not complete yet. */
  dormantPendingContact: scopedLabel.default('dormant::pending-contact'),
  /** No user or group has the requested namespace. */
  dormantUserNotFound: scopedLabel.default('dormant::user-not-found'),
  /** The label of the published Support Week in Review issues (not scoped: topics are `SWIR::<topic>`). */
  swir: labelName.default('SWIR'),
  approvalPresent: scopedLabel.default('approval::present'),
  approvalMissing: scopedLabel.default('approval::missing'),
});

/** When an issue whose template marker is gone still counts as that template, by its headings. */
export const templateRecognitionSchema = z.strictObject({
  /** Share of the template's required headings that must be present. */
  minShare: z.number().gt(0).max(1).default(0.6),
  /** ...and at least this many (all of them for a template with fewer). */
  minHeadings: z.number().int().min(1).default(2),
});

/** Licensing, subscription, trial and grace-period requests go to the internal request form, not to issues. */
export const requestFormSchema = z.strictObject({
  /** Key of the project (under `projects`) where such issues get the redirect. */
  project: z.string().min(1).default('internal-requests'),
  url: z.url().default('https://gitlab-com.gitlab.io/support/internal-requests-form/'),
  /** Words or phrases (whole words, any case, plural `s` allowed) that mark such a request in the title or description. */
  keywords: z.array(z.string().trim().min(1)).min(1).default(['license', 'licence', 'licensing', 'subscription', 'trial', 'grace period', 'true-up']),
});

export const activeNowSchema = z.strictObject({
  project: z.string().min(1).default('support-team-meta'),
  labels: z.array(labelName).min(1).default(['Active Now::Focus', 'Active Now::In Progress', 'Active Now::Review']),
  limit: z.number().int().min(1).default(6),
  mode: z.enum(['revert', 'comment']).default('revert'),
});

/** Public trackers: secrets and vulnerability reports (handbook 001: "should not contain any sensitive information"). */
export const sensitiveDataSchema = z.strictObject({
  /** What each secret in a description becomes. */
  replacement: z.string().trim().min(1).default('[REDACTED]'),
  /** The Responsible Disclosure Policy the note points reporters to. */
  disclosureUrl: z.url().default('https://about.gitlab.com/security/disclosure/'),
  /** Words or phrases (whole words, any case) that make an issue or comment by someone outside the team read as a vulnerability report. */
  vulnerabilityPhrases: z
    .array(z.string().trim().min(1))
    .default([
      'security vulnerability',
      'vulnerability report',
      'remote code execution',
      'RCE',
      'XSS',
      'cross-site scripting',
      'SQL injection',
      'CVE',
      'exploit',
      'privilege escalation',
      'SSRF',
    ]),
  /** A team member's label that says "looked at, not a vulnerability report": phrases no longer count (secrets still do). */
  reviewedLabel: labelName.default('sensitive-data-reviewed'),
});

export const slaSchema = z
  .strictObject({
    /** IANA zone the working hours are read in. */
    timezone: z.string().refine(isTimeZone, 'expected an IANA time zone like "Europe/Amsterdam"').default('UTC'),
    /** ISO weekdays, 1 = Monday. */
    workingDays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
    dayStartHour: z.number().int().min(0).max(23).default(9),
    dayEndHour: z.number().int().min(1).max(24).default(17),
    atRiskShare: z.number().gt(0).lt(1).default(0.8),
    /** Group whose members count as the Support team, and who is mentioned on a breach. */
    teamGroup: z.string().min(1).default('gitlab-com/support'),
    /** First-response target in business hours for issues without a template target (handbook: posted issues, two weeks). */
    firstResponseHours: z.number().positive().default(80),
    /** Optional: a label an answered issue keeps, so later runs skip it without reading its notes. Off by default. */
    answeredLabel: scopedLabel.optional(),
  })
  .refine((s) => s.dayEndHour > s.dayStartHour, { message: 'expected dayEndHour after dayStartHour', path: ['dayEndHour'] });

/** Name Squatting Requests: the handbook's "Dormant usernames" checks (handbook 001) and the release. */
export const dormantSchema = z.strictObject({
  /** Template (by name, under `templates`) whose issues are Name Squatting Requests. */
  template: z.string().min(1).default('Name Squatting Request'),
  /** Heading of the section that names the wanted namespace. */
  namespaceSection: z.string().min(1).default('Requested namespace'),
  /** Hosts besides gitlab.url's whose profile URLs (`https://host/username`) name a namespace. */
  profileHosts: z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'expected a host name like "gitlab.com"')).default([]),
  /** A comment that records a contact attempt starts with this (case and leading spaces ignored). */
  contactPrefix: z.string().trim().min(1).default('Contact attempt:'),
  /** Contact attempts needed (handbook: four)... */
  contactAttempts: z.number().int().min(1).default(4),
  /** ...within this many calendar days (handbook: a two-week period). */
  contactWindowDays: z.number().int().min(1).default(14),
  /** No activity for this many months (handbook: six). */
  inactivityMonths: z.number().int().min(1).default(6),
  /** Prefix of the released account's new username (handbook: `idle`). */
  renamePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'expected a username prefix like "idle"')
    .default('idle'),
  /** The release (rename) happens only with this, `run dormant --apply-rename` and an administrator token. */
  allowRename: z.boolean().default(false),
});

/** The Support Week in Review (`support-bot run swir`): handbook 004, "Every Friday, we do a week in review". */
export const swirSchema = z.strictObject({
  /** Key of the project (under `projects`) the review is published in. */
  project: z.string().min(1).default('support-team-meta'),
  /** IANA zone whose Monday 00:00 to Sunday 23:59:59 is "the week". */
  timezone: z.string().refine(isTimeZone, 'expected an IANA time zone like "Europe/Amsterdam"').default('UTC'),
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
  timezone: z.string().refine(isTimeZone, 'expected an IANA time zone like "Europe/Amsterdam"').default('UTC'),
  jobs: z
    .record(z.string().regex(/^[a-z][a-z-]*$/, 'expected a job name like "sweep"'), cronExpression)
    .default({ sweep: '*/30 * * * *', sla: '0 7-18 * * 1-5', dormant: '0 6 * * *', swir: '0 12 * * 5' }),
});

/** Merge requests in these projects that touch these paths need a visible artifact of approval (handbook 004). */
export const approvalScopeSchema = z.strictObject({
  /** Key of the project under `projects`. */
  project: z.string().min(1),
  /** Globs (picomatch) of the paths that make a merge request need an artifact. */
  paths: z.array(z.string().min(1)).min(1),
});

export const approvalsSchema = z.strictObject({
  /** The commit status set on the merge request's head commit. */
  statusName: z.string().min(1).default('support-bot/approval-artifact'),
  scope: z.array(approvalScopeSchema).default([
    { project: 'support-team-meta', paths: ['.gitlab/issue_templates/**'] },
    { project: 'internal-requests', paths: ['.gitlab/issue_templates/**'] },
    { project: 'feedback', paths: ['.gitlab/issue_templates/**'] },
    { project: 'handbook', paths: ['content/handbook/support/**'] },
  ]),
  /** Groups whose direct members may approve (not members inherited from parent groups). */
  approverGroups: z.array(z.string().min(1)).default(['gitlab-com/support/managers']),
  /** Usernames who may approve besides the groups' members. */
  approverUsernames: z.array(z.string().min(1)).default([]),
  /** Words or phrases that approve in a comment (whole words, any case; not after a negation such as "not"). */
  phrases: z.array(z.string().trim().min(1)).min(1).default(['approved', 'approve', 'LGTM']),
  /** Award emoji on the merge request that approve, by name. */
  awardEmoji: z.array(z.string().min(1)).default(['thumbsup']),
  /** Links outside GitLab (chat permalinks) that may carry an approval given elsewhere; globs on the URL. */
  externalLinks: z.array(z.string().min(1)).default(['https://*.slack.com/archives/**']),
  /** Whether such an external link counts as an artifact (reported as unverified: the bot cannot read it). */
  allowExternalLinks: z.boolean().default(false),
});

export const botSchema = z.strictObject({
  /** The bot's own username; learned with GET /user when not set. */
  username: z.string().min(1).optional(),
  /** Template (handlebars) directory, relative to the config file. */
  messagesDir: z.string().default('messages'),
  /** Most writes one scheduled run may make. */
  maxWritesPerRun: z.number().int().min(1).default(500),
  /** A sweep also reads closed issues updated within this many days, for rules that protect closed issues too (sensitive-data). */
  closedIssuesWindowDays: z.number().int().min(0).max(365).default(7),
});

export const configSchema = z.strictObject({
  gitlab: gitlabSchema.default(gitlabSchema.parse({})),
  server: serverSchema.default(serverSchema.parse({})),
  bot: botSchema.default(botSchema.parse({})),
  projects: z
    .record(z.string().regex(/^[a-z0-9-]+$/, 'expected a kebab-case project key'), projectSchema)
    .refine((p) => Object.keys(p).length > 0, 'expected at least one project'),
  labels: labelsSchema.default(labelsSchema.parse({})),
  templates: z.array(templateSchema).default([]),
  templateRecognition: templateRecognitionSchema.default(templateRecognitionSchema.parse({})),
  requestForm: requestFormSchema.default(requestFormSchema.parse({})),
  activeNow: activeNowSchema.default(activeNowSchema.parse({})),
  sensitiveData: sensitiveDataSchema.default(sensitiveDataSchema.parse({})),
  sla: slaSchema.default(slaSchema.parse({})),
  schedules: schedulesSchema.default(schedulesSchema.parse({})),
  dormant: dormantSchema.default(dormantSchema.parse({})),
  swir: swirSchema.default(swirSchema.parse({})),
  approvals: approvalsSchema.default(approvalsSchema.parse({})),
});

export type BotConfig = z.infer<typeof configSchema>;
export type ProjectConfig = z.infer<typeof projectSchema>;
export type TemplateConfig = z.infer<typeof templateSchema>;
export type DormantConfig = z.infer<typeof dormantSchema>;
export type SwirConfig = z.infer<typeof swirSchema>;
