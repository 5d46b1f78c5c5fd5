import { decodeHTMLStrict } from 'entities';

// The text the detectors read: what GitLab renders (or a program decodes), not the bytes
// that hide a secret from a pattern. Positions map back to the original text, so redaction
// replaces exactly the original characters of the secret (the hiding ones included) and
// nothing else.
//
// Undone here, in one linear pass over the text:
// - HTML character references, named and numeric (`&shy;`, `&lowbar;`, `&#8203;`), decoded
//   with the `entities` package as CommonMark reads them (with their `;`);
// - Unicode as it reads: default-ignorable code points and format characters dropped
//   (zero-width, soft hyphen, variation selectors…), dashes and hyphens as `-`, the rest
//   in NFKC (fullwidth, mathematical and circled letters);
// - HTML comments dropped; inline HTML tags (`<wbr>`, `<b></b>`) and Markdown emphasis or
//   code-span delimiters dropped where they split a token (between token characters);
// - percent-encoding (`%2D`) and Markdown backslash escapes (`\-`, `\_`), decoded when they
//   stand for an ASCII character;
// - combining marks dropped (`W\u0301` reads as the W under its accent);
// - between token characters: a link's destination or reference (`[glpat-ab](…)cd`, `…][1]cd`),
//   a space other than U+0020 (no-break, narrow, ideographic…), and a U+0020 space between two
//   characters that each stand alone (`g l p a t - …`, letter-spacing).
// Left as they are: homoglyphs NFKC does not fold (Cyrillic `а`, Greek `ο`): GitLab shows them
// as themselves, and a token read back from them is not the token; base64 or double
// percent-encoding, which GitLab does not decode for its reader.

export interface NormalizedText {
  /** The text to match. */
  text: string;
  /** Where the span `[start, end)` of `text` lies in the original text. */
  toOriginal(start: number, end: number): { start: number; end: number };
}

const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
/** Combining marks: drawn on the character before them, not read as characters of their own. */
const COMBINING = /^[\p{Mn}\p{Me}]$/u;
/** Space separators other than U+0020: no-break, narrow no-break, figure, ideographic… */
const WIDE_SPACE = /^\p{Zs}$/u;
const DASH = /^[\p{Pd}\u2212]$/u;

/** Renders as nothing: Unicode's default-ignorable code points (zero-width, soft hyphen, variation selectors, fillers…) and format characters (Cf). */
export function isInvisible(codePoint: number): boolean {
  return INVISIBLE.test(String.fromCodePoint(codePoint));
}

/** Code points already looked at (a text repeats few distinct ones); reset when it grows past a bound. */
const renderedCache = new Map<number, string | null>();

/** What a non-ASCII code point reads as: '' when invisible or a combining mark, '-' for a dash or hyphen, ' ' for a space, its NFKC form (fullwidth, mathematical, circled letters…); null when it stays as it is. */
function renderedCodePoint(codePoint: number): string | null {
  const cached = renderedCache.get(codePoint);
  if (cached !== undefined) return cached;
  const c = String.fromCodePoint(codePoint);
  let rendered: string | null = null;
  if (INVISIBLE.test(c) || COMBINING.test(c)) rendered = '';
  else if (DASH.test(c)) rendered = '-';
  else if (WIDE_SPACE.test(c)) rendered = ' ';
  else {
    const nfkc = c.normalize('NFKC');
    if (nfkc !== c) rendered = renderedText(nfkc);
  }
  if (renderedCache.size > 65_536) renderedCache.clear();
  renderedCache.set(codePoint, rendered);
  return rendered;
}

