import { vi } from 'vitest';
import { labelsSyncCommand } from '../../src/commands/labels.js';
import { schedulesSyncCommand } from '../../src/commands/schedules.js';
import { templatesSyncCommand } from '../../src/commands/templates.js';
import type { SlackChannelConfig } from '../../src/config/schema.js';
import { JOBS, type JobResult } from '../../src/jobs/index.js';
import { createDemoContext } from '../../src/demo/context.js';
import { approvalArtifact } from '../../src/rules/approvalArtifact.js';
import { firstResponseSla } from '../../src/rules/firstResponseSla.js';
import { sensitiveDataMergeRequests } from '../../src/rules/sensitiveDataMergeRequests.js';
import { activeNowLimit } from '../../src/rules/activeNowLimit.js';
import { announceIssueOpened } from '../../src/rules/announceIssueOpened.js';
import { dormantNamespace } from '../../src/rules/dormantNamespace.js';
import { sensitiveData } from '../../src/rules/sensitiveData.js';
import { templateCheck } from '../../src/rules/templateCheck.js';
import { SANDBOX_TOKENS, type SandboxStore } from '../../src/sandbox/index.js';
import { defaultConfig } from '../helpers/builders.js';
import { STACK_WEBHOOK_SECRET } from '../../src/demo/stack.js';
import { issueHook } from '../../src/sandbox/webhooks/payloads.js';
import { CRASH_CLOCK, type CrashFlow, type CrashWorld, type WorldState } from '../helpers/crashMatrix.js';
import { fake } from '../secrets/fakeSecrets.js';
import { filledTemplate } from '../templates/descriptions.js';
import { openRequest, setBotAdmin } from '../dormant/helpers.js';

// The flows of the crash matrix: every flow in which the bot makes more than one write.
// Each seeds GitLab straight through the store (no webhook), then runs as the bot would.

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const quiet = { out: sink };
const MINUTE_MS = 60_000;

const project = (store: SandboxStore, path: string) => store.resolveProject(path)!;
const user = (store: SandboxStore, username: string) => store.findUserByUsername(username)!;
const minutesAgo = (minutes: number) => new Date(CRASH_CLOCK.getTime() - minutes * MINUTE_MS);

/** A job's run; one that failed is no quiet run (a crashed run's failure is its crash, and is not looked at). */
async function job(run: Promise<JobResult>): Promise<void> {
  const result = await run;
  if (result.failed) throw new Error(`the run failed: ${result.summary}`);
}

const sweep: CrashFlow['run'] = (_world, runtime) => job(JOBS.sweep(runtime, quiet));

/**
 * Killed after the protecting PUT and before the notice, the next run no longer sees the
 * description's secret: GitLab's REST API keeps no old description (its history is GraphQL's
 * `SystemNoteMetadata.descriptionVersion`, not read yet: src/secrets/findings.ts), so the notice
 * names it "what looks like a secret". Everything else, the notice itself included, is as uncrashed.
 */
function descriptionKindsAside(state: WorldState): WorldState {
  const generic = (text: string) =>
    text.replace(/^- .* in the description: /m, '- <kinds> in the description: ').replace(/\["description",(\d+),\[[^\]]*\]\]/, '["description",$1,[<kinds>]]');
  const notes = (notes: string[]) => notes.map(generic);
  return { ...state, issues: state.issues.map((i) => ({ ...i, notes: notes(i.notes) })), mergeRequests: state.mergeRequests.map((m) => ({ ...m, notes: notes(m.notes) })) };
}

export const sensitiveIssue: CrashFlow = {
  name: 'sensitive-data on an issue (sweep)',
  rules: [sensitiveData],
  equivalent: descriptionKindsAside,
  seed({ stack }) {
    const { store } = stack.sandbox;
    const issue = store.createIssue(project(store, 'gitlab-com/support/support-team-meta').id, {
      title: `Runner ${fake.glrt} fails`,
      description: `My token:\n\n    ${fake.glpat}\n\nThanks`,
      authorId: user(store, 'sam-sales').id,
      createdAt: minutesAgo(30),
    });
    store.createNote(issue, { body: `also tried ${fake.gldt}`, authorId: user(store, 'sam-sales').id, createdAt: minutesAgo(20) });
  },
  run: sweep,
};

const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;

export const triage: CrashFlow = {
  name: 'triage: template label, needs-info and the note asking for it',
  rules: [templateCheck],
  seed({ stack }) {
    const { store } = stack.sandbox;
    store.createIssue(project(store, 'gitlab-com/support/internal-requests').id, {
      title: 'Please contact a user',
      description: filledTemplate(contact, ['Message']),
      authorId: user(store, 'sam-sales').id,
      createdAt: minutesAgo(30),
    });
  },
  run: sweep,
};

const FOCUS = 'Active Now::Focus';

