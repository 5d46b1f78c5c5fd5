import { describe, expect, it } from 'vitest';
import { readTemplateFile } from '../../src/templates/catalog.js';
import { FactsLoader, KeptFacts } from '../../src/engine/facts.js';
import type { GitLabGateway } from '../../src/gitlab/types.js';
import { TEMPLATE_CACHE_MS, resolveProjectTemplates } from '../../src/templates/projectTemplates.js';
import { shippedTemplates } from '../../src/templates/shipped.js';
import { buildSubject, defaultConfig } from '../helpers/builders.js';

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

describe('the issueTemplates fact', () => {
  const subject = buildSubject('internal-requests', {}, { id: 7, path: 'g/internal-requests', defaultBranch: 'main' });
  function counting(files: Record<string, string>) {
    const reads: string[] = [];
    const gateway = {
      listFiles: async (_id: number, folder: string) => (reads.push(`tree ${folder}`), Object.keys(files).map((name) => `${folder}/${name}.md`)),
      getFile: async (_id: number, path: string) => (reads.push(`file ${path}`), files[path.replace(/^.*\//, '').replace(/\.md$/, '')] ?? null),
    };
    return { gateway: gateway as unknown as GitLabGateway, reads };
  }
  /** One run (an event in `serve`): a new loader sharing the bot's kept facts. */
  const read = (gateway: GitLabGateway, kept: KeptFacts, warn?: (line: string) => void) =>
    new FactsLoader({ config: defaultConfig, gateway, kept, warn }).forSubject(subject).get('issueTemplates');

  it('is read once per run, kept five minutes across runs, and read again at once after a merge forgets it', async () => {
    let now = 0;
    const kept = new KeptFacts(() => now);
    const { gateway, reads } = counting({ 'Contact Request': '## Who' });
    await read(gateway, kept);
    await read(gateway, kept);
    expect(reads).toEqual(['tree .gitlab/issue_templates', 'file .gitlab/issue_templates/Contact Request.md']);
    now = TEMPLATE_CACHE_MS - 1;
    await read(gateway, kept);
    expect(reads).toHaveLength(2);
    now = TEMPLATE_CACHE_MS;
    await read(gateway, kept);
    expect(reads).toHaveLength(4);
    kept.forget('issueTemplates', String(subject.project.id));
    await read(gateway, kept);
    expect(reads).toHaveLength(6);
  });

  it('warns once per read for each template the project lacks, naming the file and the fallback', async () => {
    const warnings: string[] = [];
    const { gateway } = counting({ 'Contact Request': '## Who' });
    const kept = new KeptFacts();
    await read(gateway, kept, (line) => warnings.push(line));
    await read(gateway, kept, (line) => warnings.push(line));
    expect(warnings).toEqual([
      `warning: projects.internal-requests (g/internal-requests) has no .gitlab/issue_templates/Name Squatting Request.md: "Name Squatting Request" is checked against the bot's shipped copy (\`npx support-bot templates sync\` proposes it)`,
    ]);
  });

  it('a failed read is not kept', async () => {
    let fail = true;
    const gateway = {
      listFiles: async () => {
        if (fail) throw new Error('503');
        return [];
      },
      getFile: async () => null,
    } as unknown as GitLabGateway;
    const kept = new KeptFacts();
    await expect(read(gateway, kept)).rejects.toThrow('503');
    fail = false;
    await expect(read(gateway, kept)).resolves.toHaveLength(2);
  });
});
