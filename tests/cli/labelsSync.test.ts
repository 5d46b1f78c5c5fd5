import { describe, expect, it, vi } from 'vitest';
import { labelsSyncCommand } from '../../src/commands/labels.js';
import { DEMO_PROJECTS } from '../../src/sandbox/index.js';
import { planLabels } from '../../src/labels/sync.js';
import { defaultConfig } from '../helpers/builders.js';
import { commandAgainstSandbox, shippedConfigWithBudget } from '../helpers/commandRun.js';

// `support-bot labels sync` against the run.sandbox, the bot a non-admin member: every label a
// feature uses, in the projects where it uses it; only what differs; the second run writes nothing.

const run = commandAgainstSandbox();
const writes = () => run.sandbox.requests.filter((r) => r.method !== 'GET');

describe('support-bot labels sync', () => {
  it('creates every used label with colour and description; a second run makes zero writes', async () => {
    expect(await labelsSyncCommand({ dryRun: false }), run.output).toBe(0);
    const { store } = run.sandbox;
    const requests = store.requireProject(DEMO_PROJECTS.internalRequests);
    expect(store.findLabel(requests.id, 'triage::ready')).toMatchObject({ color: '#5CB85C', description: expect.stringContaining('every required section') });
    expect(store.findLabel(requests.id, 'template::contact-request')!.description).toContain('"Contact Request"');
    // Where no feature uses a label, it is not created: no Active Now column in internal-requests, in the handbook only the merge-request rules (approvals, and secrets in public merge requests).
    expect(store.findLabel(requests.id, 'Active Now::Focus')).toBeUndefined();
    expect(
      store
        .projectLabels(store.requireProject(DEMO_PROJECTS.handbook).id)
        .map((l) => l.title)
        .sort(),
    ).toEqual(['approval::missing', 'approval::present', 'sensitive-data']);
    const first = writes().length;
    expect(first).toBeGreaterThan(30);
    // Labels the demo projects already have (SWIR) are updated, the others created.
    expect(new Set(writes().map((r) => `${r.method} ${r.path.replace(/^.*\/labels.*$/, 'labels')}`))).toEqual(new Set(['POST labels', 'PUT labels']));

    run.output = '';
    expect(await labelsSyncCommand({ dryRun: false })).toBe(0);
    expect(writes()).toHaveLength(first);
    expect(run.output).toContain(`${DEMO_PROJECTS.internalRequests}: labels up to date`);
    expect(run.output).toMatch(/labels: 4 projects, 0 write\(s\)/);
  });

  it('updates only the colour or description that differs, and leaves the rest', async () => {
    await labelsSyncCommand({ dryRun: false });
    const meta = run.sandbox.store.requireProject(DEMO_PROJECTS.supportTeamMeta);
    run.sandbox.store.findLabel(meta.id, 'sla::breached')!.color = '#000000';
    const before = writes().length;
    run.output = '';
    expect(await labelsSyncCommand({ dryRun: false })).toBe(0);
    expect(
      writes()
        .slice(before)
        .map((r) => `${r.method} ${decodeURIComponent(r.path.replace(/^.*\/labels\//, ''))}`),
    ).toEqual(['PUT sla::breached']);
    expect(run.output).toContain('  update label "sla::breached": color #D9534F (labels.slaBreached names it)');
  });

  it('--dry-run prints each change with its reason and writes nothing', async () => {
    expect(await labelsSyncCommand({ dryRun: true })).toBe(0);
    expect(run.output).toContain(`${DEMO_PROJECTS.handbook}: 3 label change(s) (dry run: not sent)`);
    expect(run.output).toContain(
      '  would create label "approval::present" #5CB85C "support-bot: the merge request carries a visible artifact of approval" (labels.approvalPresent names it)',
    );
    expect(writes()).toHaveLength(0);
  });
});

describe('labels sync goes through the executor port', () => {
  it('keeps to bot.maxWritesPerRun, says what it skipped, and the next run goes on from there', async () => {
    vi.stubEnv('SUPPORT_BOT_CONFIG', shippedConfigWithBudget(3));
    expect(await labelsSyncCommand({ dryRun: false }), run.output).toBe(0);
    expect(writes()).toHaveLength(3);
    expect(run.output).toMatch(/ {2}skipped \(over budget\): create label ".+" #[0-9A-F]{6} ".+" \(labels\.\w+ names it\)/);
    expect(run.output).toMatch(/labels: 4 projects, 3 write\(s\), \d+ over budget \(bot\.maxWritesPerRun: run it again\)/);
    expect(await labelsSyncCommand({ dryRun: false }), run.output).toBe(0);
    expect(writes()).toHaveLength(6);
  });

  it('a dry run lists each write with its reason, from the port it would go through', async () => {
    expect(await labelsSyncCommand({ dryRun: true })).toBe(0);
    expect(run.output).toMatch(/dry run: \d+ write\(s\) not sent\n/);
    expect(run.output).toMatch(
      /\n {2}createLabel project \d+ name="approval::present" color="#5CB85C" description="support-bot: the merge request carries a visible artifact of approval"\n {4}why: \[labels-sync\] labels\.approvalPresent names it\n/,
    );
  });
});

describe('planLabels', () => {
  const use = { label: 'triage::ready', from: 'labels.ready' };
  it('a group label that differs is left to a person; a colour differing in case only is the same', () => {
    const group = { name: 'triage::ready', color: '#000000', description: null, projectLabel: false };
    expect(planLabels(defaultConfig, [use], [group])).toEqual({
      changes: [],
      notes: ['label "triage::ready" is a group label: its colour or description differs, change it in the group'],
    });
    const same = { name: 'triage::ready', color: '#5cb85c', description: "support-bot: every required section of the issue's template is filled", projectLabel: true };
    expect(planLabels(defaultConfig, [use], [same])).toEqual({ changes: [], notes: [] });
  });
});
