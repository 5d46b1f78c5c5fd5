import { z } from 'zod';
import { configSection } from '../config/section.js';
import type { BotConfig, TemplateConfig } from '../config/schema.js';
import { assess, contactCriterionName, dayOf, unverified, type Assessment, type Outcome } from '../dormant/assess.js';
import { resolveProjectTemplates } from '../templates/projectTemplates.js';
import { checkTemplate } from '../templates/check.js';
import { headingKey } from '../templates/markdown.js';
import { shippedTemplates } from '../templates/shipped.js';
import type { Action } from './actions.js';
import { namedLabels } from '../config/labelUses.js';
import { intentLine, type ReleaseIntent } from '../dormant/releaseIntent.js';
import { issueRule, type BaseContext, type FactTypes, type IssueRule, type IssueSubject, type RuleContext, type RuleResult } from './types.js';
import { issueMessage } from '../notify/message.js';
import { sameUsername } from '../gitlab/usernames.js';
import { chatReplacement, notifyChannels } from '../notify/plan.js';

/** Name Squatting Requests: the handbook's "Dormant usernames" checks (handbook 001) and the release. */
const dormantSchema = z.strictObject({
  /** Template (by name, under `templates`) whose issues are Name Squatting Requests. */
  template: z.string().min(1).default('Name Squatting Request'),
  /** Heading of the section that names the wanted namespace. */
  namespaceSection: z.string().min(1).default('Requested namespace'),
  /** Hosts besides gitlab.url's whose profile URLs (`https://host/username`) name a namespace. */
  profileHosts: z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'expected a host name like "gitlab.com"')).default([]),
  /** A comment by the Support team (or the bot) that records a contact attempt starts with this (any case; bold, a list item or a number before the colon allowed). */
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

/** This rule's section of the config file, `dormant:`. */
// `template` names a template under `templates` by name: one naming none is a config error (issue 21, case 13).
export const dormantConfig = configSection('dormant', dormantSchema, { templateKeys: ['template'], problems: namespaceSectionProblems });

/**
 * `namespaceSection` must be a heading of the template requests are filed with, else no
 * request names a namespace: checked against the shipped copy (a template the bot does not
 * ship is the project's own, read only at run time).
 */
function namespaceSectionProblems(section: z.output<typeof dormantSchema>): string[] {
  const template = shippedTemplates.get(section.template);
  if (!template || template.headings.has(headingKey(section.namespaceSection))) return [];
  return [`dormant.namespaceSection: "${section.namespaceSection}" is not a heading of the "${section.template}" template (its headings: ${template.required.join(', ')})`];
}

declare module '../config/schema.js' {
  interface RuleConfigs {
    dormant: z.output<typeof dormantSchema>;
  }
}

// Name Squatting Requests (handbook 001, "Dormant usernames"): the four criteria with their
// evidence in one note, a `dormant::` label, and — only in `run dormant --apply-rename`,
// with `dormant.allowRename` and an administrator token — the release: rename the user to
// `idle<username>`, record it, close the request. Facts: dormantNamespace (the user,
// once per run per namespace), notes (contact attempts), tokenIsAdmin (optional: without
// it the token counts as not an administrator's).

const NOTE_KEY = 'dormant-namespace';
const RELEASE_NOTE_KEY = 'dormant-namespace-release';

export interface DormantRuleOptions {
  /** `run dormant --apply-rename`: the only way the rule plans a rename. */
  applyRename: boolean;
}

/** The configured template whose issues are Name Squatting Requests (`dormant.template`). */
function requestTemplate(config: BotConfig): TemplateConfig | undefined {
  return config.templates.find((t) => t.name === config.dormant.template);
}

function isNameSquattingRequest(subject: IssueSubject, ctx: BaseContext<never>): boolean {
  const template = requestTemplate(ctx.config);
  if (!template) return false;
  if (subject.issue.labels.includes(`${ctx.config.labels.templatePrefix}${template.slug}`)) return true;
  // On `issue.open` the template label is not there yet (template-check adds it in the same event).
  // `applies` reads no facts: the marker, or the headings of the shipped copy, say it here.
  const check = checkTemplate(
    subject.issue.description ?? '',
    resolveProjectTemplates(ctx.config, subject.project.key, new Map(), shippedTemplates),
    ctx.config.templateRecognition,
  );
  return check.status === 'matched' && check.template.name === template.name;
}

function labelFor(outcome: Outcome, ctx: Pick<BaseContext, 'config'>): string | null {
  const { labels } = ctx.config;
  switch (outcome) {
    case 'eligible':
      return labels.dormantEligible;
    case 'pending-contact':
      return labels.dormantPendingContact;
    case 'needs-admin':
      return labels.dormantNeedsAdmin;
    case 'user-not-found':
      return labels.dormantUserNotFound;
    case 'not-eligible':
    case 'group':
      return labels.dormantNotEligible;
    case 'no-namespace':
      return null;
  }
}

