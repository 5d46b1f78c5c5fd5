import { findApprovalLinks, type NoteLink } from '../approvals/links.js';
import { sameUsername } from '../gitlab/usernames.js';
import { pathsInScope, scopeGlobs } from '../approvals/scope.js';
import { collect } from '../gitlab/collect.js';
import type { AwardEmoji, Note, UserRef } from '../gitlab/types.js';
import { defineFact, requireKind } from './define.js';

/** A linked comment, read through the API, or why it could not be. */
export type LinkedNote = { link: NoteLink; note: Note } | { link: NoteLink; note: null };

/** Everything on a merge request that can be an artifact of approval, gathered for the approval-artifact rule. */
export type ApprovalEvidence =
  | { inScope: false; changedPaths: number }
  | {
      inScope: true;
      /** Changed paths the scope covers (a few, for the note). */
      matchedPaths: string[];
      /** Usernames who may approve. */
      eligible: Set<string>;
      /** GitLab approvals still standing on the current head (GitLab resets them on push where the project says so). */
      approvedBy: UserRef[];
      awards: AwardEmoji[];
      /** Comments by people (not system notes, not the bot's own), oldest first. */
      comments: Note[];
      linkedNotes: LinkedNote[];
      otherHostLinks: string[];
      externalLinks: string[];
    };

/**
 * The approval evidence of a merge request. Cheap first: its changed paths decide whether
 * it is in scope at all; only then are approvals, award emoji, comments, linked comments
 * and the eligible approvers read. Only the configured GitLab instance is ever called.
 */
export const approvalEvidenceFact = defineFact({
  description: 'changed paths in approval scope, GitLab approvals, award emoji, comments and linked comments of a merge request',
  scope: 'subject',
  param: (subject, config) => {
    const mr = requireKind(subject, 'merge_request', 'approvalEvidence');
    return { subject: mr, globs: scopeGlobs(config, mr.project.key), mergeRequest: mr.mergeRequest };
  },
  key: ({ mergeRequest }) => `${mergeRequest.projectId}!${mergeRequest.iid}@${mergeRequest.sha}`,
  async load({ subject, globs, mergeRequest }, deps): Promise<ApprovalEvidence> {
    const { gateway, config } = deps;
    const changed = await gateway.listMergeRequestChangedPaths(mergeRequest.projectId, mergeRequest.iid);
    const matchedPaths = pathsInScope(globs, changed);
    if (matchedPaths.length === 0) return { inScope: false, changedPaths: changed.length };
    const ref = { projectId: mergeRequest.projectId, kind: 'merge_request' as const, iid: mergeRequest.iid };
    const [eligible, approvals, awards, notes, me] = await Promise.all([
      deps.fact('eligibleApprovers', subject),
      gateway.getMergeRequestApprovals(mergeRequest.projectId, mergeRequest.iid),
      collect(gateway.listAwardEmoji(ref)),
      deps.fact('notes', subject),
      // Only in scope: the bot's own notes quote the approving phrases, so they are told apart here.
      deps.fact('botUser', subject),
    ]);
    const written = notes.filter((n) => !n.system);
    const links = findApprovalLinks([mergeRequest.description, ...written.map((c) => c.body)], deps.instanceUrl, config.approvals.externalLinks);
    const comments = written.filter((n) => !sameUsername(n.author.username, me.username));
    const linkedNotes = await Promise.all(
      links.notes.map(async (link): Promise<LinkedNote> => ({ link, note: await gateway.getNote(link.projectPath, link.kind, link.iid, link.noteId) })),
    );
    return {
      inScope: true,
      matchedPaths: matchedPaths.slice(0, 5),
      eligible,
      approvedBy: approvals.approvedBy,
      awards,
      comments,
      linkedNotes,
      otherHostLinks: links.otherHosts,
      externalLinks: links.external,
    };
  },
});
