import type { NotifyEvent } from '../config/schema.js';
import { findSecrets } from '../secrets/detectors.js';
import { redact } from '../secrets/redact.js';

// What a chat message says, decided by the rules (pure): nothing here may carry what must not
// leave GitLab. A confidential subject is named by its project and link alone; every other
// text has its secrets replaced as the sensitive-data rule replaces them, and cannot mention a
// whole Slack channel. Formatting for Slack (mrkdwn escaping, Block Kit, workflow variables)
// is the notifier's (`slackFormat.ts`).

export interface ChatMessage {
  event: NotifyEvent;
  /** One plain-text line: what happened. */
  text: string;
  /** The issue (or report) it is about. */
  url: string;
  /** The project's full path. */
  project: string;
  /** Left out for a confidential subject. */
  title?: string;
  /** Left out for a confidential subject. */
  author?: string;
  /** The start of the description; left out for a confidential subject. */
  excerpt?: string;
}

const EXCERPT_CHARS = 300;

/** Slack's broadcast words: written as plain text with `link_names` they would notify a channel. */
const BROADCAST = /@(channel|here|everyone)\b/gi;

/** User text made safe to send: secrets replaced, broadcasts broken by a zero-width space. */
export function chatSafe(text: string, replacement: string): string {
  const redacted = redact(text, findSecrets(text), replacement);
  return redacted.replace(BROADCAST, (_m, word: string) => `@\u200b${word}`);
}

function excerptOf(description: string | null, replacement: string): string | undefined {
  const text = chatSafe((description ?? '').trim(), replacement);
  if (!text) return undefined;
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).trimEnd()}…` : text;
}

export interface IssueLike {
  title: string;
  description: string | null;
  webUrl: string;
  confidential: boolean;
  author: { username: string };
}

/**
 * A message about an issue: `what` says what happened ("New issue", "First-response target
 * missed"). A confidential issue is announced with its project and link only.
 */
export function issueMessage(event: NotifyEvent, what: string, project: string, issue: IssueLike, replacement: string): ChatMessage {
  if (issue.confidential) return { event, text: `${what}: a confidential issue in ${project}`, url: issue.webUrl, project };
  const title = chatSafe(issue.title, replacement);
  const excerpt = excerptOf(issue.description, replacement);
  return {
    event,
    text: `${what} in ${project}: ${title}`,
    url: issue.webUrl,
    project,
    title,
    author: issue.author.username,
    ...(excerpt ? { excerpt } : {}),
  };
}
