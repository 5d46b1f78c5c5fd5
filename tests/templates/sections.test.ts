import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/templates/markdown.js';
import { isFilled, sectionBodies } from '../../src/templates/sections.js';

const bodyText = (source: string, wanted: string[], boundaries?: string[]) => {
  const bodies = sectionBodies(parseMarkdown(source), new Set(wanted), boundaries ? new Set(boundaries) : undefined);
  return Object.fromEntries([...bodies].map(([k, lines]) => [k, lines.map((l) => l.text).filter((t) => t.trim() !== '')]));
};

describe('sectionBodies', () => {
  it('keeps the author’s deeper headings inside a section and stops at the next sibling', () => {
    expect(bodyText('## Message\nhello\n### Details\nmore\n## Deadline\nsoon', ['message'])).toEqual({ message: ['hello', '### Details', 'more'] });
  });

  it('stops at a template heading whatever its level', () => {
    expect(bodyText('# Message\nhello\n### Deadline\nsoon', ['message'], ['message', 'deadline'])).toEqual({ message: ['hello'] });
  });

  it('joins the bodies of a heading used twice', () => {
    expect(bodyText('## Message\none\n## Other\nx\n## Message\ntwo', ['message'])).toEqual({ message: ['one', 'two'] });
  });
});

describe('isFilled', () => {
  const body = (source: string) => sectionBodies(parseMarkdown(`## S\n${source}`), new Set(['s'])).get('s');
  const placeholders = new Set(['example: example-user', '- [ ] blocked user']);

  it.each([
    ['', false],
    ['   \n\t\n', false],
    ['<!-- write the username -->', false],
    ['<!--\nmulti-line\nguidance\n-->', false],
    ['Example: example-user', false],
    ['  example:   EXAMPLE-USER  ', false],
    ['- [ ] Blocked user', false],
    ['-\n*\n> \n---', false],
    ['```\n```', false],
    ['- [x] Blocked user', true],
    ['Example: example-user\nalice', true],
    ['alice <!-- the user -->', true],
    ['```\nerror 42\n```', true],
    ['N/A', true],
  ])('%j -> %s', (source, filled) => {
    expect(isFilled(body(source), placeholders)).toBe(filled);
  });

  it('is false for a section that is not there', () => {
    expect(isFilled(undefined, new Set())).toBe(false);
  });
});
