import { afterEach } from 'vitest';
import type { BotConfig } from '../../src/config/schema.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { updateIssuable } from '../../src/sandbox/issuables.js';
import type { IssuableRec, IssueRec } from '../../src/sandbox/types.js';

// A sandbox for the weekly review's tests: the bot's runtime at a chosen instant, and
// helpers that write the sandbox's records at chosen instants (as GitLab would have).

export const META = 'gitlab-com/support/support-team-meta';
export const REQUESTS = 'gitlab-com/support/internal-requests';
export const FEEDBACK = 'gitlab-com/support/feedback';
export const HANDBOOK = 'gitlab-com/content-sites/handbook';
export const CONTACT = 'template::contact-request';
export const SQUAT = 'template::name-squatting-request';
/** A job's output nobody reads. */
export const sink = { write: () => true } as unknown as NodeJS.WritableStream;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

export interface World {
  s: Stack;
  runtime: (now: Date, options?: { dryRun?: boolean }) => Runtime;
  project: (path: string) => number;
  user: (username: string) => number;
  at: <T>(iso: string, act: () => T) => T;
  issue: (path: string, input: { title: string; author?: string; labels?: string[]; createdAt: string; confidential?: boolean; issueType?: IssueRec['issueType'] }) => IssueRec;
  edit: (item: IssuableRec, iso: string, update: Parameters<typeof updateIssuable>[2], by?: string) => void;
  note: (item: IssueRec, username: string, iso: string) => void;
}

/** A stack with no rules and no hooks, the review read in `zone`; closed after each test. */
export async function world(zone: string, swir: Partial<BotConfig['swir']> = {}): Promise<World> {
  const s = await startStack({ rules: [], hooks: false });
  stack = s;
  const { store } = s.sandbox;
  const { loaded } = s.runtime;
  const config = { ...loaded.config, swir: { ...loaded.config.swir, timezone: zone, ...swir } };
  const user = (username: string) => store.findUserByUsername(username)!.id;
  const at = <T>(iso: string, act: () => T): T => {
    const previous = store.clock;
    store.clock = () => new Date(iso);
    try {
      return act();
    } finally {
      store.clock = previous;
    }
  };
  return {
    s,
    runtime: (now, options = {}) => {
      const runtime = createRuntime({
        log: silentLogger,
        loaded: { ...loaded, config },
        rules: [],
        now: () => now,
        dryRun: options.dryRun,
        env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
      });
      // The bot's own writes happen at the time of the run.
      store.clock = () => now;
      return runtime;
    },
    project: (path) => store.resolveProject(path)!.id,
    user,
    at,
    issue: (path, input) =>
      store.createIssue(store.resolveProject(path)!.id, {
        title: input.title,
        description: 'd',
        authorId: user(input.author ?? 'sam-sales'),
        labels: input.labels ?? [],
        confidential: input.confidential ?? false,
        createdAt: new Date(input.createdAt),
        issueType: input.issueType,
      }),
    edit: (item, iso, update, by = 'bruno') => at(iso, () => updateIssuable(store, item, update, user(by), { legacySystemNotes: false })),
    note: (item, username, iso) => void store.createNote(item, { body: 'An answer.', authorId: user(username), createdAt: new Date(iso) }),
  };
}
