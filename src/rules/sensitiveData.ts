import { z } from 'zod';
import { labelName } from '../config/fields.js';
import { configSection } from '../config/section.js';
import type { BotConfig } from '../config/schema.js';
import type { Note, UserRef } from '../gitlab/types.js';
import { findSecrets, SECRET_KIND_NAMES, secretKinds, type SecretMatch } from '../secrets/detectors.js';
import { redact } from '../secrets/redact.js';
import { matchedKeywords } from '../templates/keywords.js';
import { namedLabels } from '../config/labelUses.js';
import { issueRule, type BaseContext, type IssueSubject, type ProjectScope, type RuleContext, type RuleResult } from './types.js';

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

// Needs the issue's notes (comments can hold secrets too) and the bot's user (its own notes
// are not scanned). Can do without the team list:
// then every commenter counts as outside the team, so vulnerability phrases from team
// members also make a public issue confidential — more protection, never less.

const NOTE_KEY = 'sensitive-data';
type Ctx = RuleContext<'notes' | 'botUser', 'teamMembers', never>;

/** One piece of user text on the issue. Never carries the secret out of this module: only where it is and what kind. */
interface Place {
  where: 'title' | 'description' | 'comment';
  noteId?: number;
  secrets: SecretMatch[];
  phrases: string[];
}

/** GitLab's visibility (re-read every gitlab.projectCacheSeconds, or public at once when a payload says so) or `public: true`. */
function isPublic(project: ProjectScope): boolean {
  return project.visibility === 'public' || project.config.public;
}

/** Comments by people (not system notes, not the bot), with the webhook's own note even if the API list is behind. */
function peopleNotes(ctx: Ctx): Pick<Note, 'id' | 'body' | 'author'>[] {
  const notes: Pick<Note, 'id' | 'body' | 'author'>[] = ctx.facts.notes.filter((n) => !n.system && n.author.username !== ctx.facts.botUser.username);
  const { trigger } = ctx;
  if (trigger.kind === 'event' && trigger.event.kind === 'note') {
    const { noteId, noteBody, actor } = trigger.event;
    if (!notes.some((n) => n.id === noteId)) notes.push({ id: noteId, body: noteBody, author: actor });
  }
  return notes;
}

function scan(subject: IssueSubject, ctx: Ctx): Place[] {
  const { sensitiveData } = ctx.config;
  const { issue } = subject;
  // A vulnerability report needs a reply only while the issue is public, from someone outside the team, and not yet reviewed.
  const phrasesCount = !issue.confidential && !issue.labels.includes(sensitiveData.reviewedLabel);
  const outsider = (author: UserRef) => !ctx.facts.teamMembers?.has(author.username);
  const look = (where: Place['where'], text: string, author: UserRef, noteId?: number): Place => ({
    where,
    noteId,
    // The replacement itself is never a secret, whatever it looks like.
    secrets: findSecrets(text).filter((m) => text.slice(m.start, m.end) !== sensitiveData.replacement),
    phrases: phrasesCount && outsider(author) ? matchedKeywords(text, sensitiveData.vulnerabilityPhrases) : [],
  });
  return [
    look('title', issue.title, issue.author),
    look('description', issue.description ?? '', issue.author),
    ...peopleNotes(ctx).map((n) => look('comment', n.body, n.author, n.id)),
  ].filter((p) => p.secrets.length > 0 || p.phrases.length > 0);
}

function needsAction(text: string, config: BotConfig): boolean {
  return (
    findSecrets(text).some((m) => text.slice(m.start, m.end) !== config.sensitiveData.replacement) || matchedKeywords(text, config.sensitiveData.vulnerabilityPhrases).length > 0
  );
}

/**
 * Whether to read the issue's comments and plan, from what the trigger changed (no API
 * call): a new comment is scanned alone, an edit scans the title and description, and only
 * when something there needs action (or the protection was undone) are all comments read.
 * A sweep reads comments wherever there are any, so nothing a missed event held stays.
 */
function worthPlanning(subject: IssueSubject, ctx: BaseContext<never>): boolean {
  const { issue } = subject;
  const { trigger, config } = ctx;
  const ownText = () => needsAction(`${issue.title}\n${issue.description ?? ''}`, config);
  if (trigger.kind !== 'event') return issue.userNotesCount > 0 || ownText();
  const { event } = trigger;
  if (event.kind === 'note') return needsAction(event.noteBody, config);
  // Labelled by us and public again: someone undid the protection.
  const unprotected = issue.labels.includes(config.labels.sensitiveData) && !issue.confidential;
  return unprotected || ownText();
}

