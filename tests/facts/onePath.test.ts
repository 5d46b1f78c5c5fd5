import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { FactsLoader, KeptFacts } from '../../src/engine/facts.js';
import { planSubject } from '../../src/engine/planner.js';
import { TEAM_KEEP_MS } from '../../src/facts/teamMembers.js';
import type { GitLabGateway, LabelEvent, Note, UserRef } from '../../src/gitlab/types.js';
import { runSla } from '../../src/jobs/sla.js';
import { runSweep } from '../../src/jobs/sweep.js';
import { runSwir } from '../../src/jobs/swir.js';
import { silentLogger } from '../../src/logger.js';
import { issueRule, type BaseContext } from '../../src/rules/types.js';
import { createRuntime } from '../../src/runtime.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { buildContext, buildNote, buildSubject, defaultConfig } from '../helpers/builders.js';

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** A promise the test settles when it wants, to see what is in flight meanwhile. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('one team list for the sweep, the SLA job and the weekly review', () => {
  it('is read once across run sla, run swir and a sweep of one bot', async () => {
    // Wednesday of ISO week 2026-W47; the requests were opened this week.
    const now = new Date('2026-11-18T12:00:00Z');
    const s = await startStack({ hooks: false });
    stack = s;
    const runtime = createRuntime({
      log: silentLogger,
      loaded: s.runtime.loaded,
      now: () => now,
      env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
    });
    const store = s.sandbox.store;
    const project = store.resolveProject('gitlab-com/support/internal-requests')!;
    const sam = store.findUserByUsername('sam-sales')!;
    const answered = store.createIssue(project.id, {
      title: 'Contact a user',
      description: 'd',
      authorId: sam.id,
      labels: ['template::contact-request'],
      createdAt: new Date('2026-11-16T09:00:00Z'),
    });
    store.createIssue(project.id, {
      title: 'Contact another user',
      description: 'd',
      authorId: sam.id,
      labels: ['template::contact-request'],
      createdAt: new Date('2026-11-16T10:00:00Z'),
    });
    store.createNote(store.getIssue(project.id, answered.iid)!, { body: 'On it.', authorId: store.findUserByUsername('bruno')!.id, createdAt: new Date('2026-11-16T11:00:00Z') });

    // The sweep last: its template check relabels these free-form requests.
    const sla = await runSla(runtime, { out: sink });
    const swir = await runSwir(runtime, { out: sink, week: '2026-W47' });
    const sweep = await runSweep(runtime, { out: sink });
    expect(sweep.failed).toBe(false);

    // Both jobs told the team's answer from the requester's silence: they had the team.
    expect(sla.figures.answered).toBe(1);
    expect(swir.figures.requests!.answered).toBe(1);
    expect(s.sandbox.requests.filter((r) => r.path.endsWith('/descendant_groups'))).toHaveLength(1);
  });
});

/** A GitLab whose reads wait until the test lets them go. */
function onDemandGateway() {
  const started: string[] = [];
  const notes = deferred<Note[]>();
  const events = deferred<LabelEvent[]>();
  let teamReads = 0;
  const gateway = {
    async *listNotes(): AsyncIterable<Note> {
      started.push('notes');
      yield* await notes.promise;
    },
    async *listLabelEvents(): AsyncIterable<LabelEvent> {
      started.push('label events');
      yield* await events.promise;
    },
    async *listTeamMembers(): AsyncIterable<UserRef> {
      teamReads += 1;
      yield { id: 9, username: 'bruno' };
    },
    async currentUser() {
      return { id: 2, username: 'support-bot' };
    },
  } as unknown as GitLabGateway;
  return { gateway, started, notes, events, teamReads: () => teamReads };
}

