// What a comment says in its writer's own words, as GitLab renders it: the text of its
// paragraphs, headings, list items and table cells, read with a CommonMark parser
// (mdast-util-from-markdown) and GFM strikethrough. Left out: quotes (`>`, GitLab's `>>>`
// blocks, `<blockquote>`), code (fenced, indented, spans, `<pre>`, `<code>`), struck text
// (`~~…~~`, `<del>`, `<s>`), links (their text, and bare URLs), images, HTML comments,
// quick-action lines (`/approve`) and task list items not ticked (`- [ ]`, `- [~]`).
//
// micromark is not linear on every input (deeply nested quotes, long runs of emphasis or
// link openers take seconds at 32 KiB), so the text is first cut, in one pass, into blocks
// that cannot affect each other (blank-line separated, fences and HTML blocks kept whole),
// and only a block of at most MAX_BLOCK characters is parsed (longer ones are handed back raw).
// Emphasis is not parsed at all (emphasised words are still the writer's words).

import type { Nodes, Parent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';

/** A block longer than this is not read for an approval: an approval is a short statement, and parsing cost stays bounded per block. */
export const MAX_BLOCK = 2000;

/** Nodes whose text is not the writer's own words. */
const SKIPPED = new Set(['blockquote', 'code', 'inlineCode', 'delete', 'link', 'linkReference', 'image', 'imageReference', 'html', 'definition', 'footnoteDefinition']);
/** HTML elements whose content is not the writer's own words (GitLab keeps them through its sanitizer). */
const SKIPPED_TAGS = new Set(['blockquote', 'pre', 'code', 'del', 's', 'strike', 'a', 'kbd', 'samp', 'q', 'cite', 'details']);
const TAG = /^<(\/?)([a-z][a-z0-9-]*)\b[^>]*?(\/?)>$/i;

const EXTENSIONS = [gfmStrikethrough(), { disable: { null: ['attention'] } }];
const MDAST_EXTENSIONS = [gfmStrikethroughFromMarkdown()];
const BETWEEN_BLOCKS = '\n\n<!-- -->\n\n';

/** A comment's own words: the text of each block read (paragraphs separated by blank lines, line breaks kept), and the blocks too long to parse, raw. */
export interface OwnWords {
  texts: string[];
  unread: string[];
}

/** The own words of a comment, block by block. */
export function ownWords(body: string): OwnWords {
  const kept: string[] = [];
  const unread: string[] = [];
  for (const block of blocks(withoutQuickActions(withoutGitLabQuotes(body.replace(/\r\n?/g, '\n'))))) {
    if (block.length <= MAX_BLOCK) kept.push(collapseQuoteMarkers(block));
    else unread.push(block);
  }
  if (kept.length === 0) return { texts: [], unread };
  // One parse for all kept blocks (a parse has a fixed cost); an HTML comment between them
  // ends any list or quote, so each block reads as it does alone.
  const tree = fromMarkdown(kept.join(BETWEEN_BLOCKS), { extensions: EXTENSIONS, mdastExtensions: MDAST_EXTENSIONS });
  const texts: string[] = [];
  collectText(tree, texts);
  return { texts: texts.map(withoutUrls).filter((t) => t.trim() !== ''), unread };
}

/**
 * A quick action (`/approve`, `/merge`) on its own line is a command to GitLab, not words: GitLab
 * runs it and removes the line (QuickActions::InterpretService), so one left in a stored comment
 * is one GitLab did not run. Blanked, lines kept.
 */
function withoutQuickActions(text: string): string {
  return text.includes('/') ? text.replace(/^\/[a-z][\w-]*(?:[ \t].*)?$/gim, '') : text;
}

/** GitLab's multi-line quote: from a line starting with `>>>` to a line that is `>>>` (unclosed: to the end). Blanked, lines kept. */
function withoutGitLabQuotes(text: string): string {
  if (!text.includes('>>>')) return text;
  const lines = text.split('\n');
  let inQuote = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inQuote) {
      if (/^>>>\s*$/.test(line)) inQuote = false;
      lines[i] = '';
    } else if (line.startsWith('>>>')) {
      inQuote = true;
      lines[i] = '';
    }
  }
  return lines.join('\n');
}