/** A decoded string (a character reference's, an NFKC form) with each non-ASCII code point rendered. */
function renderedText(text: string): string {
  let out = '';
  for (const c of text) {
    const codePoint = c.codePointAt(0)!;
    out += codePoint < 0x80 ? c : (renderedCodePoint(codePoint) ?? c);
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** ASCII punctuation: what a Markdown backslash escape may escape. */
function isAsciiPunctuation(code: number): boolean {
  return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
}

/** A character reference as CommonMark reads one: a named reference, or 1–7 decimal / 1–6 hex digits, always with its `;`. */
const REFERENCE = /&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/y;

/** `&shy;`, `&#8203;`, `&lowbar;` at `at`: what it renders as and its length, or undefined (`&foo;` is text). */
function characterReference(text: string, at: number): { length: number; text: string } | undefined {
  REFERENCE.lastIndex = at;
  const reference = REFERENCE.exec(text)?.[0];
  if (reference === undefined) return undefined;
  const decoded = decodeHTMLStrict(reference);
  return decoded === reference ? undefined : { length: reference.length, text: renderedText(decoded) };
}

/** An inline HTML tag (`<wbr>`, `<b>`, `</span>`, `<em class="x">`) at `at`, as CommonMark's raw HTML reads one; bounded, so linear. */
const TAG = /<\/?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]{0,30}(?:\s*=\s*(?:"[^"<>]{0,200}"|'[^'<>]{0,200}'|[^\s"'=<>`]{1,200}))?){0,10}\s*\/?>/y;

/** Markdown emphasis, strikethrough and code-span delimiters. */
const EMPHASIS = /[*~`]{1,3}/y;

/** Characters a token is made of: what a tag or an emphasis run must sit between to be read as splitting one. */
const isTokenCode = (c: number) => (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 95 || c === 45;
/** What may follow a split: a token character, or the start of another disguise. */
const continuesToken = (c: number) => isTokenCode(c) || c === 60 || c === 38 || c === 42 || c === 96 || c === 126 || c === 37 || c === 92 || c >= 0x80;
/** What may follow a tag that splits a token: also a line break (`<br />` and the rest on the next line). */
const continuesAfterTag = (c: number) => continuesToken(c) || c === 10 || c === 13;

/** A token character with no token character on either side in the original: one letter of a letter-spaced word. */
function standsAlone(original: string, at: number): boolean {
  return isTokenCode(original.charCodeAt(at)) && !isTokenCode(original.charCodeAt(at - 1)) && !isTokenCode(original.charCodeAt(at + 1));
}

/** A link's destination `(…)` or reference `[…]` right after its text's `]`: bounded, without spaces, so linear. */
const LINK_TAIL = /\](?:\([^\s()<>]{1,2000}\)|\[[^\s[\]]{0,200}\])/y;

/** The last piece whose normalised start is at most `index`. */
function pieceAt(normStarts: Int32Array, count: number, index: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (normStarts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Pieces of the normalised text, in order: a run copied from the original (same length),
 * or one decoded character standing for several original ones. Typed arrays that double
 * when full: a text made of escapes has hundreds of thousands of pieces.
 */
class Pieces {
  count = 0;
  normStarts = new Int32Array(64);
  origStarts = new Int32Array(64);
  origEnds = new Int32Array(64);
  decoded = new Uint8Array(64);

  add(normStart: number, origStart: number, origEnd: number, decoded: boolean): void {
    if (this.count === this.normStarts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
        bigger.set(a);
        return bigger;
      };
      this.normStarts = grow(this.normStarts);
      this.origStarts = grow(this.origStarts);
      this.origEnds = grow(this.origEnds);
      this.decoded = grow(this.decoded);
    }
    this.normStarts[this.count] = normStart;
    this.origStarts[this.count] = origStart;
    this.origEnds[this.count] = origEnd;
    this.decoded[this.count] = decoded ? 1 : 0;
    this.count += 1;
  }

  startOf(index: number): number {
    const p = pieceAt(this.normStarts, this.count, index);
    return this.decoded[p] ? this.origStarts[p]! : this.origStarts[p]! + (index - this.normStarts[p]!);
  }

  endOf(lastIndex: number): number {
    const p = pieceAt(this.normStarts, this.count, lastIndex);
    return this.decoded[p] ? this.origEnds[p]! : this.origStarts[p]! + (lastIndex - this.normStarts[p]!) + 1;
  }
}

/** What to do at `i`: how many original characters a disguise takes and what it reads as ('' for nothing), or undefined. */
function editAt(original: string, i: number, c: number, previous: number, comments: { none: boolean }): { length: number; text: string } | undefined {
  if (c === 37 /* % */) {
    const high = hexValue(original.charCodeAt(i + 1));
    const low = hexValue(original.charCodeAt(i + 2));
    return high >= 0 && high < 8 && low >= 0 ? { length: 3, text: String.fromCharCode(high * 16 + low) } : undefined;
  }
  if (c === 38 /* & */) return characterReference(original, i);
  if (c === 92 /* \ */) {
    const next = original.charCodeAt(i + 1);
    return isAsciiPunctuation(next) ? { length: 2, text: String.fromCharCode(next) } : undefined;
  }
  if (c === 60 /* < */) {
    if (original.startsWith('<!--', i)) {
      // `<!-->` and `<!--->` are whole comments; otherwise up to the next `-->`. Once none is left, none is searched for again.
      if (original.startsWith('>', i + 4)) return { length: 5, text: '' };
      if (original.startsWith('->', i + 4)) return { length: 6, text: '' };
      if (comments.none) return undefined;
      const close = original.indexOf('-->', i + 4);
      if (close < 0) comments.none = true;
      return close < 0 ? undefined : { length: close + 3 - i, text: '' };
    }
    if (!isTokenCode(previous)) return undefined;
    TAG.lastIndex = i;
    const tag = TAG.exec(original);
    return tag && continuesAfterTag(original.charCodeAt(i + tag[0].length)) ? { length: tag[0].length, text: '' } : undefined;
  }
  if (c === 42 || c === 96 || c === 126 /* * ` ~ */) {
    if (!isTokenCode(previous)) return undefined;
    EMPHASIS.lastIndex = i;
    const run = EMPHASIS.exec(original)!;
    return continuesToken(original.charCodeAt(i + run[0].length)) ? { length: run[0].length, text: '' } : undefined;
  }
  if (c === 32 /* space */) {
    return standsAlone(original, i - 1) && standsAlone(original, i + 1) ? { length: 1, text: '' } : undefined;
  }
  if (c === 93 /* ] */) {
    if (!isTokenCode(previous)) return undefined;
    LINK_TAIL.lastIndex = i;
    const tail = LINK_TAIL.exec(original);
    return tail && continuesToken(original.charCodeAt(i + tail[0].length)) ? { length: tail[0].length, text: '' } : undefined;
  }
  if (c >= 0x80) {
    const codePoint = original.codePointAt(i)!;
    const rendered = renderedCodePoint(codePoint);
    if (rendered === ' ') {
      const between = isTokenCode(previous) && continuesToken(original.charCodeAt(i + 1));
      return { length: 1, text: between ? '' : ' ' };
    }
    return rendered === null ? undefined : { length: codePoint > 0xffff ? 2 : 1, text: rendered };
  }
  return undefined;
}

