import { createRequire } from 'node:module';
import type { Code, Heading, Html, Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { headingKey, parseMarkdown, type MarkdownDocument } from '../src/templates/markdown.js';
import { line } from './measure.js';
import { CASES, growth, SIZES, timeRun } from './scanners.js';

// Issue 12, guard rails: the hand-written Markdown reader (`src/templates/markdown.ts`)
// against mdast-util-from-markdown (micromark: CommonMark-exact, linear) on the same
// inputs: CommonMark 0.31.2's spec examples for headings (ATX and setext), fenced code
// blocks and HTML comments, scored on what the bot reads (which lines are headings, at
// what level and with what text; what is code; which comments there are), and the
// pathological inputs of `bench/scanners.ts`, timed at 128 KB to 1 MB.
// `npm run build && npm run bench -- compare-markdown`.

interface SpecExample {
  markdown: string;
  html: string;
  section: string;
  number: number;
}

/** What the bot takes from a document: headings (level and key), code block contents, comment texts. */
interface Reading {
  headings: string[];
  code: string[];
  comments: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decodeEntities = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ENTITIES[name]!);
/** A heading's text compared loosely: inline markup and escapes do not count, only the words. */
const looseKey = (text: string) => headingKey(decodeEntities(text.replace(/<[^>]*>/g, '')).replace(/[*_`\\]/g, ''));

/** Comment texts in HTML; `<!-->` and `<!--->` are whole empty comments (CommonMark 0.31). */
const commentTexts = (html: string) => [...html.matchAll(/<!--(?:-?>|([\s\S]*?)(?:-->|$))/g)].map((m) => m[1] ?? '');
/** A code block as the bot reads it: line by line, trimmed (indentation inside code does not change what a line says). */
const codeText = (code: string) =>
  code
    .split('\n')
    .map((l) => l.trim())
    .join('\n');

/** The expected reading, from the spec's HTML. */
function expectedReading(html: string): Reading {
  return {
    headings: [...html.matchAll(/<h([1-6])>([\s\S]*?)<\/h\1>/g)].map((m) => `${m[1]}:${looseKey(m[2]!)}`),
    code: [...html.matchAll(/<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)].map((m) => codeText(decodeEntities(m[1]!))),
    comments: commentTexts(html),
  };
}

function ownReading(doc: MarkdownDocument): Reading {
  const code: string[] = [];
  let block: string[] | null = null;
  for (const l of doc.lines) {
    if (l.code && l.fence && block === null) {
      block = [];
      continue;
    }
    if (block !== null && (!l.code || l.fence)) {
      code.push(block.map((b) => `${b}\n`).join(''));
      block = null;
      if (l.fence) continue;
    }
    if (block !== null) block.push(l.text);
  }
  // An unclosed fence runs to the end of the document; its last (empty) line is the one after the final newline.
  if (block !== null)
    code.push(
      block
        .slice(0, block.at(-1) === '' ? -1 : undefined)
        .map((b) => `${b}\n`)
        .join(''),
    );
  return {
    headings: doc.lines.flatMap((l) => (l.heading ? [`${l.heading.level}:${looseKey(l.heading.text)}`] : [])),
    code: code.map(codeText),
    comments: doc.comments.map((c) => c.replace(/\n$/, '')),
  };
}

function text(node: Nodes): string {
  if ('value' in node && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map(text).join('');
  return '';
}

function mdastReading(root: Root): Reading {
  const reading: Reading = { headings: [], code: [], comments: [] };
  const walk = (node: Nodes) => {
    if (node.type === 'heading') reading.headings.push(`${(node as Heading).depth}:${looseKey(text(node))}`);
    if (node.type === 'code') reading.code.push(codeText((node as Code).value + ((node as Code).value ? '\n' : '')));
    if (node.type === 'html') reading.comments.push(...commentTexts((node as Html).value));
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(root);
  return reading;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function specExamples(): SpecExample[] {
  const require = createRequire(import.meta.url);
  const spec = require('commonmark-spec') as { tests: SpecExample[] };
  // The spec prints tabs as →.
  return spec.tests.map((t) => ({ ...t, markdown: t.markdown.replaceAll('→', '\t'), html: t.html.replaceAll('→', '\t') }));
}

export function* compareMarkdown(): Generator<string> {
  const examples = specExamples();
  const groups: { name: string; field: keyof Reading; pick: (e: SpecExample) => boolean }[] = [
    { name: 'ATX headings', field: 'headings', pick: (e) => e.section === 'ATX headings' },
    { name: 'setext headings', field: 'headings', pick: (e) => e.section === 'Setext headings' },
    { name: 'fenced code blocks', field: 'code', pick: (e) => e.section === 'Fenced code blocks' },
    { name: 'HTML comments', field: 'comments', pick: (e) => e.markdown.includes('<!--') || e.markdown.includes('-->') },
  ];
  yield 'markdown comparison: CommonMark 0.31.2 spec examples, agreeing with the spec on what the bot reads';
  const ownWrong: number[] = [];
  for (const group of groups) {
    const picked = examples.filter(group.pick);
    let own = 0;
    let mdast = 0;
    for (const e of picked) {
      const expected = expectedReading(e.html)[group.field];
      if (same(ownReading(parseMarkdown(e.markdown))[group.field], expected)) own += 1;
      else ownWrong.push(e.number);
      if (same(mdastReading(fromMarkdown(e.markdown))[group.field], expected)) mdast += 1;
    }
    yield line(`  ${group.name} (${picked.length} examples)`, { 'markdown.ts': `${own}/${picked.length}`, 'mdast-util-from-markdown': `${mdast}/${picked.length}` });
  }
  yield `  markdown.ts differs from the spec on examples ${ownWrong.join(', ')}`;

  yield 'markdown comparison: pathological inputs, best-of-runs CPU ms at 128K/256K/512K/1M (larger sizes skipped once one takes over 2 s)';
  for (const c of CASES.filter((x) => x.scanner === 'parseMarkdown')) {
    const timesFor = (run: (t: string) => unknown) => {
      const times: number[] = [];
      for (const size of SIZES) {
        if ((times.at(-1) ?? 0) > 2000) break;
        times.push(timeRun(run, c.make(size), 1, 3));
      }
      return times;
    };
    const own = timesFor((t) => parseMarkdown(t));
    const mdast = timesFor((t) => fromMarkdown(t));
    const fmt = (ts: number[]) =>
      `${[...ts.map((t) => (t < 10 ? t.toFixed(1) : t.toFixed(0))), ...Array<string>(SIZES.length - ts.length).fill('skipped')].join('/')} (${ts.length > 1 ? growth(ts).perDoubling.toFixed(1) : '?'}x)`;
    yield line(`  ${c.input}`.slice(0, 44).padEnd(44), { 'markdown.ts': fmt(own), mdast: fmt(mdast) });
  }
}
