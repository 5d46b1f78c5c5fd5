import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_MESSAGES } from '../../src/render/messages.js';
import { checkMessages, loadRenderer, readMessages } from '../../src/render/renderer.js';

describe('message templates checked at load time', () => {
  it('lists every template a rule renders (so load-time checks cover them all)', () => {
    const rendered = new Set<string>();
    const files = [...readdirSync('src/rules').map((f) => join('src/rules', f)), 'src/swir/render.ts'];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/render\.render\(\s*'([a-z-]+)'/g)) rendered.add(m[1]!);
      // Names passed through a typed variable: `template: 'sla-at-risk' | 'sla-breached'`.
      for (const m of source.matchAll(/template: ((?:'[a-z-]+'(?: \| )?)+)/g)) for (const n of m[1]!.matchAll(/'([a-z-]+)'/g)) rendered.add(n[1]!);
    }
    expect(rendered.size).toBeGreaterThan(5);
    for (const name of rendered) expect(Object.keys(RULE_MESSAGES), name).toContain(name);
  });

  it('accepts the shipped templates and renders each with its rule data', () => {
    const render = loadRenderer('config/messages');
    for (const [name, { sample }] of Object.entries(RULE_MESSAGES)) if (sample) expect(render.render(name, sample).length).toBeGreaterThan(10);
  });

  it('reports every problem at once, naming each file', () => {
    const templates = { ...readMessages('config/messages'), 'sla-answered': '{{#if}}', 'template-none': '{{shout required}}' };
    delete (templates as Record<string, string>)['sensitive-data'];
    const problems = checkMessages(templates);
    expect(problems).toEqual([
      'sensitive-data.hbs is missing (rule sensitive-data renders it)',
      expect.stringMatching(/^sla-answered\.hbs: /),
      expect.stringMatching(/^template-none\.hbs line 1: unknown helper "shout"/),
    ]);
  });
});
