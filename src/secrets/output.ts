import { findSecrets, type SecretMatch } from './detectors.js';
import { normalizeForMatching } from './normalize.js';
import { redact } from './redact.js';

// What the bot prints, logs or answers is redacted like an issue is: every secret the
// detectors find, in any disguise, plus the values it holds (GITLAB_TOKEN, the webhook secret,
// chat webhook URLs) wherever they appear — as written, JSON-escaped, or disguised the way
// `normalize.ts` reads text (an error page that HTML-escapes or percent-encodes an echoed
// header, a zero-width space in the middle). Whatever their length.

type Span = Pick<SecretMatch, 'start' | 'end'>;

/** A value the bot holds, in the forms it is looked for: as written, JSON-escaped, and as `normalize.ts` reads text. */
export interface HeldValue {
  written: string;
  jsonEscaped: string;
  normalized: string;
}

/** The forms of a value, worked out once when it is registered rather than on every line written. */
export function heldValue(value: string): HeldValue {
  return { written: value, jsonEscaped: JSON.stringify(value).slice(1, -1), normalized: normalizeForMatching(value).text };
}

/** Every place in `text` where one of `values` stands, as written or disguised. */
function valueSpans(text: string, values: readonly HeldValue[]): Span[] {
  const spans: Span[] = [];
  const searchIn = (haystack: string, needle: string, toOriginal: (start: number, end: number) => Span) => {
    if (needle === '') return;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
      spans.push(toOriginal(at, at + needle.length));
    }
  };
  const identity = (start: number, end: number) => ({ start, end });
  const normalized = normalizeForMatching(text);
  for (const value of values) {
    searchIn(text, value.written, identity);
    searchIn(text, value.jsonEscaped, identity);
    if (normalized.text !== text) searchIn(normalized.text, value.normalized, normalized.toOriginal);
  }
  return spans;
}

/** Overlapping spans as one, so a secret found twice (a value that is also a detected token) is replaced whole. */
function merged(spans: Span[]): SecretMatch[] {
  const out: SecretMatch[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ start: span.start, end: span.end, kinds: [] });
  }
  return out;
}

/** `text` with every secret in it, and every one of `values`, replaced by `replacement`. Apply before any truncation. */
export function redactOutput(text: string, values: readonly HeldValue[], replacement: string): string {
  const spans = [...findSecrets(text), ...valueSpans(text, values)];
  return spans.length === 0 ? text : redact(text, merged(spans), replacement);
}
