// Does a comment approve in words? Whole words or phrases, any case, outside quotes and
// code, and not right after a negation ("not approved", "I don't approve", "no LGTM").

const NEGATIONS = /\b(?:not|no|never|nor|cannot|without|dont|\w+n['’]t)\W+(?:[\w'’]+\W+){0,2}$/i;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text a person wrote themselves: quoted lines (`> …`), fenced and inline code, and HTML comments removed. */
export function ownWords(body: string): string {
  return body
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/^(```|~~~)[\s\S]*?^\1/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
}

/** The first configured phrase the text approves with, or null. */
export function approvingPhrase(body: string, phrases: readonly string[]): string | null {
  const text = ownWords(body);
  for (const phrase of phrases) {
    const pattern = new RegExp(`(?<![\\w-])${escape(phrase).replace(/\s+/g, '\\s+')}(?![\\w-])`, 'gi');
    for (const match of text.matchAll(pattern)) {
      // Only the few words before the phrase on the same line decide whether it is negated.
      const before =
        text
          .slice(Math.max(0, match.index - 40), match.index)
          .split('\n')
          .pop() ?? '';
      if (!NEGATIONS.test(before)) return phrase;
    }
  }
  return null;
}
