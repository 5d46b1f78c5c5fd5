import type { Note } from '../gitlab/types.js';
import { findSecrets, secretNames, type SecretMatch } from './detectors.js';
import { sameUsername } from '../gitlab/usernames.js';

// What the sensitive-data rules found on an issue or merge request, said as a notice may say
// it (kinds, never values), and found again in GitLab's state by a later run. The bot protects
// first (one PUT) and tells second (a note): a run killed between the two, or a note POST that
// failed past its retries, must leave enough in GitLab for the next run to post the notice.

export type Where = 'title' | 'description' | 'comment';

/** What was found in one place. `names` is empty when GitLab's history says only that a secret was redacted there. */
export interface Finding {
  where: Where;
  noteId?: number;
  names: string[];
}

/** Secrets in a text, without the bot's own replacement (never a secret, whatever it looks like). */
export function secretsIn(text: string, replacement: string): SecretMatch[] {
  return findSecrets(text).filter((m) => text.slice(m.start, m.end) !== replacement);
}

/** One place's finding, or none. */
export function findingIn(where: Where, text: string, replacement: string, noteId?: number): { finding: Finding; secrets: SecretMatch[] } | undefined {
  const secrets = secretsIn(text, replacement);
  if (secrets.length === 0) return undefined;
  return { finding: { where, ...(noteId === undefined ? {} : { noteId }), names: secretNames(text, secrets) }, secrets };
}

type HistoryNote = Pick<Note, 'system' | 'body' | 'author'>;

/**
 * What the bot's own redactions left in GitLab's history, while the redacted text is still in
 * place. GitLab writes a system note for each title change, `changed title from **old** to
 * **new**` with the changed part marked `{-…-}` (SystemNotes::IssuablesService#change_title):
 * it still holds the secret the bot replaced, so its kind can be named again. For a description
 * GitLab writes `changed the description` (#change_description) and keeps the old text as a
 * description version, which REST v4 does not serve: that place is known, its kind is not.
 */
export function findingsInHistory(notes: readonly HistoryNote[], bot: string, replacement: string, current: { title: string; description: string }): Finding[] {
  const own = notes.filter((n) => n.system && sameUsername(n.author.username, bot));
  const found: Finding[] = [];
  if (current.title.includes(replacement)) {
    const names = own.filter((n) => n.body.startsWith('changed title from **')).flatMap((n) => secretNames(n.body, secretsIn(n.body, replacement)));
    if (names.length > 0) found.push({ where: 'title', names: [...new Set(names)] });
  }
  if (current.description.includes(replacement) && own.some((n) => n.body === 'changed the description')) found.push({ where: 'description', names: [] });
  return found;
}

const RECORD = /<!-- sensitive-data-found (\[.*?\]) -->/;

/**
 * The findings a notice covers, written into it as a hidden line: once the notice is posted,
 * the secrets it names may be gone from the text and from what the history shows, and a later
 * notice (a new secret in a comment) must still name them.
 */
export function findingsRecord(findings: readonly Finding[]): string {
  // Names and ids only: no `--` can end the comment early.
  return `<!-- sensitive-data-found ${JSON.stringify(findings.map((f) => [f.where, f.noteId ?? 0, f.names]))} -->`;
}

/** The findings recorded in a notice, or none when it has no readable record (an older notice, an edit by hand). */
export function recordedFindings(body: string | undefined): Finding[] {
  const json = body && RECORD.exec(body)?.[1];
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry): Finding[] => {
    if (!Array.isArray(entry) || entry.length !== 3) return [];
    const [where, noteId, names] = entry as unknown[];
    if (where !== 'title' && where !== 'description' && where !== 'comment') return [];
    if (typeof noteId !== 'number' || !Array.isArray(names) || !names.every((n) => typeof n === 'string')) return [];
    return [{ where, ...(where === 'comment' ? { noteId } : {}), names: names as string[] }];
  });
}

const ORDER: Record<Where, number> = { title: 0, description: 1, comment: 2 };

/** One finding per place (title, description, each comment), the names of all of them, in reading order. */
export function mergeFindings(...lists: readonly (readonly Finding[])[]): Finding[] {
  const byPlace = new Map<string, Finding>();
  for (const finding of lists.flat()) {
    const key = `${finding.where}:${finding.noteId ?? ''}`;
    const known = byPlace.get(key);
    byPlace.set(key, known ? { ...known, names: [...new Set([...known.names, ...finding.names])] } : { ...finding, names: [...finding.names] });
  }
  return [...byPlace.values()].sort((a, b) => ORDER[a.where] - ORDER[b.where] || (a.noteId ?? 0) - (b.noteId ?? 0));
}

/** Whether every finding of `found` is already covered, names included, by `covered`. */
export function coveredBy(found: readonly Finding[], covered: readonly Finding[]): boolean {
  return found.every((f) => covered.some((c) => c.where === f.where && c.noteId === f.noteId && f.names.every((n) => c.names.includes(n))));
}

/** One line of a notice: what, where, and whether the bot replaced it. */
export interface NoticeLine {
  what: string;
  where: string;
  /** A comment's link ('' for the title or description). */
  url: string;
  redacted: boolean;
}

/**
 * The notice's lines. A title or description is always redacted; a comment only when
 * `commentRedacted` says the bot edits it (its role allows).
 */
export function noticeLines(findings: readonly Finding[], webUrl: string, commentRedacted: (noteId: number) => boolean): NoticeLine[] {
  return findings.map((f) => ({
    what: f.names.length > 0 ? joinNames(f.names) : 'what looks like a secret',
    where: f.where === 'comment' ? 'a comment' : `the ${f.where}`,
    url: f.where === 'comment' ? `${webUrl}#note_${f.noteId}` : '',
    redacted: f.where !== 'comment' || commentRedacted(f.noteId ?? 0),
  }));
}

function joinNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
