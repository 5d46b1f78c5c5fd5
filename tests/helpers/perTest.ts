import { afterEach, beforeEach } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { startSlackStandIn, type SlackStandIn } from '../../src/sandbox/index.js';

/** The problems a config load reports (none when it loads). */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** Starts a stack for one test and closes it after that test. */
export function stackPerTest(): (options: Parameters<typeof startStack>[0]) => Promise<Stack> {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  return async (options) => (stack = await startStack(options));
}

/** A Slack stand-in started before each test and closed after it (after the test's stack, registered later). */
export function slackStandInPerTest(): () => SlackStandIn {
  let slack: SlackStandIn | undefined;
  beforeEach(async () => {
    slack = await startSlackStandIn();
  });
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });
  return () => slack!;
}
