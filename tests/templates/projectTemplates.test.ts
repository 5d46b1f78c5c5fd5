import { describe, expect, it } from 'vitest';
import { readTemplateFile } from '../../src/templates/catalog.js';
import { TemplateSource, TEMPLATE_CACHE_MS, resolveProjectTemplates } from '../../src/templates/projectTemplates.js';
import { shippedTemplates } from '../../src/templates/shipped.js';
import { defaultConfig } from '../helpers/builders.js';

describe('required sections come from the template file', () => {
  it.each([
    ['## A\n## B', ['A', 'B']],
    ['## A\n## B (optional)', ['A']],
    ['## A (Optional)\n## B ( optional )\n## C', ['C']],
    ['# Title\n## A\n### Detail\n## B', ['A', 'B']],
    ['## A\n```\n## Not a heading\n```\n<!--\n## Nor this\n-->', ['A']],
    ['## Optional steps\n## Why (optional) here', ['Optional steps', 'Why (optional) here']],
  ])('%j requires %j', (text, required) => {
    expect(readTemplateFile('T', text).required).toEqual(required);
  });
});

describe('resolveProjectTemplates', () => {
  it("takes the project's own file, else the shipped copy, else none", () => {
    const config = { ...defaultConfig, templates: [...defaultConfig.templates, { name: 'Homegrown', slug: 'homegrown', project: 'internal-requests', labels: [] }] };
    const own = new Map([['Contact Request', '## Who\n## What']]);
    const resolved = resolveProjectTemplates(config, 'internal-requests', own, shippedTemplates);
    expect(resolved.map((t) => [t.config.name, t.source, t.file?.required])).toEqual([
      ['Contact Request', 'project', ['Who', 'What']],
      ['Name Squatting Request', 'shipped', shippedTemplates.get('Name Squatting Request')!.required],
      ['Homegrown', 'none', undefined],
    ]);
  });
});

describe('TemplateSource', () => {
  const scope = { key: 'internal-requests', id: 7, path: 'g/internal-requests', defaultBranch: 'main' };
  function counting(files: Record<string, string>) {
    const reads: string[] = [];
    const gateway = {
      listFiles: async (_id: number, folder: string) => (reads.push(`tree ${folder}`), Object.keys(files).map((name) => `${folder}/${name}.md`)),
      getFile: async (_id: number, path: string) => (reads.push(`file ${path}`), files[path.replace(/^.*\//, '').replace(/\.md$/, '')] ?? null),
    };
    return { gateway, reads };
  }

  it('reads a project once per TTL, again after it, and at once after forget', async () => {
    let now = 0;
    const { gateway, reads } = counting({ 'Contact Request': '## Who' });
    const source = new TemplateSource(gateway, { catalog: shippedTemplates, now: () => now });
    await source.templates(defaultConfig, scope);
    await source.templates(defaultConfig, scope);
    expect(reads).toEqual(['tree .gitlab/issue_templates', 'file .gitlab/issue_templates/Contact Request.md']);
    now = TEMPLATE_CACHE_MS - 1;
    await source.templates(defaultConfig, scope);
    expect(reads).toHaveLength(2);
    now = TEMPLATE_CACHE_MS;
    await source.templates(defaultConfig, scope);
    expect(reads).toHaveLength(4);
    source.forget(scope.id);
    await source.templates(defaultConfig, scope);
    expect(reads).toHaveLength(6);
  });

  it('warns once per read for each template the project lacks, naming the file and the fallback', async () => {
    const warnings: string[] = [];
    const { gateway } = counting({ 'Contact Request': '## Who' });
    const source = new TemplateSource(gateway, { catalog: shippedTemplates, warn: (line) => warnings.push(line) });
    await source.templates(defaultConfig, scope);
    await source.templates(defaultConfig, scope);
    expect(warnings).toEqual([
      `warning: projects.internal-requests (g/internal-requests) has no .gitlab/issue_templates/Name Squatting Request.md: "Name Squatting Request" is checked against the bot's shipped copy (\`npx support-bot templates sync\` proposes it)`,
    ]);
  });

  it('a failed read is not cached', async () => {
    let fail = true;
    const gateway = {
      listFiles: async () => {
        if (fail) throw new Error('503');
        return [];
      },
      getFile: async () => null,
    };
    const source = new TemplateSource(gateway, { catalog: shippedTemplates });
    await expect(source.templates(defaultConfig, scope)).rejects.toThrow('503');
    fail = false;
    await expect(source.templates(defaultConfig, scope)).resolves.toHaveLength(2);
  });
});
