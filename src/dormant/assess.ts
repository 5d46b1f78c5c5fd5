import type { DormantConfig } from '../config/schema.js';
import { sameUsername } from '../gitlab/usernames.js';
import type { NamespaceFacts, Read } from '../facts/dormantNamespace.js';
import type { Note } from '../gitlab/types.js';
import { isUnnamed } from './projectNames.js';
import { neutralize } from '../render/neutralize.js';
import { escapeRegExp } from '../text/regexp.js';

// The handbook's four "Dormant usernames" criteria (handbook 001), each with its evidence.
// Pure: the facts, the request's notes and `now` in, an assessment out. The wording here
// is evidence; the note around it is config/messages/dormant-report.hbs.
//
// Evidence never mentions today's date or the moving cut-off, so a daily run over a
// request whose facts did not change renders the same note and writes nothing.

export type CriterionStatus = 'pass' | 'fail' | 'pending' | 'cannot verify';

export interface Criterion {
  name: string;
  status: CriterionStatus;
  evidence: string;
}

export type Outcome = 'eligible' | 'not-eligible' | 'pending-contact' | 'needs-admin' | 'user-not-found' | 'group' | 'no-namespace';

export interface Assessment {
  outcome: Outcome;
  namespace: string | null;
  criteria: Criterion[];
  /** What happens next, in one sentence. */
  next: string;
}

export interface ContactAttempt {
  at: Date;
  author: string;
}

const DAY_MS = 86_400_000;

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

function dayFromNumber(n: number): string {
  return dayOf(new Date(n * DAY_MS));
}

/** `now`'s UTC calendar day, `months` earlier (the 31st becomes the month's last day). */
export function monthsBefore(now: Date, months: number): string {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return dayOf(new Date(Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay))));
}

/** The start of a comment before its first word: a list marker and emphasis (`- **Contact attempt:**`). */
const LEADING_MARKUP = /^\s*(?:(?:[-*+]|\d{1,3}[.)])\s+)?[*_]*/;

/**
 * How a comment recording an attempt starts, as people write the prefix: any case, any spacing,
 * emphasis around it, and a number before its colon ("Contact attempt 2:", "**Contact attempt #3**:").
 */
export function contactPrefixPattern(prefix: string): RegExp {
  const trimmed = prefix.trim();
  const colon = trimmed.endsWith(':');
  const words = (colon ? trimmed.slice(0, -1) : trimmed).trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`^${words}${colon ? '(?:\\s*\\(?#?\\s*\\d{1,3}\\)?)?[*_]*\\s*:' : ''}`, 'i');
}

export interface ContactAttempts {
  /** Attempts recorded by Support, oldest first. */
  counted: ContactAttempt[];
  /** Comments in the attempt format by someone else: they do not count (handbook: "Support has had four failed attempts"). */
  ignored: ContactAttempt[];
}

/**
 * Comments that record a contact attempt: they start with the configured prefix (see
 * `contactPrefixPattern`). Only Support's count: members of the team (`sla.teamGroup`) and the
 * bot's own account (an administrator token a Support engineer also uses, an automation posting
 * its e-mails), never the requester's audience at large. The bot's own notes start with their
 * hidden marker, so they never match; a quoted line (`> Contact attempt:`) is not an attempt.
 */
