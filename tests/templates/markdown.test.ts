import { describe, expect, it } from 'vitest';
import { BOLD_HEADING_LEVEL, headingKey, parseMarkdown } from '../../src/templates/markdown.js';

const headings = (source: string, known: string[] = []) => parseMarkdown(source, new Set(known)).lines.flatMap((l) => (l.heading ? [[l.heading.level, l.heading.key]] : []));

describe('headingKey', () => {
  it.each([
    ['Username', 'username'],
    ['  Reason   for\tcontact  ', 'reason for contact'],
    ['Username:', 'username'],
    ['**Username**', 'username'],
    ['**Username:**', 'username'],
    ['__Impact on Support__ :', 'impact on support'],
    ['DRI', 'dri'],
  ])('%j -> %j', (text, key) => {
    expect(headingKey(text)).toBe(key);
  });
});

describe('parseMarkdown headings', () => {
  it('reads ATX headings of every level, with extra spaces and closing #s', () => {
    expect(headings('# One\n##   Two   words  \n### Three ###\n####### not a heading\n##no space\n## C#')).toEqual([
      [1, 'one'],
      [2, 'two words'],
      [3, 'three'],
      [2, 'c#'],
    ]);
  });

  it('reads a setext heading (`Username` over `---` or `===`) when it names a known heading and is a one-line paragraph', () => {
    const known = ['username', 'message'];
    expect(headings('Username\n--------\nalice\n\nMessage\n===\nhello', known)).toEqual([
      [2, 'username'],
      [1, 'message'],
    ]);
    // The underline is markup, not a line of the section.
    expect(parseMarkdown('Username\n---\nalice', new Set(['username'])).lines.map((l) => l.text)).toEqual(['Username', '', 'alice']);
    // Unknown text over `---`, a two-line paragraph, a list item or code over `---`: no heading.
    expect(headings('Anything\n---', known)).toEqual([]);
    expect(headings('Some text\nUsername\n---', known)).toEqual([]);
    expect(headings('```\nUsername\n---\n```', known)).toEqual([]);
    expect(headings('<!--\nUsername\n---\n-->', known)).toEqual([]);
    // After a heading or a blank line, a one-line paragraph again.
    expect(headings('## Username\nalice\n\nMessage\n---', known)).toEqual([
      [2, 'username'],
      [2, 'message'],
    ]);
  });

  it('ignores a byte-order mark and invisible format characters, and compares compatibility forms as GitLab shows them', () => {
    expect(headings('\uFEFF## Username\nalice')).toEqual([[2, 'username']]);
    expect(headings('## User\u200Bname\u200D\n## Mes\u00ADsage\u200E\n## \uFF2D\uFF45ssage')).toEqual([
      [2, 'username'],
      [2, 'message'],
      [2, 'message'],
    ]);
  });

  it('handles CRLF and lone CR line endings', () => {
    expect(headings('## Username\r\nalice\r\n## Message\rhello\r')).toEqual([
      [2, 'username'],
      [2, 'message'],
    ]);
    expect(parseMarkdown('## A\r\nbody\r\n').lines.map((l) => l.text)).toEqual(['## A', 'body', '']);
  });

  it('does not count `## ` lines inside code fences, whatever the fence', () => {
    const source = ['## Before', '```', '## Inside backticks', '```', '~~~~ text', '## Inside tildes', '~~~', '## still inside', '~~~~', '## After'].join('\n');
    expect(headings(source)).toEqual([
      [2, 'before'],
      [2, 'after'],
    ]);
  });

  it('does not take a backtick line with a backtick in its info string for a fence (CommonMark examples 138, 145)', () => {
    expect(headings('``` aa ```\n## Heading')).toEqual([[2, 'heading']]);
    expect(parseMarkdown('``` ```\naaa').lines.some((l) => l.code)).toBe(false);
    // Tildes may carry backticks.
    expect(parseMarkdown('~~~ aa ``` ~~~\n## inside').lines.every((l) => l.code)).toBe(true);
  });

  it('treats an unclosed fence as code to the end', () => {
    const doc = parseMarkdown('## A\n```\n## B\n');
    expect(doc.lines.filter((l) => l.heading)).toHaveLength(1);
    expect(doc.lines.slice(1).every((l) => l.code)).toBe(true);
  });

  it('does not count headings inside HTML comments, single or multi-line', () => {
    expect(headings('<!-- ## Hidden -->\n<!--\n## Also hidden\n-->\n## Shown <!-- note -->')).toEqual([[2, 'shown']]);
  });

  it('collects comment texts outside code and strips them from the lines', () => {
    const doc = parseMarkdown('<!-- template: X -->\ntext <!-- a --> more\n```\n<!-- in code -->\n```\n<!-- open\nstill');
    expect(doc.comments).toEqual([' template: X ', ' a ', ' open\nstill\n']);
    expect(doc.lines[1]!.text).toBe('text  more');
    expect(doc.lines[3]!.text).toBe('<!-- in code -->');
  });

  it('reads `<!-->` and `<!--->` as whole empty comments (CommonMark example 626)', () => {
    const doc = parseMarkdown('foo <!--> foo -->\n\nfoo <!---> foo -->\n## After');
    expect(doc.comments).toEqual(['', '']);
    expect(doc.lines[0]!.text).toBe('foo  foo -->');
    expect(headings('<!-->\n## Shown')).toEqual([[2, 'shown']]);
  });

  it('counts a bold line as a heading only when it names a known heading', () => {
    expect(headings('**Username**\nalice\n**Important**\n**Message:**', ['username', 'message'])).toEqual([
      [BOLD_HEADING_LEVEL, 'username'],
      [BOLD_HEADING_LEVEL, 'message'],
    ]);
  });

  it('stays fast on hostile input', () => {
    // CPU time, not wall time: the bound must hold on a machine busy with other work.
    const started = process.cpuUsage();
    parseMarkdown(`## ${': '.repeat(200_000)}x\n${'<!--'.repeat(100_000)}\n${'#'.repeat(100_000)}\n**${'a'.repeat(100_000)}**`);
    parseMarkdown(`${'## heading\nbody line\n'.repeat(50_000)}`);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });
});
