// The text the detectors read: what a reader sees or a program decodes, not the bytes that
// hide a secret from a pattern. Positions map back to the original text, so redaction
// replaces exactly the original characters of the secret (the hiding ones included) and
// nothing else.
//
// Undone here, in one pass over the text:
// - invisible format characters (Unicode category Cf: zero-width space, zero-width
//   (non-)joiner, word joiner, soft hyphen, BOM, bidi controls…; and U+034F), dropped;
// - percent-encoding (`%2D`), numeric HTML character references (`&#45;`, `&#x2d;`) and
//   Markdown backslash escapes (`\-`, `\_`), decoded when they stand for an ASCII
//   character (GitLab renders the last two as the character itself).

export interface NormalizedText {
  /** The text to match. */
  text: string;
  /** Where the span `[start, end)` of `text` lies in the original text. */
  toOriginal(start: number, end: number): { start: number; end: number };
}

/** Unicode's format characters (category Cf, Unicode 15), plus the combining grapheme joiner: all render as nothing. */
export function isInvisible(codePoint: number): boolean {
  if (codePoint < 0xad) return false;
  if (codePoint <= 0xffff) {
    return (
      codePoint === 0xad ||
      codePoint === 0x34f ||
      (codePoint >= 0x600 && codePoint <= 0x605) ||
      codePoint === 0x61c ||
      codePoint === 0x6dd ||
      codePoint === 0x70f ||
      codePoint === 0x890 ||
      codePoint === 0x891 ||
      codePoint === 0x8e2 ||
      codePoint === 0x180e ||
      (codePoint >= 0x200b && codePoint <= 0x200f) ||
      (codePoint >= 0x202a && codePoint <= 0x202e) ||
      (codePoint >= 0x2060 && codePoint <= 0x2064) ||
      (codePoint >= 0x2066 && codePoint <= 0x206f) ||
      codePoint === 0xfeff ||
      (codePoint >= 0xfff9 && codePoint <= 0xfffb)
    );
  }
  return (
    codePoint === 0x110bd ||
    codePoint === 0x110cd ||
    (codePoint >= 0x13430 && codePoint <= 0x1343f) ||
    (codePoint >= 0x1bca0 && codePoint <= 0x1bca3) ||
    (codePoint >= 0x1d173 && codePoint <= 0x1d17a) ||
    codePoint === 0xe0001 ||
    (codePoint >= 0xe0020 && codePoint <= 0xe007f)
  );
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

/** `&#45;` / `&#x2d;` at `at`: its ASCII code and length, or undefined. Reads at most 10 characters. */
function characterReference(text: string, at: number): { code: number; length: number } | undefined {
  if (text.charCodeAt(at + 1) !== 35) return undefined;
  const isHex = (text.charCodeAt(at + 2) | 0x20) === 120;
  let i = at + (isHex ? 3 : 2);
  let code = 0;
  let digits = 0;
  for (; i < text.length && digits < 7; i += 1, digits += 1) {
    const c = text.charCodeAt(i);
    const value = isHex ? hexValue(c) : c >= 48 && c <= 57 ? c - 48 : -1;
    if (value < 0) break;
    code = code * (isHex ? 16 : 10) + value;
  }
  if (digits === 0 || text.charCodeAt(i) !== 59 || code > 0x7f) return undefined;
  return { code, length: i + 1 - at };
}

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

const UTF16 = new TextDecoder('utf-16le');

/** What to do at `i`: how many original characters an escape or invisible character takes, and what it stands for (-1: nothing). */
function editAt(original: string, i: number, c: number): { length: number; code: number } | undefined {
  if (c === 37 /* % */) {
    const high = hexValue(original.charCodeAt(i + 1));
    const low = hexValue(original.charCodeAt(i + 2));
    return high >= 0 && high < 8 && low >= 0 ? { length: 3, code: high * 16 + low } : undefined;
  }
  if (c === 38 /* & */) return characterReference(original, i);
  if (c === 92 /* \ */) {
    const next = original.charCodeAt(i + 1);
    return isAsciiPunctuation(next) ? { length: 2, code: next } : undefined;
  }
  if (c >= 0xad) {
    const codePoint = original.codePointAt(i)!;
    return isInvisible(codePoint) ? { length: codePoint > 0xffff ? 2 : 1, code: -1 } : undefined;
  }
  return undefined;
}

export function normalizeForMatching(original: string): NormalizedText {
  let out: Uint16Array | undefined;
  const pieces = new Pieces();
  let j = 0;
  // The copied run in progress: where it began in the original and in the output.
  let runOrig = 0;
  let runNorm = 0;
  for (let i = 0; i < original.length;) {
    const c = original.charCodeAt(i);
    const edit = c === 37 || c === 38 || c === 92 || c >= 0xad ? editAt(original, i, c) : undefined;
    if (!edit) {
      if (out) out[j] = c;
      i += 1;
      j += 1;
      continue;
    }
    if (!out) {
      out = new Uint16Array(original.length);
      for (let k = 0; k < i; k += 1) out[k] = original.charCodeAt(k);
    }
    if (i > runOrig) pieces.add(runNorm, runOrig, i, false);
    if (edit.code >= 0) {
      pieces.add(j, i, i + edit.length, true);
      out[j] = edit.code;
      j += 1;
    }
    i += edit.length;
    runOrig = i;
    runNorm = j;
  }
  if (!out) return { text: original, toOriginal: (start, end) => ({ start, end }) };
  if (original.length > runOrig) pieces.add(runNorm, runOrig, original.length, false);
  return {
    text: UTF16.decode(out.subarray(0, j)),
    toOriginal: (start, end) => ({ start: pieces.startOf(start), end: end > start ? pieces.endOf(end - 1) : pieces.startOf(start) }),
  };
}
