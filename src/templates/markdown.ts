// A small, linear-time reading of an issue description: which lines are headings,
// which are code, and what is left once HTML comments are taken out. Enough to find
// a template's sections; not a Markdown renderer.
//
// What counts as a heading:
// - ATX headings of any level (`#` to `######`), with optional closing `#`s and any
//   amount of space, outside code fences and HTML comments;
// - a line that is only bold text (`**Username**`, `__Username:__`, `**Username**:`),
//   but only when its text is one of the `knownHeadings` (bold is also used for
//   emphasis inside a section, so unknown bold lines stay body text).
// - a setext heading (`Username` over `---` or `===`), again only for one of the
//   `knownHeadings` and a one-line paragraph (the underline line becomes blank).
// A leading byte-order mark is dropped, and heading keys ignore invisible format
// characters (zero-width spaces, soft hyphens, bidi marks) and compatibility forms (NFKC).
// Fences and comments follow CommonMark where the bot's reading depends on them (a
// backtick fence's info string has no backtick; `<!-->` is a whole comment); containers
// (block quotes, lists) and indented code are not read. `bench/compareMarkdown.ts`
// scores this against CommonMark's spec examples and mdast-util-from-markdown.

export interface MarkdownLine {
  /** The line with HTML comments removed (CRLF normalised). */
  text: string;
  /** Inside a fenced code block (the fence lines included). */
  code: boolean;
  /** A fence's opening or closing line. */
  fence?: true;
  heading?: { text: string; key: string; level: number };
}

export interface MarkdownDocument {
  lines: MarkdownLine[];
  /** Text of every HTML comment outside code, in order (template markers live here). */
  comments: string[];
}

/** Level given to a bold-line heading: below every ATX level, so any `#` heading ends its section. */
export const BOLD_HEADING_LEVEL = 7;

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const ATX_OPEN = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const BOLD_LINE = /^\s*(\*\*|__)([^*_]{1,200})\1\s*:?\s*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
/** Unicode format characters (zero-width spaces and joiners, soft hyphen, bidi controls, BOM): invisible once rendered. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** The comparable form of a heading: no emphasis, no trailing colon, no case, single spaces. */
export function headingKey(text: string): string {
  // Character loops rather than anchored regexes: a long run of `:` or spaces stays linear.
  let start = 0;
  let end = text.length;
  while (start < end && /[\s*_]/.test(text[start]!)) start += 1;
  while (end > start && /[\s*_:]/.test(text[end - 1]!)) end -= 1;
  // Only runs that differ from one space are replaced: `.replace(/\s+/g, ' ')` rewrites every
  // single space too, and V8 slows down sharply past ~300k replacements in one string.
  return text
    .slice(start, end)
    .normalize('NFKC')
    .replace(FORMAT_CHARACTERS, '')
    .replace(/\s{2,}|[^\S ]/g, ' ')
    .trim()
    .toLowerCase();
}

function atxHeading(line: string): { text: string; level: number } | undefined {
  const open = ATX_OPEN.exec(line);
  if (!open) return undefined;
  let text = line.slice(open[0].length).trim();
  // A closing sequence is `#`s preceded by a space (or the whole rest): `## Title ##`.
  const closing = /(^|[ \t])#+$/.exec(text);
  if (closing) text = text.slice(0, closing.index).trim();
  return { text, level: open[1]!.length };
}

/** `Username` over `---` (level 2) or `===` (level 1): a one-line paragraph naming a known heading. */
function setextHeading(line: string, previous: MarkdownLine | undefined, next: string | undefined, knownHeadings: ReadonlySet<string>) {
  if (next === undefined || line.length > 220 || line.trim() === '') return undefined;
  const underline = SETEXT_UNDERLINE.exec(next);
  if (!underline) return undefined;
  // A paragraph of several lines is one heading, not the known line alone.
  if (previous && !previous.heading && !previous.fence && previous.text.trim() !== '') return undefined;
  const text = line.trim();
  return knownHeadings.has(headingKey(text)) ? { text, level: underline[1]![0] === '=' ? 1 : 2 } : undefined;
}

