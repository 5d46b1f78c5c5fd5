import { describe, expect, it } from 'vitest';
import { WriteBudget } from '../../src/engine/budget.js';
import { Executor } from '../../src/engine/executor.js';
import { HANDLERS } from '../../src/engine/handlers/index.js';
import type { ActionHandlers, PlannedProjectAction, ProjectActionHandler, ProjectActionOf } from '../../src/engine/handlers/types.js';
import { DryRunWriter } from '../../src/engine/writer.js';
import { GitLabError } from '../../src/gitlab/errors.js';
import type { Label, LabelInput, MergeRequest, MergeRequestInput } from '../../src/gitlab/types.js';
import { silentLogger } from '../../src/logger.js';
import { gitlabPort } from '../helpers/gitlabPort.js';

// The sync commands' writes (issue 17: "templates sync and schedules sync go through it too")
// are project actions dispatched by the same exhaustive handler map as the rules' actions.

// This file is typechecked: a project action without its handler does not compile.
const { createLabel: _dropped, ...rest } = HANDLERS;
// @ts-expect-error Property 'createLabel' is missing
const withoutCreateLabel: ActionHandlers = rest;

const label = (name: string): PlannedProjectAction => ({
  rule: 'labels-sync',
  reason: `labels.${name} names it`,
  action: { type: 'createLabel', projectId: 7, label: { name, color: '#5CB85C', description: `about ${name}` } },
});

function executor(options: {
  handlers?: ActionHandlers;
  budget?: WriteBudget;
  writer?: DryRunWriter;
  created?: string[];
  createMergeRequest?: (input: MergeRequestInput) => Promise<MergeRequest>;
}) {
  const port = gitlabPort({
    createLabel: async (_p: number, input: LabelInput): Promise<Label> => {
      options.created?.push(input.name);
      return { ...input, projectLabel: true };
    },
    ...(options.createMergeRequest ? { createMergeRequest: (_p: number, input: MergeRequestInput) => options.createMergeRequest!(input) } : {}),
  });
  return new Executor({
    reader: gitlabPort({}) as never,
    writer: options.writer ?? port,
    dryRun: options.writer !== undefined,
    handlers: options.handlers,
    bot: async () => ({ id: 2, username: 'support-bot' }),
    budget: options.budget ?? new WriteBudget(),
    log: silentLogger,
  });
}

describe('project actions through the handler map', () => {
  it('go to the handler of their type in HANDLERS, in plan order', async () => {
    const seen: string[] = [];
    const spy: ProjectActionHandler<ProjectActionOf<'createLabel'>> = {
      port: 'gitlab',
      delivery: 'diffed',
      apply: async (ctx, p) => {
        seen.push(p.action.label.name);
        return [ctx.unchanged({ rules: [p.rule], target: 'label', detail: p.action.label.name, reason: p.reason })];
      },
    };
    const changes = await executor({ handlers: { ...HANDLERS, createLabel: spy } }).applyToProject([label('a'), label('b')]);
    expect(seen).toEqual(['a', 'b']);
    expect(changes.map((c) => [c.port, c.target, c.outcome, c.rule])).toEqual([
      ['gitlab', 'label', 'unchanged', 'labels-sync'],
      ['gitlab', 'label', 'unchanged', 'labels-sync'],
    ]);
  });

  it('refuse a plan with an action whose handler is missing at run time, writing nothing', async () => {
    const created: string[] = [];
    await expect(executor({ handlers: withoutCreateLabel, created }).applyToProject([label('a')])).rejects.toThrow('labels-sync: no handler for action type "createLabel"');
    expect(created).toEqual([]);
  });

  it('keep to the write budget and say what they skipped', async () => {
    const created: string[] = [];
    const changes = await executor({ budget: new WriteBudget(1), created }).applyToProject([label('a'), label('b')]);
    expect(created).toEqual(['a']);
    expect(changes.map((c) => `${c.outcome} ${c.detail}`)).toEqual(['written create label "a" #5CB85C "about a"', 'skipped create label "b" #5CB85C "about b"']);
  });

  it('in a dry run are recorded with their reason, and nothing is sent', async () => {
    const writer = new DryRunWriter();
    const changes = await executor({ writer }).applyToProject([label('a')]);
    expect(changes.map((c) => c.outcome)).toEqual(['would-write']);
    expect(writer.writes).toEqual([expect.objectContaining({ method: 'createLabel', cause: { rules: ['labels-sync'], reason: 'labels.a names it' } })]);
  });

  it("take GitLab's 409 for a merge request already open as unchanged: another run opened it", async () => {
    const request = { sourceBranch: 'support-bot/issue-templates', targetBranch: 'main', title: 't', description: 'd' };
    const conflict = async (): Promise<MergeRequest> => {
      throw new GitLabError('Another open merge request already exists for this source branch', 'POST', '/projects/:id/merge_requests', 409);
    };
    const changes = await executor({ createMergeRequest: conflict }).applyToProject([
      { rule: 'templates-sync', reason: 'r', action: { type: 'openMergeRequest', projectId: 7, request } },
    ]);
    expect(changes.map((c) => [c.target, c.outcome, c.detail])).toEqual([
      ['merge_request', 'unchanged', 'open a merge request from support-bot/issue-templates into main: another run opened it'],
    ]);
  });
});
