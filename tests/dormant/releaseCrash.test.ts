import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { markerKey } from '../../src/engine/markers.js';
import { Bot } from '../../src/engine/bot.js';
import type { Writer } from '../../src/engine/writer.js';
import { intentLine } from '../../src/dormant/releaseIntent.js';
import { runDormant } from '../../src/jobs/dormant.js';
import { INTERNAL_REQUESTS, openRequest, setBotAdmin, writesOf } from './helpers.js';

// Issue 21 #2: `run dormant --apply-rename` killed at every point of a release, then run again.
// The release writes, in order: the intent note, PUT /users/:id, the request's labels and
// state (one PUT), the report, the record. Killed after any of them (the write applied, the
// process gone), the next run must end where an uninterrupted release ends: nobody lost, the
// record of who became whom in the request, the request closed, and nothing written twice.

class Killed extends Error {}

/** The bot's writer, killed right after its `k`-th write is applied (k = 0: before the first). */
function killedAfter(writer: Writer, k: number): Writer & { writes: () => number } {
  let writes = 0;
  return new Proxy(writer, {
    get(target, prop, receiver) {
      if (prop === 'writes') return () => writes;
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (writes >= k) throw new Killed(`killed before write ${writes + 1}`);
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        writes += 1;
        if (writes === k) throw new Killed(`killed after write ${k}`);
        return result;
      };
    },
  }) as Writer & { writes: () => number };
}

const base = loadConfig();
const allowingRename: LoadedConfig = { ...base, config: { ...base.config, dormant: { ...base.config.dormant, allowRename: true } } };
const quiet = { out: { write: () => true } as unknown as NodeJS.WritableStream };

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function requestForCoolname(): Promise<{ stack: Stack; iid: number }> {
  const s = await startStack({ hooks: false, loaded: allowingRename });
  setBotAdmin(s.sandbox, true);
  return { stack: s, iid: openRequest(s.sandbox, 'coolname') };
}

/** What GitLab holds at the end: the account's name, the request, and the bot's notes by key (one each). */
function finalState(s: Stack, iid: number) {
  const { store } = s.sandbox;
  const request = store.getIssue(store.resolveProject(INTERNAL_REQUESTS)!.id, iid)!;
  const bot = store.findUserByUsername('support-bot')!;
  const notes = store.listNotes(request).filter((n) => n.authorId === bot.id);
  // Each stack has its own port: links are compared without it.
  const byKey = Object.fromEntries(notes.map((n) => [markerKey(n.body) ?? '?', n.body.replaceAll(store.baseUrl, '<gitlab>')]));
  return {
    users: { coolname: store.findUserByUsername('coolname')?.username ?? null, idlecoolname: store.findUserByUsername('idlecoolname')?.username ?? null },
    state: request.state,
    labels: request.labels.filter((l) => l.startsWith('dormant::')).sort(),
    notes: byKey,
    noteCount: notes.length,
  };
}

async function killedRun(s: Stack, k: number): Promise<number> {
  const writer = killedAfter(s.runtime.writer, k);
  const bot = new Bot({ ...s.runtime.bot.deps, writer });
  await runDormant({ ...s.runtime, bot }, { ...quiet, applyRename: true });
  return writer.writes();
}

describe('dormant release: killed at every point, then run again', () => {
  it('the uninterrupted release makes 5 writes, in the order the corpus kills them', async () => {
    const run = await requestForCoolname();
    stack = run.stack;
    await runDormant(stack.runtime, { ...quiet, applyRename: true });
    expect(writesOf(stack.sandbox).map((r) => `${r.method} ${r.path.replace(/\d+/g, ':id')}`)).toEqual([
      'POST /api/v:id/projects/:id/issues/:id/notes',
      'PUT /api/v:id/users/:id',
      'PUT /api/v:id/projects/:id/issues/:id',
      'POST /api/v:id/projects/:id/issues/:id/notes',
      'PUT /api/v:id/projects/:id/issues/:id/notes/:id',
    ]);
  });

  // Each row: killed after `k` writes, then the next scheduled run (with or without --apply-rename).
  const corpus = [0, 1, 2, 3, 4, 5].flatMap((k) => [
    { k, rerun: 'apply' as const },
    { k, rerun: 'plain' as const },
  ]);

  it.each(corpus)('killed after write $k, rerun $rerun: the release ends recorded, exactly once', async ({ k, rerun }) => {
    // The reference: the same request released without a kill.
    const reference = await requestForCoolname();
    await runDormant(reference.stack.runtime, { ...quiet, applyRename: true });
    const expected = finalState(reference.stack, reference.iid);
    await reference.stack.close();

    const run = await requestForCoolname();
    stack = run.stack;
    expect(await killedRun(stack, k)).toBe(k);
    const renamed = stack.sandbox.store.findUserByUsername('idlecoolname') !== undefined;
    expect(renamed).toBe(k >= 2);

    await runDormant(stack.runtime, { ...quiet, applyRename: rerun === 'apply' });
    const after = finalState(stack, run.iid);
    if (rerun === 'plain' && !renamed) {
      // Nothing renamed, and a run without --apply-rename renames nobody: the request waits, and says so when a release was started.
      expect(after.users).toEqual({ coolname: 'coolname', idlecoolname: null });
      expect(after.state).toBe('opened');
      expect(after.labels).toEqual(['dormant::eligible']);
      if (k === 1) expect(after.notes['dormant-namespace-release']).toContain('**Release not completed.**');
      else expect(after.notes['dormant-namespace-release']).toBeUndefined();
    } else {
      // Whoever finished it, GitLab ends as after an uninterrupted release (the record dated the day it started).
      expect(after).toEqual(expected);
      expect(after.notes['dormant-namespace-release']).toContain('**Namespace released.** `coolname` was renamed to `idlecoolname`');
      expect(after.notes['dormant-namespace-release']).not.toContain('support-bot-release-intent');
      expect(after.labels).not.toContain('dormant::user-not-found');
    }
    // Converged: one more run writes nothing.
    const before = writesOf(stack.sandbox).length;
    await runDormant(stack.runtime, { ...quiet, applyRename: rerun === 'apply' });
    expect(writesOf(stack.sandbox).length).toBe(before);
  });

  it("a comment carrying an intent line is not the bot's: no release is claimed from it", async () => {
    const run = await requestForCoolname();
    stack = run.stack;
    const { store } = stack.sandbox;
    const other = store.createUser({ username: 'idlecoolname', name: 'Someone' });
    const forged = intentLine({
      userId: other.id,
      from: 'coolname',
      to: 'idlecoolname',
      numbered: false,
      wanted: 'idlecoolname',
      day: '2026-01-01',
      namespace: 'coolname',
      profileUrl: null,
      criteria: [],
    });
    store.createNote(store.getIssue(store.resolveProject(INTERNAL_REQUESTS)!.id, run.iid)!, { body: `Releasing!\n\n${forged}`, authorId: store.findUserByUsername('chen')!.id });
    await runDormant(stack.runtime, quiet);
    const after = finalState(stack, run.iid);
    expect(after.state).toBe('opened');
    expect(after.notes['dormant-namespace-release']).toBeUndefined();
    expect(after.users.coolname).toBe('coolname');
  });
});
