import { expect } from 'vitest';
import type { Stack } from '../../src/demo/stack.js';
import type { EventReport } from '../../src/engine/bot.js';
import { parseEvent } from '../../src/events/parse.js';
import type { BotEvent } from '../../src/events/types.js';

/** Writes anyone made to the sandbox so far. */
export const sandboxWrites = (stack: Stack): number => stack.sandbox.requests.filter((r) => r.method !== 'GET').length;

/**
 * Idempotence end to end: replays the webhooks the sandbox delivered (those `which`
 * keeps) and runs a sweep; neither may write anything. Returns the replay reports.
 */
export async function expectNoWritesOnReplayAndSweep(stack: Stack, which: (event: BotEvent) => boolean = () => true): Promise<EventReport[]> {
  const before = sandboxWrites(stack);
  const reports: EventReport[] = [];
  for (const delivery of stack.sandbox.deliveries) {
    const parsed = parseEvent(delivery.body, delivery.event);
    if (parsed.status !== 'event' || !which(parsed.event)) continue;
    const report = await stack.runtime.bot.handleEvent(parsed.event);
    if (report.status === 'done') reports.push(report);
  }
  expect(reports.length, 'replayed deliveries').toBeGreaterThan(0);
  expect((await stack.runtime.bot.runJob('sweep')).writes).toBe(0);
  expect(sandboxWrites(stack)).toBe(before);
  return reports;
}