export const activeNow: CrashFlow = {
  name: 'Active Now: a seventh issue in a full column (revert)',
  rules: [activeNowLimit],
  loaded: (base) => ({ ...base, config: { ...base.config, activeNow: { ...base.config.activeNow, mode: 'revert' } } }),
  seed({ stack }) {
    const { store } = stack.sandbox;
    const meta = project(store, 'gitlab-com/support/support-team-meta').id;
    for (let i = 1; i <= 7; i += 1) {
      const at = minutesAgo(100 - i);
      const previous = store.clock;
      store.clock = () => at;
      store.createIssue(meta, { title: `Initiative ${i}`, authorId: user(store, 'alice').id, labels: [FOCUS], createdAt: at });
      store.clock = previous;
    }
  },
  run: sweep,
};

const announce: SlackChannelConfig = { name: 'support-new', webhookUrlEnv: 'SLACK_SUPPORT_NEW', events: ['issue.opened'], format: 'message' };
const announceFeedback: SlackChannelConfig = { ...announce, name: 'support-feedback', webhookUrlEnv: 'SLACK_SUPPORT_FEEDBACK' };

export const slackNotify: CrashFlow = {
  name: 'Slack: a new issue announced in two channels (award, then send)',
  rules: [announceIssueOpened],
  chatAtMostOnce: true,
  loaded: (base) => ({ ...base, config: { ...base.config, notifications: { slack: [announce, announceFeedback], catchUpHours: 24 } } }),
  chatEnv: (slack) => ({ SLACK_SUPPORT_NEW: slack.url('support-new'), SLACK_SUPPORT_FEEDBACK: slack.url('support-feedback') }),
  seed({ stack }) {
    const { store } = stack.sandbox;
    store.createIssue(project(store, 'gitlab-com/support/feedback').id, { title: 'The docs page is gone', authorId: user(store, 'dana').id, createdAt: minutesAgo(30) });
  },
  run: sweep,
};

export const dormantRelease: CrashFlow = {
  name: 'dormant release (intent, rename, labels, report, record)',
  rules: [dormantNamespace],
  loaded: (base) => ({ ...base, config: { ...base.config, dormant: { ...base.config.dormant, allowRename: true } } }),
  seed({ stack }) {
    setBotAdmin(stack.sandbox, true);
    openRequest(stack.sandbox, 'coolname');
  },
  async run(_world, runtime) {
    await job(JOBS.dormant(runtime, { ...quiet, applyRename: true }));
  },
};

export const sensitiveMergeRequest: CrashFlow = {
  name: 'sensitive-data on a merge request (sweep)',
  rules: [sensitiveDataMergeRequests],
  equivalent: descriptionKindsAside,
  async seed({ stack }) {
    const demo = createDemoContext(stack, 'out', () => {});
    await demo.pushFiles('bruno', 'support-team-meta', 'ci-token', { 'docs/ci.md': '# CI\n' }, 'Add CI page');
    const iid = await demo.openMergeRequest('bruno', 'support-team-meta', {
      sourceBranch: 'ci-token',
      title: `CI with ${fake.glpat}`,
      description: `Set\n\n    export TOKEN=${fake.gldt}\n`,
    });
    await demo.commentOnMergeRequest('bruno', 'support-team-meta', iid, `also ${fake.glptt}`);
  },
  run: sweep,
};

export const approval: CrashFlow = {
  name: 'approval artifact (status, label, note)',
  rules: [approvalArtifact],
  async seed({ stack }) {
    const demo = createDemoContext(stack, 'out', () => {});
    await demo.pushFiles('bruno', 'handbook', 'handover', { 'content/handbook/support/workflows/handover.md': '# Handover\n' }, 'Document the handover');
    await demo.openMergeRequest('bruno', 'handbook', { sourceBranch: 'handover', title: 'Document the handover' });
  },
  run: sweep,
};

export const slaBreach: CrashFlow = {
  name: 'first-response SLA: breached label and the note to the assignee',
  rules: [firstResponseSla],
  // Wednesday noon UTC: a Contact Request opened Monday 09:00 is past its 12 business hours.
  now: new Date('2026-11-18T12:00:00Z'),
  seed({ stack }) {
    const { store } = stack.sandbox;
    for (const [title, createdAt] of [
      ['Contact a user about their pipeline minutes', '2026-11-16T09:00:00Z'],
      ['Contact a user about a blocked account', '2026-11-17T09:00:00Z'],
    ] as const) {
      store.createIssue(project(store, 'gitlab-com/support/internal-requests').id, {
        title,
        description: 'd',
        authorId: user(store, 'sam-sales').id,
        labels: ['template::contact-request'],
        assigneeIds: [user(store, 'chen').id],
        createdAt: new Date(createdAt),
      });
    }
  },
  async run(_world, runtime) {
    await job(JOBS.sla(runtime, quiet));
  },
};

// Friday 2026-11-20 publishes the week so far, Monday 2026-11-23 finalises it.
const FRIDAY = new Date('2026-11-20T12:00:00Z');
const MONDAY = new Date('2026-11-23T12:00:00Z');

