import { changedPathsMayBeIncomplete, pathsInScope, scopeGlobs } from '../approvals/scope.js';
import { defineFact, requireKind } from './define.js';

/** Which changed paths of a merge request `approvals.scope` covers. */
export type ApprovalScope =
  | { inScope: false; changedPaths: number }
  | {
      inScope: true;
      /** Changed paths the scope covers. */
      matchedPaths: string[];
      /** GitLab's list of changed paths may be cut (diff limits) and none listed is in scope: in scope, since nothing proves otherwise. */
      listIncomplete: boolean;
    };

/**
 * Whether a merge request changes a path in `approvals.scope`, decided once for the approval
 * rule and the weekly review alike: GitLab's changed-file list, and when that list may be cut
 * (diff limits: `changes_count` "1000+") the `changedPathsInFull` fact (its raw diff). A raw
 * diff that proves nothing keeps the merge request in scope (issue 20).
 */
export const approvalScopeFact = defineFact({
  description: "a merge request's changed paths in approvals.scope (its changed-file list; past a cut list, its raw diff)",
  scope: 'subject',
  param: (subject, config) => {
    const mr = requireKind(subject, 'merge_request', 'approvalScope');
    return { subject: mr, globs: scopeGlobs(config, mr.project.key), mergeRequest: mr.mergeRequest };
  },
  key: ({ mergeRequest }) => `${mergeRequest.projectId}!${mergeRequest.iid}@${mergeRequest.sha}`,
  async load({ subject, globs, mergeRequest }, deps): Promise<ApprovalScope> {
    const { gateway } = deps;
    const changed = await gateway.listMergeRequestChangedPaths(mergeRequest.projectId, mergeRequest.iid);
    const matchedPaths = pathsInScope(globs, changed);
    if (matchedPaths.length > 0) return { inScope: true, matchedPaths, listIncomplete: false };
    // A hook or a list carries no changes_count: the single merge request does.
    const changesCount = mergeRequest.changesCount ?? (await gateway.getMergeRequest(mergeRequest.projectId, mergeRequest.iid)).changesCount;
    if (!changedPathsMayBeIncomplete(changesCount, changed.length)) return { inScope: false, changedPaths: changed.length };
    // The list was cut: in scope unless another read proves no path is.
    const inFull = await deps.fact('changedPathsInFull', subject);
    if (!('paths' in inFull)) return { inScope: true, matchedPaths: [], listIncomplete: true };
    const matchedInFull = pathsInScope(globs, inFull.paths);
    return matchedInFull.length > 0 ? { inScope: true, matchedPaths: matchedInFull, listIncomplete: false } : { inScope: false, changedPaths: inFull.paths.length };
  },
});
