import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config/load.js';
import { projectKey } from '../../src/config/fields.js';
import { configSection } from '../../src/config/section.js';
import { JOBS } from '../../src/jobs/index.js';
import { allRules } from '../../src/rules/index.js';
import { issueRule } from '../../src/rules/types.js';
import { configProblems, stackPerTest } from '../helpers/perTest.js';

// ARCHITECTURE.md "Adding a rule": a rule brings its own config section, templates with
// samples, labels and project keys; the config schema, the config loader's checks, the
// message registry and the switches pick it up from the rules list. This rule is
// injected (`[...allRules, throwawayReminder]`) with no other source file changed.

const throwawayReminderConfig = configSection(
  'throwawayReminder',
  z.strictObject({
    /** Key of the project whose waiting issues get the reminder. */
    project: projectKey.default('internal-requests'),
    days: z.number().int().min(1).default(7),
  }),
  { projectKeys: ['project'] },
);

const throwawayReminder = issueRule({
  key: 'throwaway-reminder',
  description: 'Reminds the author of an issue waiting on them',
  config: throwawayReminderConfig,
  messages: { 'throwaway-reminder': [{ author: 'dana', days: 7 }] },
  runsOn: { events: {}, jobs: ['sweep'], projects: (project, config) => project.key === throwawayReminderConfig.of(config).project },
  needs: ['notes'],
  labels: (config) => [{ label: config.labels.needsInfo, from: 'labels.needsInfo' }],
  applies: (subject, ctx) => subject.issue.state === 'opened' && subject.issue.labels.includes(ctx.config.labels.needsInfo),
  plan(subject, ctx) {
    const { days } = throwawayReminderConfig.of(ctx.config);
    const body = ctx.render.render('throwaway-reminder', { author: subject.issue.author.username, days });
    return [{ action: { type: 'upsertNote', key: 'throwaway-reminder', body }, reason: `waiting on the author (${ctx.facts.notes.length} comments)` }];
  },
});

const rules = [...allRules, throwawayReminder];
let dir: string;

/** A copy of the shipped config and messages with the rule's template added, plus `extra` YAML. */
function writeConfig(extra = '', template: string | null = '@{{author}}, this issue waits on you; after {{days}} days it is closed.\n'): string {
  const messages = join(dir, `messages-${Math.random().toString(36).slice(2)}`);
  cpSync('config/messages', messages, { recursive: true });
  if (template !== null) writeFileSync(join(messages, 'throwaway-reminder.hbs'), template);
  const text = readFileSync('config/support-bot.yml', 'utf8').replace('\nbot:\n', `\nbot:\n  messagesDir: ${messages}\n`) + extra;
  const file = join(dir, `support-bot-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  return file;
}

const problems = (file: string) => configProblems(() => loadConfig(file, rules));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'add-rule-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a rule added as one module', () => {
  it('its config section is part of the schema, with its defaults and a switch', () => {
    const { config } = loadConfig(writeConfig('throwawayReminder:\n  days: 3\n'), rules);
    expect(throwawayReminderConfig.of(config)).toEqual({ project: 'internal-requests', days: 3 });
    expect(config.rules['throwaway-reminder']).toEqual({ enabled: true });
    // Without the rule, its key is unknown.
    expect(() => loadConfig(writeConfig('throwawayReminder:\n  days: 3\n'))).toThrow('throwawayReminder: unknown key');
  });

  it('its section is validated and its project key cross-checked, each problem naming its key', () => {
    expect(problems(writeConfig('throwawayReminder:\n  days: 0\n  project: nowhere\n'))).toEqual([expect.stringMatching(/^throwawayReminder\.days: /)]);
    expect(problems(writeConfig('throwawayReminder:\n  project: nowhere\n'))).toEqual([
      'throwawayReminder.project: unknown project "nowhere" (known: support-team-meta, internal-requests, feedback, handbook)',
    ]);
  });

  it('its template is checked at load: present, and rendering with its samples', () => {
    expect(problems(writeConfig('', null))).toEqual([expect.stringContaining('throwaway-reminder.hbs is missing (rule throwaway-reminder renders it)')]);
    expect(problems(writeConfig('', '{{author}} {{weeks}}'))).toEqual([expect.stringMatching(/throwaway-reminder\.hbs: .*"weeks".*with the data rule throwaway-reminder passes/)]);
  });

  it('rendering a name it does not declare fails typecheck', () => {
    issueRule({
      key: 'typo',
      description: 'compile-time check only',
      messages: { 'throwaway-reminder': [{}] },
      runsOn: { events: {}, jobs: [] },
      applies: () => false,
      // @ts-expect-error "throwaway-reminde" is not one of this rule's messages
      plan: (_subject, ctx) => [{ action: { type: 'upsertNote', key: 'k', body: ctx.render.render('throwaway-reminde', {}) }, reason: 'r' }],
    });
  });

  describe('over the sandbox', () => {
    const start = stackPerTest();
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;

    it('loads its fact, plans and writes once; a second sweep writes nothing', async () => {
      const loaded = loadConfig(writeConfig('throwawayReminder:\n  days: 5\n'), rules);
      const stack = await start({ rules: [throwawayReminder], hooks: false, loaded });
      const project = stack.sandbox.store.resolveProject('gitlab-com/support/internal-requests')!;
      const other = stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
      const author = stack.sandbox.store.findUserByUsername('dana')!;
      for (const p of [project, other]) stack.sandbox.store.createIssue(p.id, { title: 'Waiting', description: 'd', authorId: author.id, labels: ['triage::needs-info'] });
      stack.sandbox.store.createIssue(project.id, { title: 'Not waiting', description: 'd', authorId: author.id });

      const first = await JOBS.sweep(stack.runtime, { out: sink });
      expect(first.summary).toMatch(/1 changed, 1 writes/);
      const notes = stack.sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/projects/${project.id}/issues/1/notes`));
      expect(notes.length).toBeGreaterThan(0);
      const bodies = stack.sandbox.store.listNotes(stack.sandbox.store.getIssue(project.id, 1)!).map((n) => n.body);
      expect(bodies.some((b) => b.includes('@dana, this issue waits on you; after 5 days'))).toBe(true);

      const second = await JOBS.sweep(stack.runtime, { out: sink });
      expect(second.summary).toMatch(/0 changed, 0 writes/);
    });
  });
});