/** A quote nested many times deep is still a quote: `>>>>` at a line's start becomes `>` (micromark slows down with each level). */
function collapseQuoteMarkers(block: string): string {
  return block.replace(/^([ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)>(?:[ \t]*>)+/gm, '$1>');
}

const FENCE = /^[ \t]*(?:(?:[-+*>]|\d{1,9}[.)])[ \t]*)*(`{3,}|~{3,})/;
/**
 * HTML blocks that end at a marker, not at a blank line (CommonMark's HTML block kinds 1 to 5),
 * and quotes, which GitLab renders around the blank lines and paragraphs inside them.
 */
const HTML_BLOCK_ENDS: [RegExp, RegExp][] = [
  [/^[ \t]*<(?:blockquote|details)(?:[\s>]|$)/i, /<\/(?:blockquote|details)>/i],
  [/^[ \t]*<(?:pre|script|style|textarea)(?:[\s>]|$)/i, /<\/(?:pre|script|style|textarea)>/i],
  [/^[ \t]*<!--/, /-->/],
  [/^[ \t]*<\?/, /\?>/],
  [/^[ \t]*<![A-Za-z]/, />/],
  [/^[ \t]*<!\[CDATA\[/, /\]\]>/],
];

/**
 * Cuts the text into blocks at blank lines, keeping a fence (also one inside a list item or
 * a quote) and an HTML block of the kinds that span blank lines in one block, so every block
 * parses alone as it does in the whole comment, or more strictly: an unclosed fence or HTML
 * block runs to the end of the comment, where it makes one block too long to read.
 */
function* blocks(text: string): Generator<string> {
  const lines = text.split('\n');
  let start = 0;
  /** The open fence or HTML block: the test for its last line, and whether its lines are left out. */
  let open: { closes: RegExp; skip: boolean } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open) {
      if (!open.closes.test(line)) continue;
      // A quote, code or comment in HTML is nobody's statement: its lines are left out.
      if (open.skip) start = i + 1;
      open = null;
      continue;
    }
    if (line.trim() === '') {
      if (i > start) yield lines.slice(start, i).join('\n');
      start = i + 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      open = { closes: new RegExp(`^[ \\t]*(?:(?:[-+*>]|\\d{1,9}[.)])[ \\t]*)*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`), skip: false };
      continue;
    }
    const html = HTML_BLOCK_ENDS.find(([opens]) => opens.test(line));
    if (html && !html[1].test(line.slice(line.indexOf('<') + 2))) {
      if (i > start) yield lines.slice(start, i).join('\n');
      open = { closes: html[1], skip: true };
    }
  }
  if (start < lines.length && !open?.skip) yield lines.slice(start).join('\n');
}

/** GitLab's task list item markers: `[ ]` open and `[~]` inapplicable tick nothing; `[x]` is ticked. */
const TASK_MARKER = /^\[([ xX~])\][ \t]/;

function collectText(node: Nodes, texts: string[]): void {
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
    texts.push(inlineText(node));
    return;
  }
  if (node.type === 'listItem' && node.children[0]?.type === 'paragraph') {
    const [first, ...rest] = node.children;
    const text = inlineText(first);
    const task = TASK_MARKER.exec(text);
    if (task) {
      if (task[1] === 'x' || task[1] === 'X') texts.push(text.slice(task[0].length));
      for (const child of rest) collectText(child, texts);
      return;
    }
  }
  if (SKIPPED.has(node.type) || !('children' in node)) return;
  for (const child of (node as Parent).children) collectText(child as Nodes, texts);
}

/** The writer's words of a paragraph: skipped nodes dropped, and what sits between an opening and closing skipped HTML tag. */
function inlineText(node: Parent): string {
  let text = '';
  const open = new Map<string, number>();
  let inside = 0;
  for (const child of node.children as Nodes[]) {
    if (child.type === 'html') {
      const tag = TAG.exec(child.value.trim());
      const name = tag?.[2]?.toLowerCase();
      if (!tag || !name || !SKIPPED_TAGS.has(name) || tag[3]) continue;
      const count = open.get(name) ?? 0;
      // A closing tag without its opening one is ignored, as GitLab's sanitizer drops it.
      const delta = tag[1] ? (count > 0 ? -1 : 0) : 1;
      open.set(name, count + delta);
      inside += delta;
      continue;
    }
    if (inside > 0 || SKIPPED.has(child.type)) continue;
    if (child.type === 'text') text += child.value;
    else if (child.type === 'break') text += '\n';
    else if ('children' in child) text += inlineText(child as Parent);
  }
  return text;
}

/** Bare URLs are links too: "…/LGTM" at the end of one is not a statement. */
function withoutUrls(text: string): string {
  return text.replace(/\b(?:https?:\/\/|www\.)[^\s<>]*/gi, ' ');
}
