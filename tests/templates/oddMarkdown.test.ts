import { describe, expect, it } from 'vitest';
import { checkTemplate } from '../../src/templates/check.js';
import { defaultConfig, shippedTemplatesOf } from '../helpers/builders.js';

// A complete Contact Request written the many ways people (and editors) write Markdown: the
// template check reads its sections as GitLab renders them, so each is complete, and what
// GitLab does not render as a heading (a quote, a fence, `##` without a space) is not one.

const answers = (heading: (text: string) => string, gap = '\n\n') =>
  [
    `${heading('Username')}${gap}example-user`,
    `${heading('Reason for contact')}${gap}- [x] Their GitLab.com account has a problem\n\nTheir account is locked.`,
    `${heading('Message')}${gap}Please ask them to reset their two-factor authentication.`,
  ].join('\n\n');

const COMPLETE: Record<string, string> = {
  'ATX headings': answers((h) => `## ${h}`),
  'closing #s': answers((h) => `## ${h} ##`),
  'level 3': answers((h) => `### ${h}`),
  'level 1': answers((h) => `# ${h}`),
  'setext, ---': answers((h) => `${h}\n---`),
  'setext, ===': answers((h) => `${h}\n===`),
  'bold inside the heading': answers((h) => `## **${h}**`),
  'bold lines': answers((h) => `**${h}**`),
  'a colon after the heading': answers((h) => `## ${h}:`),
  'lower case': answers((h) => `## ${h.toLowerCase()}`),
  'CRLF line endings': answers((h) => `## ${h}`).replace(/\n/g, '\r\n'),
  'indented three spaces': answers((h) => `   ## ${h}`),
  'a tab after ##': answers((h) => `##\t${h}`),
  'no blank line after headings': answers((h) => `## ${h}`, '\n'),
  'a byte-order mark first': `\uFEFF${answers((h) => `## ${h}`)}`,
  'a zero-width space in each heading': answers((h) => `## ${h}\u200B`),
  'a soft hyphen in each heading': answers((h) => `## ${h.replace('a', 'a\u00AD')}`),
  'fullwidth letters': answers((h) => `## ${h.replace('M', '\uFF2D')}`),
};

const NOT_HEADINGS: Record<string, string> = {
  'a no-break space after ## (CommonMark needs a space or tab)': answers((h) => `##\u00A0${h}`),
  'headings in a block quote': answers((h) => `> ## ${h}`),
  'the whole text in a code fence': `\`\`\`\n${answers((h) => `## ${h}`)}\n\`\`\``,
};

describe('template-check over odd Markdown', () => {
  const candidates = shippedTemplatesOf('internal-requests');

  it.each(Object.entries(COMPLETE))('%s: a complete Contact Request', (_name, text) => {
    const check = checkTemplate(text, candidates, defaultConfig.templateRecognition);
    expect(check.status).toBe('matched');
    expect(check.status === 'matched' && [check.template.name, check.missing]).toEqual(['Contact Request', []]);
  });

  it.each(Object.entries(NOT_HEADINGS))('%s: no template recognised', (_name, text) => {
    expect(checkTemplate(text, candidates, defaultConfig.templateRecognition).status).toBe('none');
  });
});
