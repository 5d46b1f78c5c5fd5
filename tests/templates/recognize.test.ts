import { describe, expect, it } from 'vitest';
import { readTemplateFile } from '../../src/templates/catalog.js';
import type { ProjectTemplate } from '../../src/templates/projectTemplates.js';
import { parseMarkdown } from '../../src/templates/markdown.js';
import { headingsNeeded, recognizeTemplate } from '../../src/templates/recognize.js';

const settings = { minShare: 0.6, minHeadings: 2 };
/** A template whose file has these `##` headings (so these required sections). */
const template = (name: string, requiredSections: string[]): ProjectTemplate => ({
  config: { name, slug: name.toLowerCase().replace(/ /g, '-'), project: 'p', labels: [] },
  file: readTemplateFile(name, requiredSections.map((s) => `## ${s}\n`).join('\n')),
  source: 'project',
});
const contact = template('Contact Request', ['Username', 'Reason for contact', 'Message']);
const readiness = template('Support Readiness', ['Summary', 'Impact on Support', 'Timeline', 'DRI']);
const other = template('Other Thing', ['Username', 'Message', 'Extra']);

const recognize = (source: string, candidates: ProjectTemplate[]) => {
  const found = recognizeTemplate(parseMarkdown(source), candidates, settings);
  return found && [found.template.config.name, found.via];
};

describe('headingsNeeded', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [10, 6],
  ])('%i required -> %i', (required, needed) => {
    expect(headingsNeeded(required, settings)).toBe(needed);
  });
});

describe('recognizeTemplate', () => {
  it('trusts the marker first, in any case and spacing', () => {
    expect(recognize('<!-- template: Contact Request -->\nno headings', [contact, readiness])).toEqual(['Contact Request', 'marker']);
    expect(recognize('<!--template:   contact   request-->', [contact])).toEqual(['Contact Request', 'marker']);
  });

  it('ignores a marker naming a template of another project and falls back to the headings', () => {
    expect(recognize('<!-- template: Indirect Feedback -->\n## Summary\n## Timeline\n## DRI', [contact, readiness])).toEqual(['Support Readiness', 'headings']);
    expect(recognize('<!-- template: Indirect Feedback -->\ntext', [contact, readiness])).toBeUndefined();
  });

  it('needs most of the required headings', () => {
    expect(recognize('## Username\n## Message', [contact])).toEqual(['Contact Request', 'headings']);
    expect(recognize('## Username', [contact])).toBeUndefined();
    expect(recognize('## Summary\n## DRI', [readiness])).toBeUndefined();
  });

  it('matches headings whatever their level, spacing, closing #s or colon, and known bold lines', () => {
    const doc = parseMarkdown('# summary\n###  dri ##\n**Timeline:**', new Set(['timeline']));
    expect(recognizeTemplate(doc, [readiness], settings)?.template.config.name).toBe('Support Readiness');
  });

  it('takes the template with the highest share of headings, and no template on a tie', () => {
    expect(recognize('## Username\n## Reason for contact\n## Message', [other, contact])).toEqual(['Contact Request', 'headings']);
    expect(recognize('## Username\n## Message', [contact, other])).toBeUndefined();
  });

  it('does not count headings inside code fences', () => {
    expect(recognize('## Username\n```\n## Message\n```', [contact])).toBeUndefined();
  });
});