const mayEdit = (c: number) => c === 37 || c === 38 || c === 92 || c === 60 || c === 42 || c === 96 || c === 126 || c === 32 || c === 93 || c >= 0x80;

export function normalizeForMatching(original: string): NormalizedText {
  const parts: string[] = [];
  const pieces = new Pieces();
  const comments = { none: false };
  let j = 0;
  // The copied run in progress: where it began in the original and in the output.
  let runOrig = 0;
  let runNorm = 0;
  // The last character of the output: whether a tag or an emphasis run splits a token.
  let previous = -1;
  for (let i = 0; i < original.length;) {
    const c = original.charCodeAt(i);
    const edit = mayEdit(c) ? editAt(original, i, c, previous, comments) : undefined;
    if (!edit) {
      previous = c;
      i += 1;
      j += 1;
      continue;
    }
    if (i > runOrig) {
      pieces.add(runNorm, runOrig, i, false);
      parts.push(original.slice(runOrig, i));
    }
    if (edit.text !== '') {
      pieces.add(j, i, i + edit.length, true);
      parts.push(edit.text);
      j += edit.text.length;
      previous = edit.text.charCodeAt(edit.text.length - 1);
    }
    i += edit.length;
    runOrig = i;
    runNorm = j;
  }
  if (pieces.count === 0 && runOrig === 0) return { text: original, toOriginal: (start, end) => ({ start, end }) };
  if (original.length > runOrig) {
    pieces.add(runNorm, runOrig, original.length, false);
    parts.push(original.slice(runOrig));
  }
  return {
    text: parts.join(''),
    toOriginal: (start, end) => ({ start: pieces.startOf(start), end: end > start ? pieces.endOf(end - 1) : pieces.startOf(start) }),
  };
}
