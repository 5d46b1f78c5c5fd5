import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { NOTIFY_EVENTS } from '../../src/config/schema.js';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { JOBS } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import { startSlackStandIn, type SlackStandIn } from '../../src/sandbox/index.js';

// The house rule: nothing from a confidential issue ever appears where more people can see it.
// Confidential issues carry unique markers in their title and description: one confidential
// from the start on the 'Active Now' board, one quoted by the bot while public and made
// confidential afterwards, one announced to Slack. A public issue of a private project
// (internal-requests) carries its own marker: the public project's readers may not see it.
// Every rule, every chat event and every job runs; then every text a wider audience reads is
// searched: the title, description and notes of every issue that is not confidential (the bot's
// notes, the weekly review it publishes), every Slack message, every info log line and every
// line a job printed.

const FOCUS = 'Active Now::Focus';
const CONFIDENTIAL_FROM_THE_START = {
  title: 'Zephyrtitle7731',
  description: 'Quasarbody5512',
  announcedTitle: 'Cometannounce4410',
  announcedDescription: 'Meteorannounce8826',
};
const CONFIDENTIAL_LATER = { title: 'Nebulalater9034', description: 'Pulsarlater2201' };
const PRIVATE_PROJECT_MARKER = 'Auroraprivate6620';

let slack: SlackStandIn;
let stack: Stack;
let demo: DemoContext;
const logLines: string[] = [];
const printed: string[] = [];

beforeAll(async () => {
  slack = await startSlackStandIn();
  const base = loadConfig('config/support-bot.yml');
  const channels = NOTIFY_EVENTS.map((event) => ({
    name: event.replace('.', '-'),
    webhookUrlEnv: `SLACK_${event.replace(/[.-]/g, '_').toUpperCase()}`,
    events: [event],
    format: 'message' as const,
  }));
  stack = await startStack({
    loaded: { ...base, config: { ...base.config, notifications: { slack: channels, catchUpHours: 24 } } },
    log: createLogger('info', { write: (line: string) => logLines.push(line) } as never),
    chatEnv: Object.fromEntries(channels.map((c) => [c.webhookUrlEnv, slack.url(c.name)])),
    chatIntervalMs: 0,
  });
  demo = createDemoContext(stack, 'out', () => {});
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await slack?.close();
});

/** Every text of every issue a wider audience than a confidential issue's reads. */
function publicTexts(): string[] {
  const store = stack.sandbox.store;
  const texts: string[] = [];
  for (const issue of store.issues) {
    if (issue.confidential) continue;
    const project = store.projects.find((p) => p.id === issue.projectId)!;
    texts.push(`${project.pathWithNamespace}#${issue.iid} ${issue.title}\n${issue.description ?? ''}`);
    for (const note of store.listNotes(issue)) if (!note.internal) texts.push(note.body);
  }
  return texts;
}

describe('text from a confidential issue', () => {
  it('appears in no public issue, note, weekly review, Slack message, info log or job output', async () => {
    const meta = 'support-team-meta';
    // On the board from the start, confidential.
    await demo.openIssue('alice', meta, {
      title: `Escalation ${CONFIDENTIAL_FROM_THE_START.title}`,
      description: `Customer details ${CONFIDENTIAL_FROM_THE_START.description}`,
      labels: [FOCUS],
      confidential: true,
    });
    // On the board while public: the bot quotes it; then made confidential.
    const later = await demo.openIssue('alice', meta, { title: `Initiative ${CONFIDENTIAL_LATER.title}`, description: `Plan ${CONFIDENTIAL_LATER.description}`, labels: [FOCUS] });
    for (let i = 1; i <= 4; i += 1) await demo.openIssue('alice', meta, { title: `Initiative ${i}`, labels: [FOCUS] });
    const seventh = await demo.openIssue('bruno', meta, { title: 'One more initiative' });
    await demo.settle();
    await demo.editIssue('bruno', meta, seventh, { add_labels: [FOCUS] });
    await demo.settle();
    await demo.editIssue('alice', meta, later, { confidential: true, title: `Initiative ${CONFIDENTIAL_LATER.title} (now private)` });
    await demo.settle();
    // Announced to Slack when opened, confidential.
    await demo.openIssue('dana', 'feedback', {
      title: `Outage ${CONFIDENTIAL_FROM_THE_START.announcedTitle}`,
      description: `Internal ${CONFIDENTIAL_FROM_THE_START.announcedDescription}`,
      confidential: true,
    });
    await demo.openIssue('dana', 'internal-requests', {
      title: `Request ${CONFIDENTIAL_FROM_THE_START.announcedTitle}`,
      description: CONFIDENTIAL_FROM_THE_START.announcedDescription,
      confidential: true,
    });
    // Public in a private project: its title is not for the public project's readers.
    await demo.openIssue('dana', 'internal-requests', { title: `Request ${PRIVATE_PROJECT_MARKER}`, description: PRIVATE_PROJECT_MARKER });
    await demo.settle();
    const out = { write: (chunk: string) => (printed.push(chunk), true) } as NodeJS.WritableStream;
    for (const job of ['sweep', 'sla', 'swir', 'dormant'] as const) {
      printed.push((await JOBS[job](stack.runtime, { out })).summary);
      await demo.settle();
    }

    // The bot did write where the markers could have gone: a note quoting the board, a review, Slack messages.
    const texts = publicTexts();
    expect(texts.filter((t) => t.includes('(confidential issue)')).length).toBeGreaterThanOrEqual(2);
    expect(texts.some((t) => /Support Week in Review \d{4}-W\d\d/.test(t))).toBe(true);
    expect(slack.messages.length).toBeGreaterThan(0);
    const visible = [...texts, ...slack.messages.map((m) => JSON.stringify(m.payload)), ...logLines, ...printed].join('\n');
    for (const marker of Object.values(CONFIDENTIAL_FROM_THE_START)) for (const line of visible.split('\n')) expect(line, marker).not.toContain(marker);
    // What was public when the bot wrote it is gone from every text it keeps in GitLab (a Slack message cannot be taken back).
    for (const marker of Object.values(CONFIDENTIAL_LATER)) for (const text of texts) expect(text, marker).not.toContain(marker);
    // The public project's texts (its issues, the weekly review) do not name the private project's issue either.
    const metaTexts = texts.filter((t) => !t.startsWith('gitlab-com/support/internal-requests#')).join('\n');
    expect(metaTexts).not.toContain(PRIVATE_PROJECT_MARKER);
  }, 120_000);
});
