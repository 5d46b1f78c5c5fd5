import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_KEYS } from '../../src/events/types.js';
import { allRules } from '../../src/rules/index.js';

const NOT_RULES = new Set(['index.ts', 'types.ts']);

describe('rule registry', () => {
  it('lists every rule file under src/rules/', async () => {
    const files = readdirSync('src/rules').filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));
    const listed = new Set(allRules);
    for (const file of files) {
      const module = (await import(/* @vite-ignore */ pathToFileURL(resolve('src/rules', file)).href)) as Record<string, unknown>;
      const exported = Object.values(module).filter((v) => typeof v === 'object' && v !== null && 'plan' in v);
      expect(exported.length, `${file} exports a rule`).toBeGreaterThan(0);
      for (const rule of exported) expect(listed.has(rule as never), `${file} is in allRules`).toBe(true);
    }
  });

  it('gives every rule a unique kebab-case key and only known event keys', () => {
    const keys = allRules.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const rule of allRules) {
      expect(rule.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const event of rule.events) expect(EVENT_KEYS).toContain(event);
    }
  });
});
