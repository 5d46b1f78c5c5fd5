// Mentions as GitLab notifies them. `@handle` where the `@` does not follow a word character
// (User.reference_pattern in app/models/user.rb, read by
// lib/banzai/filter/references/user_reference_filter.rb), outside code blocks, code spans and
// HTML comments, which GitLab does not render as references. A handle is a user, a group (by
// its full path: every member is notified) or `all` (every project member). Creating a note,
// issue or merge request notifies every mention in it; an edit only the mentions it adds
// (Issuable and Note are Mentionable: NotificationService and TodoService act on new mentions).

import type { MentionRec } from './types.js';

const FENCED_BLOCK = /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n {0,3}\1[^\n]*|$)/gm;
const CODE_SPAN = /(`+)[^`][\s\S]*?\1/g;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
/** A handle ends with a letter, digit, `_` or `-` (a sentence's full stop is not part of it). */
const MENTION = /(?<![A-Za-z0-9_])@([A-Za-z0-9_](?:[A-Za-z0-9_.\-/]*[A-Za-z0-9_-])?)/g;

/** The handles a Markdown text mentions, each once (compared without case), in order. */
export function mentionedHandles(markdown: string): string[] {
  const visible = markdown.replace(FENCED_BLOCK, '').replace(HTML_COMMENT, '').replace(CODE_SPAN, '');
  const seen = new Map<string, string>();
  for (const match of visible.matchAll(MENTION)) {
    const handle = match[1]!;
    if (!seen.has(handle.toLowerCase())) seen.set(handle.toLowerCase(), handle);
  }
  return [...seen.values()];
}

/** Something that wants to see each mention the sandbox records (the test suite's guard against group pings). */
export type MentionObserver = (mention: MentionRec, store: TokenOwners) => void;

/** What an observer may ask the store that recorded a mention: whose token is whose (the bot's, say). */
export interface TokenOwners {
  userForToken(token: string): { id: number } | undefined;
}

const observers = new Set<MentionObserver>();

/** Calls `observer` with every mention any sandbox in this process records from now on; returns the way to stop. */
export function observeMentions(observer: MentionObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

export function notifyMentionObservers(mention: MentionRec, store: TokenOwners): void {
  for (const observer of observers) observer(mention, store);
}