describe('loading facts', () => {
  it('loads two facts with no dependency at the same time: both are in flight before either answers', async () => {
    const { gateway, started, notes, events } = onDemandGateway();
    const facts = new FactsLoader({ config: defaultConfig, gateway }).forSubject(buildSubject('internal-requests', { iid: 4 }));
    const loading = facts.load(['notes', 'labelAddedAt']);
    await new Promise((r) => setImmediate(r));
    expect([...started].sort()).toEqual(['label events', 'notes']);
    notes.resolve([buildNote({ body: 'hi' })]);
    events.resolve([]);
    const { facts: loaded, failures } = await loading;
    expect(failures).toEqual([]);
    expect(loaded.notes).toHaveLength(1);
  });

  it('reads a fact once for its key even when asked for concurrently', async () => {
    const { gateway, teamReads } = onDemandGateway();
    const loader = new FactsLoader({ config: defaultConfig, gateway });
    const [a, b, c] = await Promise.all([
      loader.runWide('teamMembers'),
      loader.forSubject(buildSubject('internal-requests', { iid: 1 })).get('teamMembers'),
      loader.forSubject(buildSubject('support-team-meta', { iid: 2 })).get('teamMembers'),
    ]);
    expect(teamReads()).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it('keeps the team for ten minutes across loaders (serve), then reads it again; a failed read is not kept', async () => {
    let clock = 0;
    const kept = new KeptFacts(() => clock);
    let reads = 0;
    let fail = false;
    const gateway = {
      async *listTeamMembers(): AsyncIterable<UserRef> {
        reads += 1;
        if (fail) throw new Error('GET members → 503');
        yield { id: 9, username: 'bruno' };
      },
    } as unknown as GitLabGateway;
    const ask = () => new FactsLoader({ config: defaultConfig, gateway, kept }).runWide('teamMembers');
    await ask();
    clock = TEAM_KEEP_MS - 1;
    await ask();
    expect(reads).toBe(1);
    clock = TEAM_KEEP_MS;
    fail = true;
    await expect(ask()).rejects.toThrow('503');
    fail = false;
    await ask();
    expect(reads).toBe(3);
  });

  it("gives facts the run's clock: an issue's first response at that time, and as of another with at()", async () => {
    const bruno = buildNote({ author: { id: 9, username: 'bruno' }, createdAt: new Date('2026-11-16T11:00:00Z') });
    const gateway = {
      async *listNotes(): AsyncIterable<Note> {
        yield bruno;
      },
      async *listTeamMembers(): AsyncIterable<UserRef> {
        yield { id: 9, username: 'bruno' };
      },
      async currentUser() {
        return { id: 2, username: 'support-bot' };
      },
      async isBotUser() {
        return false;
      },
    } as unknown as GitLabGateway;
    const subject = buildSubject('internal-requests', {
      labels: ['template::contact-request'],
      createdAt: new Date('2026-11-16T09:00:00Z'),
      author: { id: 30, username: 'sam-sales' },
    });
    const loader = new FactsLoader({ config: defaultConfig, gateway, now: new Date('2026-11-18T12:00:00Z') });
    expect((await loader.forSubject(subject).get('firstResponse')).state).toBe('answered');
    // Before bruno's note: not answered yet, and the key tells the two apart.
    expect((await loader.at(new Date('2026-11-16T10:00:00Z')).forSubject(subject).get('firstResponse')).state).toBe('on-track');
  });

  it('loads a later stage only for rules still able to plan: a failed team spares the notes', async () => {
    let notesRead = 0;
    const gateway = {
      listNotes: (): Note[] => {
        notesRead += 1;
        return [];
      },
      // A team group that cannot be read.
      listTeamMembers: (): AsyncIterable<UserRef> => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('GET members → 404')) }) }),
    } as unknown as GitLabGateway;
    const rule = issueRule({
      key: 'team-then-notes',
      description: 'test',
      runsOn: { events: {}, jobs: ['sweep'] },
      needs: ['teamMembers', 'notes'],
      applies: () => true,
      plan: () => [],
    });
    const ctx: BaseContext = { ...buildContext(), trigger: { kind: 'job', job: 'sweep' } };
    const facts = new FactsLoader({ config: defaultConfig, gateway }).forSubject(buildSubject('internal-requests'));
    const plan = await planSubject(facts.subject, [rule], ctx, facts);
    expect(plan.outcomes[0]).toMatchObject({ status: 'error', error: 'fact "teamMembers" could not be loaded: GET members → 404' });
    expect(notesRead).toBe(0);
  });

  it('types a fact lookup by the fact map: an unknown name does not compile', () => {
    const deps = {} as Parameters<(typeof import('../../src/facts/index.js'))['FACTS']['activeNow']['load']>[1];
    const typed = (): Promise<Set<string>> => deps.fact('teamMembers', buildSubject('internal-requests'));
    // @ts-expect-error -- no fact named 'weather'
    const unknown = () => deps.fact('weather', buildSubject('internal-requests'));
    expect([typed, unknown]).toHaveLength(2);
  });
});

describe('when a label was added', () => {
  it('has one implementation: only the labelAddedAt fact reads resource label events', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const readers = files('src')
      .filter((f) => !f.startsWith(join('src', 'gitlab')) && !f.startsWith(join('src', 'sandbox')))
      .filter((f) => readFileSync(f, 'utf8').includes('listLabelEvents('));
    expect(readers).toEqual([join('src', 'facts', 'labelAddedAt.ts')]);
  });
});
