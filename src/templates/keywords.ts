import { escapeRegExp } from '../text/regexp.js';

// Whole-word keyword matching for short phrases from config ("grace period", "true-up").

/** A matcher for one phrase: any case, any run of spaces or hyphens between words, an optional plural `s`. */
function phrasePattern(phrase: string): RegExp {
  const words = phrase
    .trim()
    .split(/[\s-]+/)
    .map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[\\s-]+')}s?(?![\\p{L}\\p{N}])`, 'iu');
}

/** The configured phrases that occur in `text`, in config order. */
export function matchedKeywords(text: string, keywords: readonly string[]): string[] {
  return keywords.filter((keyword) => phrasePattern(keyword).test(text));
}
