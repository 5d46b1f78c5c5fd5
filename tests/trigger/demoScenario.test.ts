import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run.js';
import { serverlessTrigger } from '../../src/demo/scenarios/trigger.js';

describe('demo scenario: webhooks delivered as pipeline triggers', () => {
  it('handles the issue through handle-event runs, stops the bot’s own at zero API calls, and replays to zero writes', async () => {
    const { transcript, failedEvents } = await runDemo({
      outDir: mkdtempSync(join(tmpdir(), 'support-bot-demo-trigger-')),
      print: () => undefined,
      scenarios: [serverlessTrigger],
    });
    const text = transcript.join('\n');
    expect(failedEvents).toBe(0);
    expect(text).toMatch(/pipeline 1 \(trigger, TRIGGER_PAYLOAD file\): exit 0/);
    expect(text).toMatch(/handle-event: issue\.open gitlab-com\/support\/feedback#1 by @dana/);
    expect(text).toMatch(/\[template-check\] written: issue #1: add ~"template::indirect-feedback"/);
    expect(text).toMatch(/issue\.update gitlab-com\/support\/feedback#1 by @support-bot .*\n\s+handle-event: ignored: caused by the bot's own user @support-bot \(0 API requests/);
    expect(text).toMatch(/labels \[template::indirect-feedback, triage::ready\]/);
    expect(text).toMatch(/Resend request.*\n.*\n\s+handle-event: done: 0 writes/);
    // Only the scenario's own trigger runs handled the project: the server's hook was detached meanwhile.
    expect(text).not.toMatch(/bot ← /);
  });
});
