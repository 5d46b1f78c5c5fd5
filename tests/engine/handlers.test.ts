import { describe, expect, it } from 'vitest';
import { WriteBudget } from '../../src/engine/budget.js';
import type { PlannedAction } from '../../src/engine/changes.js';
import { Executor } from '../../src/engine/executor.js';
import { commitStatusHandler } from '../../src/engine/handlers/commitStatus.js';
import { HANDLERS } from '../../src/engine/handlers/index.js';
import { upsertNoteHandler } from '../../src/engine/handlers/notes.js';
import type { ActionHandlers, ActionOf, RecordedHandler } from '../../src/engine/handlers/types.js';
import { DryRunRecord, type PortName } from '../../src/engine/ports.js';
import { DryRunWriter } from '../../src/engine/writer.js';
import { printWrites } from '../../src/commands/output.js';
import type { Issue, IssueUpdate, MergeRequest, Note } from '../../src/gitlab/types.js';
import { silentLogger } from '../../src/logger.js';
import type { ActionType } from '../../src/rules/actions.js';
import type { ProjectActionType } from '../../src/rules/projectActions.js';
import type { Subject } from '../../src/subjects.js';
import { buildIssue, buildScope } from '../helpers/builders.js';
import { gitlabPort } from '../helpers/gitlabPort.js';

// The handler map is exhaustive: this file is part of `npm run typecheck`, so if a missing
// entry ever compiled, the `@ts-expect-error` below would itself fail the build.
const { upsertNote: _dropped, ...rest } = HANDLERS;
// @ts-expect-error Property 'upsertNote' is missing
const withoutNotes: ActionHandlers = rest;

// A handler for another type does not fit either: each entry takes the actions of its key.
// @ts-expect-error a commit status handler cannot handle notes
const mismatched: ActionHandlers = { ...HANDLERS, upsertNote: commitStatusHandler };

/** Every action type, the subjects' and the projects', as a record the compiler checks for completeness. */
const EVERY_TYPE: Record<ActionType | ProjectActionType, true> = {
  addLabels: true,
  removeLabels: true,
  upsertNote: true,
  redactComment: true,
  setConfidential: true,
  setDescription: true,
  setTitle: true,
  setState: true,
  setCommitStatus: true,
  renameUser: true,
  notify: true,
  createLabel: true,
  updateLabel: true,
  commitFiles: true,
  openMergeRequest: true,
  takeScheduleOwnership: true,
  createSchedule: true,
  updateSchedule: true,
};
const PORTS: Record<PortName, true> = { gitlab: true, chat: true };

/** GitLab with one issue, counting writes. */
class OneIssue {
  calls: string[] = [];
  notes: Note[] = [];
  constructor(public issue: Issue) {}
  async *listNotes(): AsyncIterable<Note> {
    yield* this.notes;
  }
  async *listCommitStatuses(): AsyncIterable<never> {}
  async *listAwardEmoji(): AsyncIterable<never> {}
  async *listIssues(): AsyncIterable<Issue> {}
  async updateIssue(_p: number, _i: number, update: IssueUpdate): Promise<Issue> {
    this.calls.push('updateIssue');
    this.issue = { ...this.issue, labels: [...this.issue.labels, ...(update.addLabels ?? [])] };
    return this.issue;
  }
  async updateMergeRequest(): Promise<MergeRequest> {
    throw new Error('unused');
  }
  async createNote(): Promise<Note> {
    throw new Error('unused');
  }
  async updateNote(): Promise<Note> {
    throw new Error('unused');
  }
  async deleteNote(): Promise<void> {}
  async setCommitStatus(): Promise<void> {}
  async renameUser(): Promise<never> {
    throw new Error('unused');
  }
  async createIssue(): Promise<never> {
    throw new Error('unused');
  }
}

function executor(gitlab: OneIssue, options: { handlers?: ActionHandlers; budget?: WriteBudget; dryRun?: boolean; writer?: DryRunWriter } = {}) {
  return new Executor({
    reader: gitlab,
    writer: options.writer ?? gitlabPort(gitlab),
    dryRun: options.dryRun,
    handlers: options.handlers,
    bot: async () => ({ id: 2, username: 'support-bot' }),
    budget: options.budget ?? new WriteBudget(),
    log: silentLogger,
  });
}

const subject = (gitlab: OneIssue): Subject => ({ kind: 'issue', project: buildScope('internal-requests'), issue: gitlab.issue });
const note = (key: string): PlannedAction => ({ rule: 'announce', action: { type: 'upsertNote', key, body: `about ${key}` }, reason: 'new issue' });

/**
 * A stand-in for an effect GitLab cannot diff (a chat message): it delivers to `channel`
 * and records the key in `records`, as a chat handler records in GitLab.
 */
function recordedNotes(channel: string[], records: Set<string>, failDelivery = false): RecordedHandler<ActionOf<'upsertNote'>> {
  return {
    port: 'gitlab',
    delivery: 'recorded',
    describe: (_ctx, p) => ({ rules: [p.rule], target: 'note', detail: `announce ${p.action.key}`, reason: p.reason }),
    isRecorded: async (_ctx, p) => records.has(p.action.key),
    deliver: async (_ctx, p) => {
      if (failDelivery) throw new Error('channel_not_found');
      channel.push(p.action.key);
    },
    record: async (ctx, p) => {
      if (!ctx.dryRun) records.add(p.action.key);
    },
  };
}

