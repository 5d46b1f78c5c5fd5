import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_KEYS } from '../../src/events/types.js';
import { allRules } from '../../src/rules/index.js';
import { FACTS } from '../../src/facts/index.js';
import { JOBS } from '../../src/jobs/index.js';
import { configuredLabels } from '../../src/commands/configuredLabels.js';
import { buildScope, defaultConfig } from '../helpers/builders.js';

const NOT_RULES = new Set(['index.ts', 'types.ts', 'actions.ts', 'projectActions.ts']);

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

  it('gives every rule a unique kebab-case key, only known event keys of its subject kind, and only jobs that exist', () => {
    const keys = allRules.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const rule of allRules) {
      expect(rule.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const event of Object.keys(rule.runsOn.events)) {
        expect(EVENT_KEYS).toContain(event);
        expect(event.startsWith(rule.subject === 'issue' ? 'issue.' : 'merge_request.') || event === `note.${rule.subject}` || event === `emoji.${rule.subject}`).toBe(true);
      }
      for (const job of rule.runsOn.jobs) expect(Object.keys(JOBS)).toContain(job);
    }
  });

  it('declares each needed or optional fact in the fact map', () => {
    for (const rule of allRules) {
      for (const fact of [...(rule.needs ?? []), ...(rule.optional ?? [])]) expect(Object.keys(FACTS)).toContain(fact);
    }
  });

  it('declares every configured label in some rule where it can apply (or the Week in Review), so config validate --remote checks it', () => {
    const config = { ...defaultConfig, sla: { ...defaultConfig.sla, answeredLabel: 'sla::answered' } };
    const { templatePrefix, ...named } = config.labels;
    const configured = [
      ...Object.values(named),
      config.sensitiveData.reviewedLabel,
      'sla::answered',
      ...config.activeNow.labels,
      ...config.templates.flatMap((t) => [`${templatePrefix}${t.slug}`, ...t.labels]),
    ];
    const checked = new Set(
      Object.keys(config.projects).flatMap((key) => configuredLabels(config, buildScope(key, { visibility: 'public' }, config), allRules).map((u) => u.label)),
    );
    expect(configured.filter((label) => !checked.has(label))).toEqual([]);
  });
});