function placeName(place: Place): string {
  return place.where === 'comment' ? `comment ${place.noteId}` : `the ${place.where}`;
}

/** Why, for dry runs and logs: kinds of secret and configured phrases, never the matched text. */
function reasonFor(places: Place[]): string {
  const parts: string[] = [];
  for (const place of places) {
    const kinds = secretKinds(place.secrets).map((k) => SECRET_KIND_NAMES[k]);
    if (kinds.length > 0) parts.push(`${kinds.join(', ')} in ${placeName(place)}`);
    if (place.phrases.length > 0) parts.push(`${placeName(place)} reads as a vulnerability report (${place.phrases.map((p) => `"${p}"`).join(', ')})`);
  }
  return `public project: ${parts.join('; ')}`;
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

export const sensitiveData = issueRule({
  key: 'sensitive-data',
  description:
    'In public projects, makes issues with secrets or vulnerability reports confidential, redacts secrets in the description and asks for a private report or a revoked token',
  config: sensitiveDataConfig,
  messages: {
    'sensitive-data': [
      {
        vulnerability: true,
        secret: true,
        descriptionRedacted: true,
        titleRedacted: true,
        comments: [{ url: 'https://gitlab.example/g/p/-/issues/1#note_1' }],
        replacement: '[REDACTED]',
        disclosureUrl: 'https://about.gitlab.com/security/disclosure/',
      },
      // A secret alone, in a comment only.
      {
        vulnerability: false,
        secret: true,
        descriptionRedacted: false,
        titleRedacted: false,
        comments: [{ url: 'https://gitlab.example/g/p/-/issues/1#note_2' }],
        replacement: '[REDACTED]',
        disclosureUrl: 'https://about.gitlab.com/security/disclosure/',
      },
      // A vulnerability report alone.
      {
        vulnerability: true,
        secret: false,
        descriptionRedacted: false,
        titleRedacted: false,
        comments: [],
        replacement: '[REDACTED]',
        disclosureUrl: 'https://about.gitlab.com/security/disclosure/',
      },
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
  applies: (subject, ctx) =>
    // Confidential and labelled: already protected, nothing left to do.
    !(subject.issue.confidential && subject.issue.labels.includes(ctx.config.labels.sensitiveData)) && worthPlanning(subject, ctx),
  plan(subject, ctx) {
    const places = scan(subject, ctx);
    if (places.length === 0) return [];
    const { sensitiveData: settings, labels } = ctx.config;
    const reason = reasonFor(places);
    const results: RuleResult[] = [{ action: { type: 'setConfidential', confidential: true }, reason }];
    const inDescription = places.find((p) => p.where === 'description' && p.secrets.length > 0);
    if (inDescription) {
      const description = redactWithinLimit(subject.issue.description ?? '', inDescription.secrets, settings.replacement);
      results.push({ action: { type: 'setDescription', description }, reason: `redact ${inDescription.secrets.length} secret(s) in the description` });
    }
    const inTitle = places.find((p) => p.where === 'title' && p.secrets.length > 0);
    if (inTitle) {
      const title = redactWithinLimit(subject.issue.title, inTitle.secrets, settings.replacement, TITLE_MAX);
      results.push({ action: { type: 'setTitle', title }, reason: `redact ${inTitle.secrets.length} secret(s) in the title` });
    }
    results.push({ action: { type: 'addLabels', labels: [labels.sensitiveData] }, reason });
    const withSecrets = places.filter((p) => p.secrets.length > 0);
    const body = ctx.render.render('sensitive-data', {
      vulnerability: places.some((p) => p.phrases.length > 0),
      secret: withSecrets.length > 0,
      descriptionRedacted: Boolean(inDescription),
      titleRedacted: Boolean(inTitle),
      comments: withSecrets.filter((p) => p.where === 'comment').map((p) => ({ url: `${subject.issue.webUrl}#note_${p.noteId}` })),
      replacement: settings.replacement,
      disclosureUrl: settings.disclosureUrl,
    });
    results.push({ action: { type: 'upsertNote', key: NOTE_KEY, body }, reason });
    return results;
  },
});