const VERDICTS: Record<Exclude<Outcome, 'needs-admin' | 'group'>, string> = {
  eligible: 'eligible for release',
  'not-eligible': 'not eligible',
  'pending-contact': 'waiting for contact attempts',
  'user-not-found': 'no such user',
  'no-namespace': 'no namespace to check',
};

/** The report's verdict in a few words. A group the request's readers cannot see is not called one. */
function verdictOf(a: Assessment, facts: FactTypes['dormantNamespace']): string {
  if (a.outcome === 'needs-admin') return `needs an administrator: ${unverified(a.criteria)} of ${a.criteria.length} criteria cannot be verified with this token`;
  if (a.outcome === 'group') return facts.kind === 'group' && facts.public ? 'a group, not a user' : "not a user's namespace";
  return VERDICTS[a.outcome];
}

function labelActions(outcome: Outcome, reason: string, ctx: Pick<BaseContext, 'config'>): RuleResult[] {
  const { labels } = ctx.config;
  const all = [labels.dormantEligible, labels.dormantNotEligible, labels.dormantPendingContact, labels.dormantNeedsAdmin, labels.dormantUserNotFound];
  const wanted = labelFor(outcome, ctx);
  const results: RuleResult[] = [];
  if (wanted) results.push({ action: { type: 'addLabels', labels: [wanted] }, reason });
  results.push({ action: { type: 'removeLabels', labels: all.filter((l) => l !== wanted) }, reason });
  return results;
}

export function dormantNamespaceRule(
  options: DormantRuleOptions,
): IssueRule<'notes' | 'dormantNamespace' | 'dormantRelease' | 'teamMembers' | 'botUser', 'tokenIsAdmin', DormantMessage> {
  return issueRule({
    key: 'dormant-namespace',
    description: 'Checks the four Dormant usernames criteria for a Name Squatting Request, reports them with evidence, and releases the namespace when allowed',
    config: dormantConfig,
    messages: {
      'dormant-report': [
        // Released by this run.
        {
          namespace: 'coolname',
          profileUrl: 'https://gitlab.com/coolname',
          verdict: 'eligible for release',
          criteria: [{ name: 'No data', status: 'pass', evidence: '0 owned projects' }],
          next: 'The bot checks again daily.',
          prefix: 'Contact attempt:',
          contactHelp: false,
          release: null,
          released: { from: 'coolname', to: 'idlecoolname1', numbered: true, wanted: 'idlecoolname', day: '2026-11-18' },
        },
        // Eligible, waiting for the release.
        {
          namespace: 'coolname',
          profileUrl: null,
          verdict: 'eligible for release',
          criteria: [{ name: 'No data', status: 'pass', evidence: '0 owned projects' }],
          next: 'The bot checks again daily.',
          prefix: 'Contact attempt:',
          contactHelp: false,
          release: { to: 'idlecoolname', numbered: false, wanted: 'idlecoolname', missing: ['`dormant.allowRename` is false'] },
          released: null,
        },
        // Not eligible yet, or nothing to check.
        {
          namespace: '',
          profileUrl: null,
          verdict: 'no namespace to check',
          criteria: [],
          next: 'Fill in the requested namespace.',
          prefix: 'Contact attempt:',
          contactHelp: true,
          release: null,
          released: null,
        },
      ],
      'dormant-released': [
        { from: 'coolname', to: 'idlecoolname1', numbered: true, wanted: 'idlecoolname', day: '2026-11-18', namespace: 'coolname' },
        { from: 'coolname', to: 'idlecoolname', numbered: false, wanted: 'idlecoolname', day: '2026-11-18', namespace: 'coolname' },
      ],
      // Written before the rename, with the intent as a hidden line after it.
      'dormant-releasing': [
        { from: 'coolname', to: 'idlecoolname1', numbered: true, wanted: 'idlecoolname', day: '2026-11-18', namespace: 'coolname' },
        { from: 'coolname', to: 'idlecoolname', numbered: false, wanted: 'idlecoolname', day: '2026-11-18', namespace: 'coolname' },
      ],
      // A started release that did not happen: the account kept its name, took another, or is gone.
      'dormant-release-stopped': [
        { from: 'coolname', to: 'idlecoolname', day: '2026-11-18', namespace: 'coolname', current: 'coolname' },
        { from: 'coolname', to: 'idlecoolname', day: '2026-11-18', namespace: 'coolname', current: 'someone-else' },
        { from: 'coolname', to: 'idlecoolname', day: '2026-11-18', namespace: 'coolname', current: '' },
      ],
    },
    runsOn: {
      events: { 'issue.open': 'always', 'issue.reopen': 'always', 'issue.update': ['description'], 'note.issue': 'always' },
      jobs: ['dormant'],
      states: ['opened', 'closed'],
      // The project of the Name Squatting Request template: the dormant job lists no other.
      projects: (project, config) => requestTemplate(config)?.project === project.key,
    },
    // Contact attempts count only when Support recorded them: the team, or the bot's own account.
    needs: ['notes', 'dormantNamespace', 'dormantRelease', 'teamMembers', 'botUser'],
    optional: ['tokenIsAdmin'],
    labels: (config) => namedLabels(config, 'dormantEligible', 'dormantNotEligible', 'dormantPendingContact', 'dormantNeedsAdmin', 'dormantUserNotFound'),
    // Closed eligible requests too: a run killed between closing a released request and recording the release finishes it.
    applies: (subject, ctx) => (subject.issue.state === 'opened' || subject.issue.labels.includes(ctx.config.labels.dormantEligible)) && isNameSquattingRequest(subject, ctx),
    plan(subject, ctx) {
      const pending = ctx.facts.dormantRelease;
      // A release started by an earlier run (its intent written before the rename) comes first:
      // once the account has left the name, the requested namespace no longer finds it.
      if (pending && pending.current === pending.intent.to)
        return finishRelease(pending.intent, ctx, `the release started on ${pending.intent.day} renamed @${pending.intent.from} to @${pending.intent.to}: recording it`);
      const stopped: RuleResult[] = pending
        ? [
            {
              action: { type: 'upsertNote', key: RELEASE_NOTE_KEY, body: ctx.render.render('dormant-release-stopped', { ...pending.intent, current: pending.current ?? '' }) },
              reason: `the release started on ${pending.intent.day} did not happen: ${pending.current === null ? 'the account no longer exists' : `the account is @${pending.current}`}`,
            },
          ]
        : [];
      // A closed request is looked at only to finish a release (the rule runs on closed eligible ones for that).
      if (subject.issue.state !== 'opened') return pending && pending.current !== pending.intent.from ? stopped : [];
      const assessed = assessAndReport(ctx, options);
      const results = [...assessed, ...needsAdminNotice(subject, ctx, assessed)];
      // Still the old name and no rename planned now: the record says the release did not happen.
      const renaming = results.some((r) => r.action.type === 'renameUser');
      return renaming ? results : [...results, ...stopped];
    },
  });
}

