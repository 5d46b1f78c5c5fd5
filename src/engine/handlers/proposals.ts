import { isGitLabError } from '../../gitlab/errors.js';
import type { ProjectActionHandler, ProjectActionOf } from './types.js';

// `templates sync` proposes files through a branch of its own and one merge request: the plan
// (templates/sync.ts) commits only the files the branch lacks and opens a merge request only
// when none is open from that branch.

/** One commit of the files that differ, to the proposal branch (created from `startBranch`). */
export const commitFilesHandler: ProjectActionHandler<ProjectActionOf<'commitFiles'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, { rule, action, reason }) {
    const { projectId, branch, startBranch, message, files } = action;
    const detail = `commit ${files.length} file(s) to ${branch}${startBranch ? ` (new, from ${startBranch})` : ''}`;
    return [await ctx.write({ rules: [rule], target: 'branch', detail, reason }, () => ctx.ports.gitlab.commitFiles(projectId, branch, message, files, startBranch))];
  },
};

/**
 * A merge request from the proposal branch. GitLab answers 409 when one is already open from
 * that branch (lib/api/merge_requests.rb, handle_merge_request_errors!): another run opened it
 * in between, so the state already holds and the write is `unchanged`.
 */
export const openMergeRequestHandler: ProjectActionHandler<ProjectActionOf<'openMergeRequest'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, { rule, action, reason }) {
    const { sourceBranch, targetBranch } = action.request;
    const change = { rules: [rule], target: 'merge_request' as const, detail: `open a merge request from ${sourceBranch} into ${targetBranch}`, reason };
    try {
      return [await ctx.write(change, () => ctx.ports.gitlab.createMergeRequest(action.projectId, action.request))];
    } catch (error) {
      if (isGitLabError(error) && error.status === 409) return [ctx.unchanged({ ...change, detail: `${change.detail}: another run opened it` })];
      throw error;
    }
  },
};
