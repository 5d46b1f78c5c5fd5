import { afterEach } from 'vitest';
import { observeMentions, SANDBOX_TOKENS, type MentionRec } from '../../src/sandbox/index.js';

// Runs before each test file (vitest.config.ts: setupFiles), after freshModules.ts, so it
// watches the same sandbox modules the file imports. Every mention the bot writes into any
// sandbox (notes, issues, merge requests, as GitLab would notify them) is checked: the bot
// never mentions a whole group (`@gitlab-com/support`, `@all`) unless the test asked for it
// with `allowGroupMentions`. After each test, a group mention nobody allowed fails it.

interface GuardState {
  violations: MentionRec[];
  allowed: Set<string>;
}

const KEY = Symbol.for('support-bot.groupMentionGuard');
const registry = globalThis as unknown as Record<symbol, GuardState | undefined>;
const state: GuardState = (registry[KEY] ??= { violations: [], allowed: new Set() });
state.violations = [];
state.allowed = new Set();

observeMentions((mention, store) => {
  if (mention.kind === 'user') return;
  if (store.userForToken(SANDBOX_TOKENS.bot)?.id !== mention.byUserId) return;
  if (state.allowed.has(mention.handle.toLowerCase())) return;
  state.violations.push(mention);
});

/** Lets the bot mention these groups in the current test (a test config that asks for it, `sla.escalateTo: a/group`). */
export function allowGroupMentions(...handles: string[]): void {
  for (const handle of handles) state.allowed.add(handle.replace(/^@/, '').toLowerCase());
}

/** The group mentions the bot wrote so far in this test, which the guard then forgets (for the guard's own test). */
export function takeGroupMentions(): MentionRec[] {
  return state.violations.splice(0);
}

/** Fails when the bot mentioned a group nobody allowed since the last check; forgets what it checked and the allowances. */
export function checkGroupMentions(): void {
  const found = takeGroupMentions();
  state.allowed.clear();
  if (found.length > 0) {
    throw new Error(
      `the bot mentioned a whole group: ${found.map((m) => `@${m.handle} (${m.kind}) in ${m.where}`).join('; ')}. Mention people who must act, or allowGroupMentions() where a test config asks for it.`,
    );
  }
}

afterEach(checkGroupMentions);