export const weeklyReview: CrashFlow = {
  name: 'weekly review: Friday creates it, Monday finalises it',
  rules: [],
  now: FRIDAY,
  seed({ stack }) {
    const { store } = stack.sandbox;
    store.createIssue(project(store, 'gitlab-com/support/internal-requests').id, {
      title: 'Contact a user',
      description: 'd',
      authorId: user(store, 'sam-sales').id,
      labels: ['template::contact-request'],
      createdAt: new Date('2026-11-17T09:00:00Z'),
    });
  },
  async run(world) {
    await job(JOBS.swir(world.freshRuntime(FRIDAY), quiet));
    await job(JOBS.swir(world.freshRuntime(MONDAY), quiet));
  },
  async rerun(world) {
    await job(JOBS.swir(world.freshRuntime(MONDAY), quiet));
  },
};

/** GitLab's `open` delivery for the flow's newest issue, to the stack's `serve` (its queue drained). */
async function deliverOpen({ stack }: CrashWorld): Promise<void> {
  const { store } = stack.sandbox;
  const issue = store.issues.at(-1)!;
  const res = await fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gitlab-token': STACK_WEBHOOK_SECRET, 'x-gitlab-event': 'Issue Hook' },
    body: JSON.stringify(issueHook(store, issue, store.getUser(issue.authorId)!, 'open', {})),
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
  await stack.webhook.queue.drain();
}

export const sensitiveIssueWebhook: CrashFlow = {
  ...sensitiveIssue,
  name: 'sensitive-data on an issue: serve killed, the sweep finishes',
  seed({ stack }) {
    const { store } = stack.sandbox;
    store.createIssue(project(store, 'gitlab-com/support/support-team-meta').id, {
      title: `Runner ${fake.glrt} fails`,
      description: `My token:\n\n    ${fake.glpat}\n\nThanks`,
      authorId: user(store, 'sam-sales').id,
    });
  },
  run: (world) => deliverOpen(world),
  rerun: sweep,
};

export const slackNotifyWebhook: CrashFlow = {
  ...slackNotify,
  name: 'Slack: serve killed while announcing, the sweep catches up',
  run: (world) => deliverOpen(world),
  rerun: sweep,
};

// The sync commands. In `npm test` each runs in-process, the environment a CI job gives it
// stubbed, and the kill is GitLab refusing everything from write N on (the command stops at
// once: a refused token stops every sync). The bench (`CRASH_MATRIX_PROCESS=1`) runs each as a
// real process, `node dist/cli.js …`, killed with SIGKILL (about 2 s per run: minutes per flow).

async function command(world: CrashWorld, args: string[], inProcess: () => Promise<number>, env: Record<string, string> = {}): Promise<void> {
  const code = process.env['CRASH_MATRIX_PROCESS'] ? await world.cli(args, env) : await stubbed(world, inProcess, env);
  if (code !== 0) throw new Error(`support-bot ${args.join(' ')} exited ${code}`);
}

/** Runs a command in-process, in the environment a CI job gives it, its output dropped. */
async function stubbed(world: CrashWorld, inProcess: () => Promise<number>, env: Record<string, string>): Promise<number> {
  const vars = { GITLAB_URL: world.stack.sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, SUPPORT_BOT_CONFIG: 'config/support-bot.yml', LOG_LEVEL: 'silent', ...env };
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(() => true), vi.spyOn(process.stderr, 'write').mockImplementation(() => true)];
  try {
    return await inProcess();
  } finally {
    for (const spy of spies) spy.mockRestore();
    vi.unstubAllEnvs();
  }
}

export const labelsSync: CrashFlow = {
  name: 'labels sync',
  rules: [],
  run: (world) => command(world, ['labels', 'sync'], () => labelsSyncCommand({ dryRun: false })),
};

export const templatesSync: CrashFlow = {
  name: 'templates sync: branch, commit, merge request',
  rules: [],
  // No project has its issue templates yet: the sync proposes them.
  stack: { projectTemplates: false },
  run: (world) => command(world, ['templates', 'sync'], () => templatesSyncCommand({ dryRun: false })),
};

const SCHEDULED = 'gitlab-com/support/support-team-meta';

export const schedulesSync: CrashFlow = {
  name: 'schedules sync: create inactive, variable, activate',
  rules: [],
  seed({ stack }) {
    project(stack.sandbox.store, SCHEDULED).settings.pipelineVariablesMinimumOverrideRole = 'maintainer';
  },
  run: (world) => command(world, ['schedules', 'sync'], () => schedulesSyncCommand({ dryRun: false }), { CI_PROJECT_ID: SCHEDULED }),
};

const only = (flows: CrashFlow[]) => (process.env['CRASH_FLOW'] ? flows.filter((f) => f.name.startsWith(process.env['CRASH_FLOW']!)) : flows);

/** The rules' flows, by sweep and by `serve` (`CRASH_FLOW=<name prefix>`: one of them). */
export const RULE_FLOWS: readonly CrashFlow[] = only([
  sensitiveIssue,
  sensitiveMergeRequest,
  sensitiveIssueWebhook,
  triage,
  activeNow,
  approval,
  slaBreach,
  weeklyReview,
  slackNotify,
  slackNotifyWebhook,
]);

/** The commands' flows: the dormant release and the sync commands. */
export const COMMAND_FLOWS: readonly CrashFlow[] = only([dormantRelease, labelsSync, templatesSync, schedulesSync]);