type DormantContext = RuleContext<'notes' | 'dormantNamespace' | 'dormantRelease' | 'teamMembers' | 'botUser', 'tokenIsAdmin', DormantMessage>;
type DormantMessage = 'dormant-report' | 'dormant-released' | 'dormant-releasing' | 'dormant-release-stopped';

/** The report's data for a release (this run's, or an interrupted one's being finished): the same note either way. */
function releasedReport(intent: ReleaseIntent, prefix: string) {
  const { from, to, numbered, wanted, day } = intent;
  return {
    namespace: intent.namespace,
    profileUrl: intent.profileUrl,
    verdict: VERDICTS.eligible,
    criteria: intent.criteria,
    next: '',
    prefix,
    contactHelp: false,
    release: null,
    released: { from, to, numbered, wanted, day },
  };
}

/** After the rename: eligible, the report and the record of the release, then the request closed. */
function finishRelease(intent: ReleaseIntent, ctx: DormantContext, reason: string): RuleResult[] {
  const { from, to, numbered, wanted, day, namespace } = intent;
  return [
    ...labelActions('eligible', reason, ctx),
    { action: { type: 'upsertNote', key: NOTE_KEY, body: ctx.render.render('dormant-report', releasedReport(intent, ctx.config.dormant.contactPrefix)) }, reason },
    // The record of the release is a note of its own: a later report (the request reopened,
    // the namespace now free) edits the report, never this.
    { action: { type: 'upsertNote', key: RELEASE_NOTE_KEY, body: ctx.render.render('dormant-released', { from, to, numbered, wanted, day, namespace }) }, reason },
    { action: { type: 'setState', state: 'closed' }, reason: `namespace \`${namespace}\` released` },
  ];
}

