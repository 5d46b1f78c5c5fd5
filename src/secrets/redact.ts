import type { SecretMatch } from './detectors.js';

/**
 * Replaces each secret span with `replacement` (or what it returns for the span) and leaves
 * every other byte as it was (line endings, code fences, spacing), so the author's text
 * survives intact.
 */
export function redact(text: string, matches: readonly SecretMatch[], replacement: string | ((secret: string) => string)): string {
  let result = '';
  let from = 0;
  for (const { start, end } of [...matches].sort((a, b) => a.start - b.start)) {
    if (start < from) continue;
    result += text.slice(from, start) + (typeof replacement === 'string' ? replacement : replacement(text.slice(start, end)));
    from = end;
  }
  return result + text.slice(from);
}