function boldHeading(line: string, knownHeadings: ReadonlySet<string>): { text: string; level: number } | undefined {
  if (line.length > 220) return undefined;
  const match = BOLD_LINE.exec(line);
  if (!match) return undefined;
  const text = match[2]!.trim();
  return knownHeadings.has(headingKey(text)) ? { text, level: BOLD_HEADING_LEVEL } : undefined;
}

/** An HTML comment still open at the end of a line: its text so far, in pieces (joined once, when it closes). */
interface OpenComment {
  parts: string[];
}

/**
 * Removes HTML comments from one line; reports an unterminated one and collects comment
 * texts. Reads the line once, by index: no copy of the rest of the line per comment.
 */
function stripComments(line: string, comments: string[], openComment: OpenComment | null): { text: string; open: OpenComment | null } {
  let out = '';
  let at = 0;
  let open = openComment;
  for (;;) {
    if (open) {
      const end = line.indexOf('-->', at);
      if (end < 0) {
        open.parts.push(line.slice(at), '\n');
        return { text: out, open };
      }
      open.parts.push(line.slice(at, end));
      comments.push(open.parts.join(''));
      at = end + 3;
      open = null;
      continue;
    }
    const start = line.indexOf('<!--', at);
    if (start < 0) return { text: at === 0 ? line : out + line.slice(at), open: null };
    out += line.slice(at, start);
    // `<!-->` and `<!--->` are whole (empty) comments (CommonMark 0.31).
    const empty = line.startsWith('>', start + 4) ? 5 : line.startsWith('->', start + 4) ? 6 : 0;
    if (empty > 0) {
      comments.push('');
      at = start + empty;
      continue;
    }
    at = start + 4;
    // Closed on the same line (the usual case): the comment is one slice, no pieces to join.
    const end = line.indexOf('-->', at);
    if (end >= 0) {
      comments.push(line.slice(at, end));
      at = end + 3;
      continue;
    }
    open = { parts: [] };
  }
}

export function parseMarkdown(source: string, knownHeadings: ReadonlySet<string> = new Set()): MarkdownDocument {
  // Split on every line ending at once: replacing each CRLF first costs a replacement per line.
  const rawLines = source.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  const lines: MarkdownLine[] = [];
  const comments: string[] = [];
  let fence: { char: string; length: number } | null = null;
  let comment: OpenComment | null = null;

  let underline = false;
  for (const [index, raw] of rawLines.entries()) {
    if (underline) {
      // A setext heading's underline is markup, not a line of its section.
      underline = false;
      lines.push({ text: '', code: false });
      continue;
    }
    if (fence) {
      const close = FENCE_OPEN.exec(raw);
      const closes = close !== null && close[1]![0] === fence.char && close[1]!.length >= fence.length && raw.trim() === close[1];
      if (closes) fence = null;
      lines.push(closes ? { text: raw, code: true, fence: true } : { text: raw, code: true });
      continue;
    }
    const startedInComment = comment !== null;
    const stripped = stripComments(raw, comments, comment);
    comment = stripped.open;
    const text = stripped.text;
    if (!startedInComment) {
      const open = FENCE_OPEN.exec(text);
      // A backtick fence's info string has no backtick (```` ``` aa ``` ```` is a code span, not a fence).
      if (open && !(open[1]![0] === '`' && text.includes('`', open[0].length))) {
        fence = { char: open[1]![0]!, length: open[1]!.length };
        lines.push({ text, code: true, fence: true });
        continue;
      }
    }
    // A line that began inside a comment cannot be a heading: its start was hidden.
    const setext = startedInComment || comment ? undefined : setextHeading(text, lines.at(-1), rawLines[index + 1], knownHeadings);
    underline = setext !== undefined;
    const heading = startedInComment ? undefined : (atxHeading(text) ?? setext ?? boldHeading(text, knownHeadings));
    lines.push(heading ? { text, code: false, heading: { ...heading, key: headingKey(heading.text) } } : { text, code: false });
  }
  if (comment) comments.push(comment.parts.join(''));
  return { lines, comments };
}
