import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDemoContext } from './context.js';
import { scenarios as defaultScenarios } from './scenarios/index.js';
import { startStack } from './stack.js';
import type { DemoScenario } from './types.js';

export interface DemoResult {
  transcript: string[];
  failedEvents: number;
}

/**
 * Sandbox + bot in one process: scenarios act as team members through the API,
 * GitLab's webhooks reach the bot's server, and every change the bot makes is
 * narrated. The transcript is also written to <outDir>/demo-transcript.md.
 */
export async function runDemo(options: { outDir: string; print: (line: string) => void; scenarios?: readonly DemoScenario[] }): Promise<DemoResult> {
  const transcript: string[] = [];
  let failedEvents = 0;
  const write = (line: string) => {
    transcript.push(line);
    options.print(line);
  };
  const stack = await startStack({
    onProcessed(event, outcome) {
      const where = `${event.projectPath}${event.kind === 'merge_request' || event.kind === 'emoji' || event.key === 'note.merge_request' ? '!' : '#'}${event.iid}`;
      if (outcome.status === 'failed') {
        failedEvents += 1;
        write(`  bot ✗ ${event.key} ${where}: ${outcome.error}`);
        return;
      }
      if (outcome.status !== 'done') return;
      for (const change of outcome.subject.changes) {
        if (change.outcome !== 'unchanged') write(`  bot ← ${event.key} ${where} [${change.rule}] ${change.outcome}: ${change.detail}`);
      }
      // Notes on other issues that quote this one, re-rendered at once.
      for (const quoting of outcome.quoting) {
        for (const change of quoting.changes) {
          if (change.outcome !== 'unchanged') write(`  bot ← ${event.key} ${where} → #${quoting.iid} [${change.rule}] ${change.outcome}: ${change.detail}`);
        }
      }
    },
  });
  mkdirSync(options.outDir, { recursive: true });
  try {
    const me = await stack.runtime.bot.user();
    write(`GitLab sandbox at ${stack.sandbox.url}; bot @${me.username} receiving webhooks at ${stack.webhookUrl}`);
    for (const [i, scenario] of (options.scenarios ?? defaultScenarios).entries()) {
      write('');
      write(`## ${i + 1}. ${scenario.title}`);
      await scenario.run(createDemoContext(stack, options.outDir, write));
      await stack.settle();
    }
    const requests = stack.sandbox.requests.length;
    const writes = stack.sandbox.requests.filter((r) => r.method !== 'GET').length;
    write('');
    // GitLab notifies every member of a mentioned group: the bot never does that unless configured to.
    const groupMentions = stack.sandbox.store.mentions.filter((m) => m.kind !== 'user' && m.byUserId === me.id).map((m) => `@${m.handle} (${m.where})`);
    write(`Done: ${stack.sandbox.deliveries.length} webhook deliveries, ${requests} GitLab API requests (${writes} writes, by people and the bot), ${failedEvents} failed events.`);
    write(`Group mentions by the bot: ${groupMentions.length === 0 ? 'none' : groupMentions.join(', ')}.`);
  } finally {
    writeFileSync(join(options.outDir, 'demo-transcript.md'), `# support-bot demo transcript\n\n\`\`\`\n${transcript.join('\n')}\n\`\`\`\n`);
    await stack.close();
  }
  return { transcript, failedEvents };
}