describe('the action handler map', () => {
  it('has a handler for every action type, each on a known port with a declared delivery', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(Object.keys(EVERY_TYPE).sort());
    for (const handler of Object.values(HANDLERS)) {
      expect(Object.keys(PORTS)).toContain(handler.port);
      expect(['diffed', 'recorded']).toContain(handler.delivery);
    }
    expect(withoutNotes).not.toHaveProperty('upsertNote');
    expect(mismatched.upsertNote).toBe(commitStatusHandler);
  });

  it('fails the subject, writing nothing, for an action whose handler is missing at run time', async () => {
    const gitlab = new OneIssue(buildIssue());
    const plan: PlannedAction[] = [{ rule: 'r', action: { type: 'addLabels', labels: ['x'] }, reason: 'r' }, note('a')];
    await expect(executor(gitlab, { handlers: withoutNotes }).apply(subject(gitlab), plan)).rejects.toThrow('rule announce: no handler for action type "upsertNote"');
    expect(gitlab.calls).toEqual([]);
  });

  it('names the port of every change', async () => {
    const gitlab = new OneIssue(buildIssue());
    const changes = await executor(gitlab).apply(subject(gitlab), [{ rule: 'r', action: { type: 'addLabels', labels: ['x'] }, reason: 'r' }]);
    expect(changes.map((c) => [c.port, c.target, c.outcome])).toEqual([['gitlab', 'issue', 'written']]);
  });
});

describe('a recorded handler (delivered at least once, then recorded in GitLab)', () => {
  const handlers = (channel: string[], records: Set<string>, fail = false): ActionHandlers => ({ ...HANDLERS, upsertNote: recordedNotes(channel, records, fail) });

  it('delivers once and records it; a rerun finds the record and delivers nothing', async () => {
    const gitlab = new OneIssue(buildIssue());
    const [channel, records] = [[] as string[], new Set<string>()];
    const first = await executor(gitlab, { handlers: handlers(channel, records) }).apply(subject(gitlab), [note('a'), note('b')]);
    const second = await executor(gitlab, { handlers: handlers(channel, records) }).apply(subject(gitlab), [note('a'), note('b')]);
    expect(channel).toEqual(['a', 'b']);
    expect(first.map((c) => c.outcome)).toEqual(['written', 'written']);
    expect(second.map((c) => c.outcome)).toEqual(['unchanged', 'unchanged']);
  });

  it('records nothing when the delivery fails, so the next run delivers', async () => {
    const gitlab = new OneIssue(buildIssue());
    const [channel, records] = [[] as string[], new Set<string>()];
    await expect(executor(gitlab, { handlers: handlers(channel, records, true) }).apply(subject(gitlab), [note('a')])).rejects.toThrow('channel_not_found');
    expect(records.size).toBe(0);
    await executor(gitlab, { handlers: handlers(channel, records) }).apply(subject(gitlab), [note('a')]);
    expect(channel).toEqual(['a']);
  });

  it('is held by the same write budget and dry run as GitLab writes', async () => {
    const gitlab = new OneIssue(buildIssue());
    const [channel, records] = [[] as string[], new Set<string>()];
    const plan: PlannedAction[] = [{ rule: 'r', action: { type: 'addLabels', labels: ['x'] }, reason: 'r' }, note('a')];
    const spent = await executor(gitlab, { handlers: handlers(channel, records), budget: new WriteBudget(1) }).apply(subject(gitlab), plan);
    expect(spent.map((c) => c.outcome)).toEqual(['written', 'skipped']);
    expect(channel).toEqual([]);
    const dry = await executor(gitlab, { handlers: handlers(channel, records), dryRun: true, writer: new DryRunWriter() }).apply(subject(gitlab), [note('a')]);
    expect(dry.map((c) => c.outcome)).toEqual(['would-write']);
    expect(records.size).toBe(0);
  });
});

describe('diffed handlers sharing one apply', () => {
  it('make one write for all the field actions of a subject, before notes, whatever the plan order', async () => {
    const gitlab = new OneIssue(buildIssue());
    const channel: string[] = [];
    const handlers: ActionHandlers = { ...HANDLERS, upsertNote: recordedNotes(channel, new Set()) };
    const changes = await executor(gitlab, { handlers }).apply(subject(gitlab), [
      note('a'),
      { rule: 'r1', action: { type: 'addLabels', labels: ['x'] }, reason: 'one' },
      { rule: 'r2', action: { type: 'addLabels', labels: ['y'] }, reason: 'two' },
    ]);
    expect(gitlab.calls).toEqual(['updateIssue']);
    expect(changes.map((c) => [c.target, c.rule])).toEqual([
      ['issue', 'r1,r2'],
      ['note', 'announce'],
    ]);
    expect(upsertNoteHandler.delivery).toBe('diffed');
  });
});

describe('dry run across ports', () => {
  it("lists every port's recorded writes in order, another port's with its name", () => {
    const recorded = new DryRunRecord();
    const writer = new DryRunWriter(recorded);
    void writer.createNote({ projectId: 1, kind: 'issue', iid: 4 }, 'hello');
    recorded.add('chat' as PortName, 'notify', 'internal-requests-new', { text: 'new issue' });
    const out: string[] = [];
    printWrites(writer, { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream);
    expect(out.join('')).toBe('dry run: 2 write(s) not sent\n  createNote project 1 issue #4 body="hello"\n  chat notify internal-requests-new text="new issue"\n');
  });
});
