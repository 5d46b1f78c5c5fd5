import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_TEMPLATES_DIR, templateFile } from '../../src/templates/catalog.js';
import { checkTemplate } from '../../src/templates/check.js';
import { parseMarkdown } from '../../src/templates/markdown.js';
import { shippedTemplates } from '../../src/templates/shipped.js';
import { defaultConfig } from '../helpers/builders.js';

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

    it('has every required section as a `## ` heading', () => {
      const headings = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('## '))
        .map((l) => l.slice(3).trim());
      expect(headings).toEqual(expect.arrayContaining(template.requiredSections));
    });

    it('keeps its guidance in HTML comments: as shipped, every required section is still empty', () => {
      const text = readFileSync(path, 'utf8');
      const check = checkTemplate(text, [template], shippedTemplates, defaultConfig.templateRecognition);
      expect(check).toMatchObject({ status: 'matched', via: 'marker', missing: template.requiredSections });
      expect(parseMarkdown(text).comments.length).toBeGreaterThan(template.requiredSections.length);
    });
  });
});
