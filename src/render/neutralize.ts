import { findSecrets } from '../secrets/detectors.js';
import { redact } from '../secrets/redact.js';

// User text quoted in a bot note must not act: no quick actions, no mentions that
// notify people, no hidden HTML comments, no secrets. The text stays readable: a zero-width
// space (U+200B) is the only thing added, so nothing a reader sees changes.

const ZWSP = '\u200b';

/** `<!--` up to `-->`, or to the end of the text when the comment is never closed. */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/**
 * GitLab runs a quick action written at the start of a line. Line starts here are the
 * text's start and after LF, CRLF or a lone CR; leading spaces or tabs are kept.
 */
const QUICK_ACTION = /(^|[\r\n])([^\S\r\n]*)\/(?=[a-z_])/gi;

/**
 * GitLab links (and notifies) `@name`, `@group/sub` and `@all` when the `@` does not
 * follow a word character (so e-mail addresses are left alone). A zero-width space
 * after the `@` breaks the reference; unlike wrapping in backticks it also holds
 * inside an existing code span.
 */
const MENTION = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9_])/g;

export function neutralize(text: string): string {
  const visible = text.replace(HTML_COMMENT, '');
  // A secret in quoted text (an issue title listed in a note, say) never reaches a bot note.
  return redact(visible, findSecrets(visible), '[REDACTED]').replace(QUICK_ACTION, `$1$2${ZWSP}/`).replace(MENTION, `@${ZWSP}`);
}
