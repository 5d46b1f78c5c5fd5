import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { markerKey } from '../../src/engine/markers.js';
import { sensitiveData } from '../../src/rules/sensitiveData.js';
import { defaultConfig } from '../helpers/builders.js';
import { expectNoWritesOnReplayAndSweep, sandboxWrites } from '../helpers/replay.js';
import { fake, pemBlock } from './fakeSecrets.js';

// Public-tracker protection end to end: a secret posted in the sandbox's public
// project reaches the bot by webhook; the bot hides the issue, redacts what it can,
// and says so, while the secret stays out of every note, planned reason and log line.

const PROJECT = 'support-team-meta';
const LABEL = defaultConfig.labels.sensitiveData;
let stack: Stack;
let demo: DemoContext;
let logLines: string[];
/** Every plan the webhook server's bot made, as the dry-run report would print it. */
let reasons: string[];

beforeEach(async () => {
  logLines = [];
  reasons = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  stack = await startStack({
    rules: [sensitiveData],
    log: pino({ level: 'trace' }, sink),
    onProcessed: (_event, outcome) => reasons.push(JSON.stringify(outcome)),
  });
  demo = createDemoContext(stack, 'out', () => {});
});
afterEach(async () => {
  await stack.close();
});

const issue = (iid: number) => {
  const store = stack.sandbox.store;
  const found = store.getIssue(store.resolveProject(demo.projectPath(PROJECT))!.id, iid)!;
  const notes = store.listNotes(found);
  return { found, botNotes: notes.filter((n) => markerKey(n.body) === 'sensitive-data'), notes };
};
/** Replays every delivery and sweeps; the replay reports join what the secret must not appear in. */
async function replayAndSweep(): Promise<void> {
  for (const report of await expectNoWritesOnReplayAndSweep(stack)) reasons.push(JSON.stringify(report));
}

/** The secret's value must not be in anything the bot wrote or said. */
function expectNeverRepeated(iid: number, secret: string): void {
  for (const note of issue(iid).botNotes) expect(note.body).not.toContain(secret);
  for (const line of logLines) expect(line).not.toContain(secret);
  for (const line of reasons) expect(line).not.toContain(secret);
}

describe('sensitive-data through webhooks', () => {
  it('a glpat- token in a fenced code block: confidential, redacted byte for byte, labelled, one note; then quiet', async () => {
    const description = `## Problem\r\n\r\nThe API says 401:\r\n\r\n\`\`\`shell\r\ncurl --header "PRIVATE-TOKEN: ${fake.glpat}" https://gitlab.com/api/v4/user\r\n\`\`\`\r\n\r\nAny idea?  \r\n`;
    const iid = await demo.openIssue('sam-sales', PROJECT, { title: 'API returns 401', description });
    await demo.settle();
    const { found, botNotes } = issue(iid);
    expect(found.confidential).toBe(true);
    expect(found.description).toBe(description.replace(fake.glpat, '[REDACTED]'));
    expect(found.labels).toContain(LABEL);
    expect(botNotes).toHaveLength(1);
    expect(botNotes[0]!.body).toMatch(/revoke/i);
    expect(logLines.length).toBeGreaterThan(0);
    expectNeverRepeated(iid, fake.glpat);
    await replayAndSweep();
    expectNeverRepeated(iid, fake.glpat);
    expect(issue(iid).botNotes).toHaveLength(1);
  });

  it('a private key block: the whole block becomes [REDACTED]', async () => {
    const iid = await demo.openIssue('sam-sales', PROJECT, { title: 'SSH fails', description: `Key:\n\n${pemBlock('OPENSSH PRIVATE KEY')}\n\nThanks` });
    await demo.settle();
    expect(issue(iid).found.description).toBe('Key:\n\n[REDACTED]\n\nThanks');
    for (const line of fake.privateKeyBody.split('\n')) expectNeverRepeated(iid, line);
  });

  it('an ordinary issue is left alone', async () => {
    const iid = await demo.openIssue('alice', PROJECT, {
      title: 'Rotate the on-call schedule',
      description: 'Proposal: rotate weekly. Use a glpat- token with api scope for the script.',
    });
    const before = sandboxWrites(stack);
    await demo.settle();
    expect(sandboxWrites(stack)).toBe(before);
    expect(issue(iid).found.confidential).toBe(false);
  });
});