export function contactAttempts(notes: readonly Note[], prefix: string, isSupport: (username: string) => boolean): ContactAttempts {
  const pattern = contactPrefixPattern(prefix);
  const attempts = notes
    .filter((n) => !n.system && pattern.test(n.body.replace(LEADING_MARKUP, '')))
    .map((n) => ({ at: n.createdAt, author: n.author.username }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return { counted: attempts.filter((a) => isSupport(a.author)), ignored: attempts.filter((a) => !isSupport(a.author)) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A project path as code; a project the report does not name ("a private project") as words. */
function code(path: string): string {
  return isUnnamed(path) ? path : `\`${path}\``;
}

function listProjects(paths: readonly string[], max = 5): string {
  const shown = paths.slice(0, max).map(code).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

interface Activity {
  /** The latest day of activity the token could see, and where it comes from. */
  latest: { day: string; source: string } | null;
  /** Sources the token could not read. */
  unknown: string[];
}

function activityOf(facts: Extract<NamespaceFacts, { kind: 'user' }>): Activity {
  const seen: { day: string; source: string }[] = [];
  const unknown: string[] = [];
  if (facts.latestEvent.ok) {
    if (facts.latestEvent.value) seen.push({ day: dayOf(facts.latestEvent.value.at), source: `contribution event "${facts.latestEvent.value.action}"` });
  } else unknown.push(`contribution events (${facts.latestEvent.why})`);
  if (facts.lastActivityOn.ok) {
    if (facts.lastActivityOn.value) seen.push({ day: dayOf(facts.lastActivityOn.value), source: 'last_activity_on' });
  } else unknown.push(facts.lastActivityOn.why);
  const latest = seen.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0))[0] ?? null;
  return { latest, unknown };
}

/** (1) The account has no data: its own projects hold no commits and no issues. */
function noData(
  owned: Read<
    {
      pathWithNamespace: string;
      emptyRepo: boolean | null;
      openIssuesCount: number | null;
      closedIssues?: boolean | null;
      statistics: { commitCount: number; storageSize: number } | null;
    }[]
  >,
  admin: boolean,
): Criterion {
  const name = 'No data';
  if (!owned.ok) return { name, status: 'cannot verify', evidence: `owned projects could not be read: ${owned.why}` };
  const withData: string[] = [];
  const unknown: string[] = [];
  for (const p of owned.value) {
    const parts: string[] = [];
    if (p.emptyRepo === false || (p.statistics && (p.statistics.commitCount > 0 || p.statistics.storageSize > 0))) {
      parts.push(p.statistics ? `${plural(p.statistics.commitCount, 'commit')}, ${Math.ceil(p.statistics.storageSize / 1024)} KiB stored` : 'a non-empty repository');
    }
    if ((p.openIssuesCount ?? 0) > 0) parts.push(plural(p.openIssuesCount!, 'open issue'));
    if (p.closedIssues === true) parts.push('closed issues');
    if (parts.length > 0) withData.push(`${code(p.pathWithNamespace)} (${parts.join(', ')})`);
    else if (p.statistics === null || p.closedIssues === null) unknown.push(p.pathWithNamespace);
  }
  if (withData.length > 0)
    return {
      name,
      status: 'fail',
      evidence: `${plural(owned.value.length, 'owned project')}; with data: ${withData.slice(0, 5).join(', ')}${withData.length > 5 ? ` and ${withData.length - 5} more` : ''}`,
    };
  if (unknown.length > 0) return { name, status: 'cannot verify', evidence: `storage statistics or issues of ${listProjects(unknown)} are hidden from this token` };
  // Private projects are listed to administrators only: a shorter list is not proof.
  if (!admin)
    return {
      name,
      status: 'cannot verify',
      evidence: `${plural(owned.value.length, 'visible owned project')} without data, but private projects are hidden from a non-administrator token`,
    };
  // No repository means no merge requests either: a merge request needs commits on a branch.
  return {
    name,
    status: 'pass',
    evidence: owned.value.length === 0 ? '0 owned projects' : `${plural(owned.value.length, 'owned project')}, all with an empty repository and no issues`,
  };
}

/** (2) No activity for `months` months, on projects it owns or takes part in. */
function inactive(facts: Extract<NamespaceFacts, { kind: 'user' }>, activity: Activity, cutoff: string, months: number): Criterion {
  const name = `No activity for ${months} months`;
  const contributed = facts.contributedProjects.ok
    ? `; contributed to ${plural(facts.contributedProjects.value.length, 'project')} in the past year${facts.contributedProjects.value.length ? ` (${listProjects(facts.contributedProjects.value, 3)})` : ''}`
    : '';
  if (activity.latest && activity.latest.day > cutoff) {
    return { name, status: 'fail', evidence: `active on ${activity.latest.day} (${activity.latest.source}), within the last ${months} months${contributed}` };
  }
  const last = activity.latest ? `last activity ${activity.latest.day} (${activity.latest.source}), ${months} months ago or more` : 'no activity recorded';
  if (activity.unknown.length > 0) return { name, status: 'cannot verify', evidence: `${last}; not readable: ${activity.unknown.join('; ')}${contributed}` };
  return { name, status: 'pass', evidence: `${last}${contributed}` };
}

/** (4) No owned project with activity in the last `months` months. */
function noActiveProject(owned: Read<{ pathWithNamespace: string; lastActivityAt: Date | null }[]>, cutoff: string, months: number, admin: boolean): Criterion {
  const name = 'Owns no active project';
  if (!owned.ok) return { name, status: 'cannot verify', evidence: `owned projects could not be read: ${owned.why}` };
  const active = owned.value.filter((p) => p.lastActivityAt && dayOf(p.lastActivityAt) > cutoff);
  if (active.length > 0) {
    return {
      name,
      status: 'fail',
      evidence: `active in the last ${months} months: ${active
        .slice(0, 5)
        .map((p) => `${code(p.pathWithNamespace)} (${dayOf(p.lastActivityAt!)})`)
        .join(', ')}`,
    };
  }
  if (!admin)
    return {
      name,
      status: 'cannot verify',
      evidence: `${plural(owned.value.length, 'visible owned project')}, none active, but private projects are hidden from a non-administrator token`,
    };
  return {
    name,
    status: 'pass',
    evidence: owned.value.length === 0 ? '0 owned projects' : `${plural(owned.value.length, 'owned project')}, none active in the last ${months} months`,
  };
}

/** The name of criterion (3) in the report. */
export function contactCriterionName(cfg: Pick<DormantConfig, 'contactAttempts' | 'contactWindowDays'>): string {
  return `${cfg.contactAttempts} failed contact attempts within ${cfg.contactWindowDays} days`;
}

/**
 * (3) Four failed contact attempts within a two-week period: `attempts` comments within any
 * `windowDays` calendar days (the first attempt's day is day 1), and no reply or activity of
 * the user since the window's first attempt.
 */
export function contactCriterion(
  recorded: ContactAttempts,
  replies: readonly Date[],
  activity: Activity,
  now: Date,
  cfg: Pick<DormantConfig, 'contactAttempts' | 'contactWindowDays' | 'contactPrefix'>,
): Criterion {
  const criterion = countedCriterion(recorded.counted, replies, activity, now, cfg);
  if (recorded.ignored.length === 0) return criterion;
  const who = [...new Set(recorded.ignored.map((a) => `\`${a.author}\``))].join(', ');
  const ignored = `${plural(recorded.ignored.length, 'comment')} in that form by ${who}, outside the Support team, not counted`;
  return { ...criterion, evidence: `${criterion.evidence}; ${ignored}` };
}

function countedCriterion(
  attempts: readonly ContactAttempt[],
  replies: readonly Date[],
  activity: Activity,
  now: Date,
  cfg: Pick<DormantConfig, 'contactAttempts' | 'contactWindowDays' | 'contactPrefix'>,
): Criterion {
  const name = contactCriterionName(cfg);
  const days = attempts.map((a) => dayNumber(a.at));
  const inWindow = (i: number) => days.filter((d, j) => j >= i && d <= days[i]! + cfg.contactWindowDays - 1).length;
  const closes = (i: number) => dayFromNumber(days[i]! + cfg.contactWindowDays - 1);
  const answeredSince = (first: ContactAttempt): string | null => {
    const reply = replies.find((r) => r.getTime() > first.at.getTime());
    if (reply) return `the user commented on this request on ${dayOf(reply)}`;
    if (activity.latest && activity.latest.day >= dayOf(first.at)) return `the user was active on ${activity.latest.day} (${activity.latest.source})`;
    return null;
  };
  const complete = days.findIndex((_d, i) => inWindow(i) >= cfg.contactAttempts);
  if (complete >= 0) {
    const first = attempts[complete]!;
    const last = attempts[complete + cfg.contactAttempts - 1]!;
    const answered = answeredSince(first);
    if (answered)
      return { name, status: 'fail', evidence: `${cfg.contactAttempts} attempts from ${dayOf(first.at)} to ${dayOf(last.at)}, but ${answered}, after the first attempt` };
    return { name, status: 'pass', evidence: `${cfg.contactAttempts} attempts from ${dayOf(first.at)} to ${dayOf(last.at)}, no reply or activity since the first` };
  }
  if (attempts.length === 0) {
    return { name, status: 'pending', evidence: `0 of ${cfg.contactAttempts} contact attempts: none recorded yet (comments starting with "${cfg.contactPrefix}")` };
  }
  const today = dayNumber(now);
  const open = days.map((d, i) => i).filter((i) => days[i]! + cfg.contactWindowDays - 1 >= today);
  if (open.length > 0) {
    const best = open.reduce((a, b) => (inWindow(b) > inWindow(a) ? b : a));
    const answered = answeredSince(attempts[best]!);
    if (answered)
      return {
        name,
        status: 'fail',
        evidence: `${inWindow(best)} of ${cfg.contactAttempts} attempts since ${dayOf(attempts[best]!.at)}, but ${answered}, after the first attempt`,
      };
    return { name, status: 'pending', evidence: `${inWindow(best)} of ${cfg.contactAttempts} contact attempts; the window closes on ${closes(best)}` };
  }
  const best = days.map((_d, i) => i).reduce((a, b) => (inWindow(b) > inWindow(a) ? b : a));
  return {
    name,
    status: 'pending',
    evidence: `the window from ${dayOf(attempts[best]!.at)} closed on ${closes(best)} with ${inWindow(best)} of ${cfg.contactAttempts} attempts: a new series of ${cfg.contactAttempts} within ${cfg.contactWindowDays} days is needed`,
  };
}

export interface AssessInput {
  facts: NamespaceFacts;
  notes: readonly Note[];
  now: Date;
  config: DormantConfig;
  /** Whether the bot's token is an administrator's (private projects and admin-only fields are visible). */
  admin: boolean;
  /** Whether a comment's author is Support (the team or the bot), whose contact attempts count. */
  isSupport: (username: string) => boolean;
}

/** How many of the criteria this token cannot verify. */
export function unverified(criteria: readonly Criterion[]): number {
  return criteria.filter((c) => c.status === 'cannot verify').length;
}

/** Nothing fails, but a non-administrator token cannot verify everything: only an administrator can take it further. */
function needsAdmin(namespace: string, criteria: Criterion[], prefix: string): Assessment {
  const n = unverified(criteria);
  return {
    outcome: 'needs-admin',
    namespace,
    criteria,
    next:
      `An administrator must check ${n === 1 ? 'the criterion' : `the ${n} criteria`} marked "cannot verify": the bot's token is not an administrator's, ` +
      `so contact attempts alone cannot lead to a release. Run \`support-bot run dormant\` with an administrator's token, or ask an administrator to check by hand. ` +
      `Comments starting with "${prefix}" keep counting meanwhile.`,
  };
}

export function assess({ facts, notes, now, config, admin, isSupport }: AssessInput): Assessment {
  if (facts.kind === 'none') {
    const section = `"${config.namespaceSection}"`;
    // Said in the note: template-check counts the section as filled, so nothing else tells the requester.
    const next = facts.unreadable
      ? `The bot cannot read a namespace under ${section}: "${neutralize(facts.unreadable.text)}" is ${facts.unreadable.why}. Write the username alone, as @username, or as a profile URL.`
      : `Name the wanted namespace under ${section}: a username, @username or a profile URL.`;
    return { outcome: 'no-namespace', namespace: null, criteria: [], next };
  }
  const { namespace } = facts;
  if (facts.kind === 'not-found')
    return { outcome: 'user-not-found', namespace, criteria: [], next: `No user or group has the namespace \`${namespace}\`: it may be free already, or the name is misspelt.` };
  // A group the request's readers cannot see is not named as one (issue 21 #7): that the path is no user's, anyone can check.
  if (facts.kind === 'group')
    return {
      outcome: 'group',
      namespace,
      criteria: [],
      next: `\`${namespace}\` is ${facts.public ? 'a group, not a user' : "not a user's namespace"}: the Dormant usernames process does not apply.`,
    };
  const cutoff = monthsBefore(now, config.inactivityMonths);
  if (facts.kind === 'unreadable') {
    const why = `the user could not be looked up: ${facts.why}`;
    const criteria: Criterion[] = ['No data', `No activity for ${config.inactivityMonths} months`, contactCriterionName(config), 'Owns no active project'].map(
      (name): Criterion => ({ name, status: 'cannot verify', evidence: why }),
    );
    if (!admin) return needsAdmin(namespace, criteria, config.contactPrefix);
    return { outcome: 'not-eligible', namespace, criteria, next: "Not eligible while the criteria cannot be verified: check the bot token's access." };
  }
  const activity = activityOf(facts);
  const attempts = contactAttempts(notes, config.contactPrefix, isSupport);
  const replies = notes.filter((n) => !n.system && sameUsername(n.author.username, facts.user.username)).map((n) => n.createdAt);
  const criteria = [
    noData(facts.ownedProjects, admin),
    inactive(facts, activity, cutoff, config.inactivityMonths),
    contactCriterion(attempts, replies, activity, now, config),
    noActiveProject(facts.ownedProjects, cutoff, config.inactivityMonths, admin),
  ];
  const statuses = new Set(criteria.map((c) => c.status));
  if (statuses.has('fail')) {
    const failed = criteria.filter((c) => c.status === 'fail').map((c) => c.name.toLowerCase());
    return {
      outcome: 'not-eligible',
      namespace,
      criteria,
      next: `Not eligible, ${failed.length === 1 ? 'a criterion fails' : 'criteria fail'}: ${failed.join('; ')}. The bot checks again daily.`,
    };
  }
  // Contact attempts cannot make up for what this token cannot see: say so now, not after two weeks of them.
  if (statuses.has('cannot verify') && !admin) return needsAdmin(namespace, criteria, config.contactPrefix);
  if (statuses.has('pending')) return { outcome: 'pending-contact', namespace, criteria, next: `Waiting for contact attempts: ${criteria[2]!.evidence}.` };
  if (statuses.has('cannot verify')) {
    return { outcome: 'not-eligible', namespace, criteria, next: 'Not eligible while a criterion cannot be verified: an administrator token can read what this one cannot.' };
  }
  return { outcome: 'eligible', namespace, criteria, next: '' };
}
