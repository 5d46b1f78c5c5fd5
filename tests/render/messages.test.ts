import { describe, expect, it } from 'vitest';
import { CORE_MESSAGES, messageRegistry } from '../../src/render/messages.js';
import { checkMessages, loadRenderer, readMessages } from '../../src/render/renderer.js';
import { allRules } from '../../src/rules/index.js';
import { issueRule } from '../../src/rules/types.js';

const registry = messageRegistry(allRules);

describe('message templates checked at load time', () => {
  it('the registry is each rule’s own messages plus the core’s, every rule template with a sample per branch', () => {
    const fromRules = allRules.flatMap((rule) => Object.keys(rule.messages ?? {}));
    expect(Object.keys(registry).sort()).toEqual([...fromRules, ...Object.keys(CORE_MESSAGES)].sort());
    for (const rule of allRules)
      for (const [name, samples] of Object.entries(rule.messages ?? {})) {
        expect(registry[name]?.rule).toBe(rule.key);
        expect(samples.length, name).toBeGreaterThan(0);
      }
  });

  it('a template name two rules declare is refused', () => {
    const twin = issueRule({ ...allRules.find((r) => r.key === 'request-form-redirect')!, key: 'twin' } as never);
    expect(() => messageRegistry([...allRules, twin])).toThrow('message template "request-form-redirect" is declared by rule twin and by request-form-redirect');
  });

  it('accepts the shipped templates and renders each with every sample of its rule', () => {
    const render = loadRenderer('config/messages', registry);
    for (const [name, { samples }] of Object.entries(registry)) for (const sample of samples) expect(render.render(name, sample).length).toBeGreaterThan(10);
  });

  it('a template that fails on only one branch’s sample is reported', () => {
    // `release.to` exists only in the "eligible, not released yet" sample.
    const templates = { ...readMessages('config/messages'), 'dormant-report': '{{#if release}}{{release.to}}{{/if}}{{released.to}}' };
    expect(checkMessages(templates, registry)).toEqual([expect.stringMatching(/^dormant-report\.hbs: .*with the data rule dormant-namespace passes/)]);
  });

  it('reports every problem at once, naming each file', () => {
    const templates = { ...readMessages('config/messages'), 'sla-answered': '{{#if}}', 'template-none': '{{shout required}}' };
    delete (templates as Record<string, string>)['sensitive-data'];
    const problems = checkMessages(templates, registry);
    expect(problems).toEqual([
      'sensitive-data.hbs is missing (rule sensitive-data renders it)',
      expect.stringMatching(/^sla-answered\.hbs: /),
      expect.stringMatching(/^template-none\.hbs line 1: unknown helper "shout"/),
    ]);
  });
});
