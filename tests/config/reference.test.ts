import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configDocSources, configJsonSchema, configReferenceMarkdown } from '../../src/config/reference.js';

// docs/configuration.md and docs/support-bot.schema.json are written by `npm run build` (scripts/docs.mjs) from
// src/config/schema.ts and the rule files: build outputs, so they cannot fall out of date.

const sources = configDocSources('.');

describe('the generated configuration docs', () => {
  it('docs/configuration.md is the reference of the current config schema, with every key and its comment', () => {
    const markdown = configReferenceMarkdown(sources);
    expect(markdown).toContain('| `gitlab.concurrency` | integer (≥ 1, ≤ 64) | `4` | Requests in flight at once. |');
    expect(markdown).toMatch(/\| `templates\[\]\.project` \| string \| \*required\* \| Key of the project \(under `projects`\) the template belongs to\. \|/);
    expect(markdown).toMatch(/\| `projects\.<key>\.path` \|/);
  });

  it('the shipped config points editors at the schema, and passes it; a wrong key or type does not', () => {
    const text = readFileSync('config/support-bot.yml', 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../docs/support-bot.schema.json');
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(configJsonSchema());
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const config = parse(text) as Record<string, Record<string, unknown>>;
    expect(validate({ ...config, bogus: 1 })).toBe(false);
    expect(validate({ ...config, gitlab: { ...config.gitlab, concurrency: 'four' } })).toBe(false);
  });
});