/** The four criteria checked now, the report, and — in the releasing variant — the release. */
function assessAndReport(ctx: DormantContext, options: DormantRuleOptions): RuleResult[] {
  const admin = ctx.facts.tokenIsAdmin === true;
  const facts = ctx.facts.dormantNamespace;
  const cfg = ctx.config.dormant;
  const { teamMembers, botUser } = ctx.facts;
  const isSupport = (username: string) => teamMembers.has(username) || sameUsername(username, botUser.username);
  const a: Assessment = assess({ facts, notes: ctx.facts.notes, now: ctx.now, config: cfg, admin, isSupport });
  // The reason is what `run dormant` prints next to each write: the verdict and, for the open cases, why.
  const open = a.criteria.filter((c) => c.status !== 'pass');
  const why =
    a.outcome === 'pending-contact'
      ? ` (${a.criteria.find((c) => c.status === 'pending')!.evidence})`
      : a.outcome === 'not-eligible' && open.length > 0
        ? ` (${open.map((c) => `${c.name.toLowerCase()}: ${c.status}`).join('; ')})`
        : '';
  const verdict = verdictOf(a, facts);
  const reason = `${a.namespace ? `\`${a.namespace}\`: ` : ''}${verdict}${why}`;

  const user = facts.kind === 'user' ? facts : null;
  const idle = user?.idleName.ok ? user.idleName.value : null;
  const wanted = user ? `${cfg.renamePrefix}${user.user.username}` : '';
  const missing = [...(cfg.allowRename ? [] : ['`dormant.allowRename` is false']), ...(admin ? [] : ["the bot's token is not an administrator's"])];
  // Evidence a reader can follow: the account's (or a public group's) page, when GitLab gave it.
  const profileUrl = facts.kind === 'user' ? facts.user.webUrl : facts.kind === 'group' && facts.public ? facts.webUrl : null;
  // Never on a webhook: only the dormant job, started with --apply-rename, renames.
  const release =
    a.outcome === 'eligible' && user !== null && idle !== null && options.applyRename && ctx.trigger.kind === 'job' && ctx.trigger.job === 'dormant' && missing.length === 0;
  if (release && user && idle && a.namespace) {
    const renameReason = `all four criteria hold; released with --apply-rename, dormant.allowRename and an administrator token`;
    const intent: ReleaseIntent = {
      userId: user.user.id,
      from: user.user.username,
      to: idle.name,
      numbered: idle.numbered,
      wanted,
      day: dayOf(ctx.now),
      namespace: a.namespace,
      profileUrl,
      criteria: a.criteria,
    };
    // The intent goes into the request before the rename: a run killed right after it still knows who became whom.
    const releasing = `${ctx.render.render('dormant-releasing', intent)}\n\n${intentLine(intent)}`;
    const rename: Action = { type: 'renameUser', userId: user.user.id, from: user.user.username, to: idle.name, intent: { key: RELEASE_NOTE_KEY, body: releasing } };
    return [{ action: rename, reason: renameReason }, ...finishRelease(intent, ctx, renameReason)];
  }

  const results = labelActions(a.outcome, reason, ctx);
  const data = {
    namespace: a.namespace ?? '',
    profileUrl,
    verdict,
    criteria: a.criteria,
    next: a.outcome === 'eligible' && user && !idle ? `Eligible, but the new name could not be chosen: ${user.idleName.ok ? '' : user.idleName.why}.` : a.next,
    prefix: cfg.contactPrefix,
    // How to record an attempt, while attempts still matter.
    contactHelp: a.criteria.some((c) => c.name === contactCriterionName(cfg) && c.status !== 'pass'),
    release: a.outcome === 'eligible' && idle ? { to: idle.name, numbered: idle.numbered, wanted, missing } : null,
    released: null,
  };
  const body = ctx.render.render('dormant-report', data);
  if (a.outcome === 'no-namespace') {
    // An empty section is template-check's to ask for; a filled one the bot cannot read is said here.
    const unreadable = facts.kind === 'none' && facts.unreadable !== undefined;
    results.push({ action: { type: 'upsertNote', key: NOTE_KEY, body, onlyIfExists: !unreadable }, reason: unreadable ? `${reason}: ${a.next}` : reason });
    return results;
  }
  results.push({ action: { type: 'upsertNote', key: NOTE_KEY, body }, reason });
  return results;
}

/** The rule as webhooks and plain `run dormant` use it: it never renames. */
export const dormantNamespace = dormantNamespaceRule({ applyRename: false });

/** The channels that ask for dormant.needs-admin, told once each when the plan labels the request so. */
function needsAdminNotice(subject: IssueSubject, ctx: DormantContext, planned: readonly RuleResult[]): RuleResult[] {
  const label = ctx.config.labels.dormantNeedsAdmin;
  if (!planned.some((r) => r.action.type === 'addLabels' && r.action.labels.includes(label))) return [];
  const message = issueMessage('dormant.needs-admin', 'A Name Squatting Request needs an administrator', subject.project.path, subject.issue, chatReplacement(ctx.config));
  return notifyChannels(ctx.config, message, `labelled ${label}`, { projectKey: subject.project.key, labels: [...subject.issue.labels, label] });
}
