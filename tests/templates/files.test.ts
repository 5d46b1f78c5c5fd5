import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_TEMPLATES_DIR, templateFile } from '../../src/templates/catalog.js';
import { checkTemplate } from '../../src/templates/check.js';
import { parseMarkdown } from '../../src/templates/markdown.js';
import { shippedTemplates } from '../../src/templates/shipped.js';
import { defaultConfig, shippedTemplatesOf } from '../helpers/builders.js';
import { requiredOf } from './descriptions.js';

const configured = defaultConfig.templates;

describe('shipped issue templates', () => {
  it('has a config entry for every file, in the project of its folder', () => {
    for (const shipped of shippedTemplates.values()) {
      const entry = configured.find((t) => t.name === shipped.name);
      expect(entry, `config templates entry for ${shipped.file}`).toBeDefined();
      expect(entry!.project).toBe(shipped.project);
    }
  });

  describe.each(configured.map((t) => [t.name, t] as const))('%s', (_name, template) => {
    const path = join(SHIPPED_TEMPLATES_DIR, templateFile(template.project, template.name));

    it('exists at issue_templates/<project>/<Name>.md', () => {
      expect(existsSync(path), path).toBe(true);
    });

    it('starts with its marker', () => {
      expect(readFileSync(path, 'utf8').split('\n')[0]).toBe(`<!-- template: ${template.name} -->`);
    });

    it('requires every `## ` heading not marked "(optional)", in file order', () => {
      const headings = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('## ') && !l.endsWith('(optional)'))
        .map((l) => l.slice(3).trim());
      expect(headings.length).toBeGreaterThan(1);
      expect(requiredOf(template)).toEqual(headings);
    });

    it('keeps its guidance in HTML comments: as shipped, every required section is still empty', () => {
      const text = readFileSync(path, 'utf8');
      const check = checkTemplate(text, shippedTemplatesOf(template.project), defaultConfig.templateRecognition);
      expect(check).toMatchObject({ status: 'matched', via: 'marker', source: 'shipped', missing: requiredOf(template) });
      expect(parseMarkdown(text).comments.length).toBeGreaterThan(requiredOf(template).length);
    });
  });
});
