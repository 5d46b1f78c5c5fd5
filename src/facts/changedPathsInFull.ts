import { isGitLabError } from '../gitlab/errors.js';
import { defineFact, requireKind } from './define.js';

/** Every path a merge request changes, read past GitLab's diff limits; or why that read proves nothing. */
export type ChangedPathsInFull = { paths: string[] } | { unproven: string };

/**
 * The changed paths of a merge request whose list GitLab cut (diff limits: `changes_count`
 * "1000+"), read again from its raw diff (`GET …/merge_requests/:iid/raw_diffs`, which
 * Workhorse streams from Gitaly without those limits). A raw diff read to its end is proof of
 * what the merge request changes; an answer the bot cannot read, a GitLab without the endpoint
 * (before 17.9: 404) or a token refused (403) proves nothing, and the merge request stays in
 * scope. Transient trouble (429, 5xx, network) fails the fact: the rule retries later.
 */
export const changedPathsInFullFact = defineFact({
  description: "every path a merge request changes, from its raw diff (past GitLab's diff limits)",
  scope: 'subject',
  stage: 2,
  param: (subject) => requireKind(subject, 'merge_request', 'changedPathsInFull').mergeRequest,
  key: (mr) => `${mr.projectId}!${mr.iid}@${mr.sha}`,
  async load(mr, { gateway }): Promise<ChangedPathsInFull> {
    try {
      const read = await gateway.mergeRequestRawDiffPaths(mr.projectId, mr.iid);
      return 'paths' in read ? read : { unproven: `its raw diff could not be read: ${read.unreadable}` };
    } catch (error) {
      if (isGitLabError(error) && (error.status === 401 || error.status === 403 || error.status === 404)) return { unproven: `GitLab answered ${error.status} for its raw diff` };
      throw error;
    }
  },
});
