import { z } from 'zod';
import { labelName } from '../config/fields.js';
import { configSection } from '../config/section.js';
import type { BotConfig } from '../config/schema.js';
import type { Note, UserRef } from '../gitlab/types.js';
import { markerKey } from '../engine/markers.js';
import type { SecretMatch } from '../secrets/detectors.js';
import { findingIn, findingsInHistory, findingsRecord, mergeFindings, noticeLines, recordedFindings, secretsIn, type Finding } from '../secrets/findings.js';
import { redact } from '../secrets/redact.js';
import { matchedKeywords } from '../templates/keywords.js';
import { namedLabels } from '../config/labelUses.js';
import { issueRule, type BaseContext, type IssueSubject, type ProjectScope, type RuleContext, type RuleResult, type Trigger } from './types.js';
import { sameUsername } from '../gitlab/usernames.js';

/** Public trackers: secrets and vulnerability reports (handbook 001: "should not contain any sensitive information"). */
const sensitiveDataSchema = z.strictObject({
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

/** This rule's section of the config file, `sensitiveData:`. */
export const sensitiveDataConfig = configSection('sensitiveData', sensitiveDataSchema);

declare module '../config/schema.js' {
  interface RuleConfigs {
    sensitiveData: z.output<typeof sensitiveDataSchema>;
  }
}

// Needs the issue's notes (comments can hold secrets too; the bot's own notice and its system
// notes say what an earlier run already did) and the bot's user. Can do without the team list:
// then every commenter counts as outside the team, so vulnerability phrases from team
// members also make a public issue confidential — more protection, never less.

export const NOTICE_KEY = 'sensitive-data';
type Ctx = RuleContext<'notes' | 'botUser', 'teamMembers', never>;
type PeopleNote = Pick<Note, 'id' | 'body' | 'author'>;

/** Where user text reads as a vulnerability report, and the phrases that made it read so. */
interface Report {
  where: string;
  phrases: string[];
}

/** GitLab's visibility (re-read every gitlab.projectCacheSeconds, or public at once when a payload says so) or `public: true`. */
export function isPublic(project: ProjectScope): boolean {
  return project.visibility === 'public' || project.config.public;
}

/** Comments by people (not system notes, not the bot), with the webhook's own note even if the API list is behind. */
function peopleNotes(notes: readonly Note[], bot: string, trigger: Trigger): PeopleNote[] {
  const people: PeopleNote[] = notes.filter((n) => !n.system && !sameUsername(n.author.username, bot));
  if (trigger.kind === 'event' && trigger.event.kind === 'note') {
    const { noteId, noteBody, actor } = trigger.event;
    if (!people.some((n) => n.id === noteId)) people.push({ id: noteId, body: noteBody, author: actor });
  }
  return people;
}

/** The bot's notice (its note with this rule's marker), if it was posted. */
function noticeOf(notes: readonly Note[], bot: string): Note | undefined {
  return notes.find((n) => !n.system && sameUsername(n.author.username, bot) && markerKey(n.body) === NOTICE_KEY);
}

/** Title, description and comments, each with the secrets found in it now. */
function scanSecrets(item: { title: string; description: string | null }, people: readonly PeopleNote[], replacement: string) {
  const title = findingIn('title', item.title, replacement);
  const description = findingIn('description', item.description ?? '', replacement);
  const comments = people.flatMap((n) => findingIn('comment', n.body, replacement, n.id) ?? []);
  return { title, description, comments, findings: [title, description, ...comments].flatMap((f) => (f ? [f.finding] : [])) };
}

/** What a plan of either rule reads: people's comments, the bot's notice, the secrets in the text now, and what GitLab's history says the bot redacted. */
export function readState(item: { title: string; description: string | null }, ctx: Pick<RuleContext<'notes' | 'botUser'>, 'facts' | 'config' | 'trigger'>) {
  const { notes } = ctx.facts;
  const bot = ctx.facts.botUser.username;
  const { replacement } = ctx.config.sensitiveData;
  const people = peopleNotes(notes, bot, ctx.trigger);
  const history = findingsInHistory(notes, bot, replacement, { title: item.title, description: item.description ?? '' });
  return { notes, bot, people, notice: noticeOf(notes, bot), now: scanSecrets(item, people, replacement), history };
}

/** The title and description with each secret found now replaced, within GitLab's limits. */
export function textRedactions(item: { title: string; description: string | null }, now: ReturnType<typeof scanSecrets>, replacement: string): RuleResult[] {
  const results: RuleResult[] = [];
  if (now.title) {
    const title = redactWithinLimit(item.title, now.title.secrets, replacement, TITLE_MAX);
    results.push({ action: { type: 'setTitle', title }, reason: `redact ${now.title.secrets.length} secret(s) in the title` });
  }
  if (now.description) {
    const description = redactWithinLimit(item.description ?? '', now.description.secrets, replacement);
    results.push({ action: { type: 'setDescription', description }, reason: `redact ${now.description.secrets.length} secret(s) in the description` });
  }
  return results;
}

/** Vulnerability-report phrases by someone outside the team, unless a team member marked the issue reviewed. */
function reports(subject: IssueSubject, ctx: Ctx, people: readonly PeopleNote[]): Report[] {
  const { sensitiveData } = ctx.config;
  const { issue } = subject;
  if (issue.labels.includes(sensitiveData.reviewedLabel)) return [];
  const outsider = (author: UserRef) => !ctx.facts.teamMembers?.has(author.username);
  const look = (where: string, text: string, author: UserRef): Report => ({ where, phrases: outsider(author) ? matchedKeywords(text, sensitiveData.vulnerabilityPhrases) : [] });
  return [
    look('the title', issue.title, issue.author),
    look('the description', issue.description ?? '', issue.author),
    ...people.map((n) => look(`comment ${n.id}`, n.body, n.author)),
  ].filter((r) => r.phrases.length > 0);
}

function needsAction(text: string, config: BotConfig): boolean {
  return secretsIn(text, config.sensitiveData.replacement).length > 0 || matchedKeywords(text, config.sensitiveData.vulnerabilityPhrases).length > 0;
}

/**
 * Whether to read the issue's comments and plan, from what the trigger changed (no API
 * call): a new comment is scanned alone, an edit scans the title and description, and only
 * when something there needs action (or the protection was undone) are all comments read.
 * A sweep reads comments wherever there are any, so nothing a missed event held stays.
 * An issue the bot labelled is always read: its notice may still be owed (a run killed
 * between protecting the issue and posting the notice).
 */
function worthPlanning(subject: IssueSubject, ctx: BaseContext<never>): boolean {
  const { issue } = subject;
  const { trigger, config } = ctx;
  if (issue.labels.includes(config.labels.sensitiveData)) return true;
  const ownText = () => needsAction(`${issue.title}\n${issue.description ?? ''}`, config);
  if (trigger.kind !== 'event') return issue.userNotesCount > 0 || ownText();
  const { event } = trigger;
  if (event.kind === 'note') return needsAction(event.noteBody, config);
  return ownText();
}

function placeName(finding: Finding): string {
  return finding.where === 'comment' ? `comment ${finding.noteId}` : `the ${finding.where}`;
}

/** Why, for dry runs and logs: kinds of secret and configured phrases, never the matched text. */
export function reasonFor(visibility: string, findings: readonly Finding[], reported: readonly Report[] = []): string {
  const parts = [
    ...findings.map((f) => `${f.names.length > 0 ? f.names.join(', ') : 'a redacted secret'} in ${placeName(f)}`),
    ...reported.map((r) => `${r.where} reads as a vulnerability report (${r.phrases.map((p) => `"${p}"`).join(', ')})`),
  ];
  return `${visibility}: ${parts.join('; ')}`;
}

/**
 * Editing another user's comment is `admin_note`: the note's author or a Maintainer
 * (app/policies/note_policy.rb, app/policies/project_policy.rb); a lower role gets 403.
 * When GitLab did not say the bot's role, the bot does not try.
 */
export const COMMENT_EDIT_ROLE = 40;
export function editsComments(project: ProjectScope): boolean {
  return (project.accessLevel ?? 0) >= COMMENT_EDIT_ROLE;
}

/** The edits that replace each secret of the comments the bot may edit. */
export function commentRedactions(
  project: ProjectScope,
  comments: readonly { finding: Finding; secrets: SecretMatch[] }[],
  people: readonly PeopleNote[],
  replacement: string,
): RuleResult[] {
  if (!editsComments(project)) return [];
  return comments.flatMap(({ finding, secrets }) => {
    const note = people.find((n) => n.id === finding.noteId);
    if (!note) return [];
    const body = redactWithinLimit(note.body, secrets, replacement, NOTE_MAX);
    return [{ action: { type: 'redactComment' as const, noteId: note.id, body }, reason: `redact ${secrets.length} secret(s) in comment ${note.id}` }];
  });
}

/**
 * The notice's data, from every finding (this run's, GitLab's history, the notice's own record).
 * What GitLab keeps, the notice says and the bot cannot undo through REST v4: the "changed title"
 * system note (system notes are not `editable?`, and NotePolicy prevents `admin_note` on what is
 * not, so `DELETE …/notes/:id` answers 403: app/policies/note_policy.rb, lib/api/notes.rb) and the
 * old description (a description version, deleted only by the web UI's
 * `DescriptionDiffActions#delete_description_version`, app/controllers/concerns/description_diff_actions.rb).
 * Comments it can edit (Maintainer), it does.
 */
export function noticeData(findings: readonly Finding[], project: ProjectScope, webUrl: string, replacement: string, disclosureUrl: string) {
  const lines = noticeLines(findings, webUrl, () => editsComments(project));
  return {
    found: lines,
    titleHistory: findings.some((f) => f.where === 'title'),
    descriptionHistory: findings.some((f) => f.where === 'description'),
    commentsLeft: lines.some((l) => !l.redacted),
    replacement,
    disclosureUrl,
    record: findingsRecord(findings),
  };
}

/**
 * GitLab keeps at most 1,048,576 characters of a description and answers a longer one with 400
 * (doc/api/issues.md; Issuable validates the length). A secret shorter than the replacement
 * (`pw12345` → `[REDACTED]`) lengthens the text: at the limit, that PUT — the same one that makes
 * the issue confidential — would fail and leave the secret public. Then every secret the
 * replacement would lengthen becomes as many `*` as it has characters instead (not a secret to
 * the detectors), so the description never grows.
 */
export const DESCRIPTION_MAX = 1_048_576;
/** GitLab's limit for a comment (Note validates `note` length: 1,000,000 characters). */
export const NOTE_MAX = 1_000_000;
/** GitLab's limit for a title (255 characters, doc/api/issues.md): the same rule keeps a redacted title within it. */
export const TITLE_MAX = 255;

export function redactWithinLimit(text: string, secrets: readonly SecretMatch[], replacement: string, max = DESCRIPTION_MAX): string {
  const redacted = redact(text, secrets, replacement);
  if ([...redacted].length <= max) return redacted;
  const width = [...replacement].length;
  return redact(text, secrets, (secret) => {
    const length = [...secret].length;
    return length >= width ? replacement : '*'.repeat(length);
  });
}

/** Notice data with every place and a comment left to its author: the templates' samples (both rules). */
export const NOTICE_SAMPLE = {
  found: [
    { what: 'a GitLab personal, project or group access token', where: 'the title', url: '', redacted: true },
    { what: 'a private key and an AWS secret access key', where: 'the description', url: '', redacted: true },
    { what: 'a GitLab deploy token', where: 'a comment', url: 'https://gitlab.example/g/p/-/issues/1#note_1', redacted: false },
  ],
  titleHistory: true,
  descriptionHistory: true,
  commentsLeft: true,
  replacement: '[REDACTED]',
  disclosureUrl: 'https://about.gitlab.com/security/disclosure/',
  record: '<!-- sensitive-data-found [] -->',
};

export const sensitiveData = issueRule({
  key: 'sensitive-data',
  description:
    'In public projects, makes issues with secrets or vulnerability reports confidential, redacts secrets in the title, description (and comments, as Maintainer) and asks for a private report or a revoked token',
  config: sensitiveDataConfig,
  messages: {
    'sensitive-data': [
      { vulnerability: true, secret: true, ...NOTICE_SAMPLE },
      // A secret alone, in a comment the bot redacted (Maintainer).
      {
        ...NOTICE_SAMPLE,
        vulnerability: false,
        secret: true,
        found: [{ what: 'a GitLab deploy token', where: 'a comment', url: 'https://gitlab.example/g/p/-/issues/1#note_2', redacted: true }],
        titleHistory: false,
        descriptionHistory: false,
        commentsLeft: false,
      },
      // A vulnerability report alone.
      { ...NOTICE_SAMPLE, vulnerability: true, secret: false, found: [], titleHistory: false, descriptionHistory: false, commentsLeft: false },
    ],
  },
  runsOn: {
    events: {
      'issue.open': 'always',
      'issue.reopen': 'always',
      // A secret on an issue closed while the bot was down must not stay public for good.
      'issue.close': 'always',
      // Updates that can add a secret or a report, or undo the bot's protection.
      'issue.update': ['title', 'description', 'confidential', 'labels'],
      'note.issue': 'always',
    },
    jobs: ['sweep'],
    // Closed issues too, those updated within bot.closedIssuesWindowDays.
    states: ['opened', 'closed'],
    // Public projects only: a sweep lists no closed issue of a private one.
    projects: isPublic,
    // A token pasted in a task or an incident is as public as one in an issue.
    issueTypes: 'all',
  },
  needs: ['notes', 'botUser'],
  optional: ['teamMembers'],
  labels: (config) => [...namedLabels(config, 'sensitiveData'), { label: config.sensitiveData.reviewedLabel, from: 'sensitiveData.reviewedLabel' }],
  applies: worthPlanning,
  plan(subject, ctx) {
    const { issue, project } = subject;
    const { sensitiveData: settings, labels } = ctx.config;
    const { notes, bot, people, notice, now, history } = readState(issue, ctx);
    const isProtected = issue.confidential && issue.labels.includes(labels.sensitiveData);
    const results: RuleResult[] = [];
    if (isProtected) {
      // Protected earlier: what can still be owed is the notice (a run killed, or its POST
      // failed, after the PUT) and the comment edits that follow it. Only an issue the bot
      // itself made confidential (its system note says so) gets a notice it did not post.
      if (notice) return commentRedactions(project, now.comments, people, settings.replacement);
      if (!notes.some((n) => n.system && sameUsername(n.author.username, bot) && n.body === 'made the issue confidential')) return [];
    }
    // A vulnerability report needs a reply only while the issue is public; a notice owed
    // after a killed run says what the report was even though the issue is confidential now.
    const reported = isProtected || !issue.confidential ? reports(subject, ctx, people) : [];
    if (!isProtected) {
      if (now.findings.length === 0 && reported.length === 0) return [];
      const reason = reasonFor('public project', now.findings, reported);
      results.push({ action: { type: 'setConfidential', confidential: true }, reason });
      results.push(...textRedactions(issue, now, settings.replacement));
      results.push({ action: { type: 'addLabels', labels: [labels.sensitiveData] }, reason });
    }
    const findings = mergeFindings(recordedFindings(notice?.body), history, now.findings);
    const reason = reasonFor(isProtected ? 'protected earlier, notice owed' : 'public project', findings, reported);
    const body = ctx.render.render('sensitive-data', {
      vulnerability: reported.length > 0,
      // Protected by the bot for a secret no place shows any more (a comment deleted since): still say revoke.
      secret: findings.length > 0 || reported.length === 0,
      ...noticeData(findings, project, issue.webUrl, settings.replacement, settings.disclosureUrl),
    });
    results.push({ action: { type: 'upsertNote', key: NOTICE_KEY, body }, reason });
    results.push(...commentRedactions(project, now.comments, people, settings.replacement));
    return results;
  },
});
