import type { SecretMatch } from './detectors.js';

/**
 * Replaces each secret span with `replacement` and leaves every other byte as it
 * was (line endings, code fences, spacing), so the author's text survives intact.
 */
export function redact(text: string, matches: readonly SecretMatch[], replacement: string): string {
  let result = '';
  let from = 0;
  for (const { start, end } of [...matches].sort((a, b) => a.start - b.start)) {
    if (start < from) continue;
    result += text.slice(from, start) + replacement;
    from = end;
  }
  return result + text.slice(from);
}
