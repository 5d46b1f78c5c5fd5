import { findApprovalLinks, type LinkedPlace, type NoteLink } from '../approvals/links.js';
import { sameUsername } from '../gitlab/usernames.js';
import { collect } from '../gitlab/collect.js';
import { isGitLabError } from '../gitlab/errors.js';
import type { AwardEmoji, GitLabGateway, Note, NoteEditor, UserRef } from '../gitlab/types.js';
import type { ApprovalScope } from './approvalScope.js';
import { defineFact, requireKind } from './define.js';

/** A linked comment, read through the API, or why it could not be. */
export type LinkedNote = { link: NoteLink; note: Note; place: LinkedPlace } | { link: NoteLink; note: null };

/** Everything on a merge request that can be an artifact of approval, gathered for the approval-artifact rule. */
export type ApprovalEvidence =
  | Extract<ApprovalScope, { inScope: false }>
  // `matchedPaths`: a few, for the note.
  | (Extract<ApprovalScope, { inScope: true }> & {
      /** Usernames who may approve. */
      eligible: Set<string>;
      /** GitLab approvals still standing on the current head (GitLab resets them on push where the project says so). */
      approvedBy: UserRef[];
      /** When each approval was given, by username, where GitLab says. */
      approvedAt: Map<string, Date>;
      /** The latest push: when the newest diff version was created (null: none listed). */
      latestPushAt: Date | null;
      awards: AwardEmoji[];
      /** Comments by people (not system notes, not the bot's own), oldest first. */
      comments: Note[];
      linkedNotes: LinkedNote[];
      /**
       * For each comment or linked comment by an eligible approver that changed after it was
       * posted (`updated_at` after `created_at`): who GitLab says last edited it, or null when
       * GitLab would not say.
       */
      editors: Map<number, NoteEditor | null>;
      otherHostLinks: string[];
      externalLinks: string[];
    });

/**
 * The approval evidence of a merge request. Cheap first: its changed paths decide whether
 * it is in scope at all; only then are approvals, award emoji, comments, linked comments
 * and the eligible approvers read. Only the configured GitLab instance is ever called.
 */
export const approvalEvidenceFact = defineFact({
  description: 'changed paths in approval scope, GitLab approvals, award emoji, comments and linked comments of a merge request',
  scope: 'subject',
  param: (subject) => {
    const mr = requireKind(subject, 'merge_request', 'approvalEvidence');
    return { subject: mr, mergeRequest: mr.mergeRequest };
  },
  key: ({ mergeRequest }) => `${mergeRequest.projectId}!${mergeRequest.iid}@${mergeRequest.sha}`,
  async load({ subject, mergeRequest }, deps): Promise<ApprovalEvidence> {
    const { gateway, config } = deps;
    const scope = await deps.fact('approvalScope', subject);
    if (!scope.inScope) return scope;
    const { matchedPaths, listIncomplete } = scope;
    const ref = { projectId: mergeRequest.projectId, kind: 'merge_request' as const, iid: mergeRequest.iid };
    const [eligible, approvals, awards, notes, me, latestPushAt] = await Promise.all([
      deps.fact('eligibleApprovers', subject),
      gateway.getMergeRequestApprovals(mergeRequest.projectId, mergeRequest.iid),
      collect(gateway.listAwardEmoji(ref)),
      deps.fact('notes', subject),
      // Only in scope: the bot's own notes quote the approving phrases, so they are told apart here.
      deps.fact('botUser', subject),
      gateway.latestDiffVersionAt(mergeRequest.projectId, mergeRequest.iid),
    ]);
    const written = notes.filter((n) => !n.system);
    const links = findApprovalLinks([mergeRequest.description, ...written.map((c) => c.body)], deps.instanceUrl, config.approvals.externalLinks);
    const comments = written.filter((n) => !sameUsername(n.author.username, me.username));
    const linkedNotes = await Promise.all(links.notes.map((link) => readLinked(gateway, link)));
    const touched = [...comments, ...linkedNotes.flatMap((l) => (l.note ? [l.note] : []))].filter(
      (n) => n.updatedAt.getTime() !== n.createdAt.getTime() && eligible.has(n.author.username),
    );
    const editors = new Map(await Promise.all(touched.map(async (n) => [n.id, await editorOf(gateway, n.id)] as const)));
    return {
      inScope: true,
      matchedPaths: matchedPaths.slice(0, 5),
      listIncomplete,
      eligible,
      approvedBy: approvals.approvedBy,
      approvedAt: approvals.approvedAt,
      latestPushAt,
      awards,
      comments,
      linkedNotes,
      editors,
      otherHostLinks: links.otherHosts,
      externalLinks: links.external,
    };
  },
});

/** A note's last editor through GraphQL; null when GitLab answers no note or the query fails (then the edit cannot be verified). */
async function editorOf(gateway: GitLabGateway, noteId: number): Promise<NoteEditor | null> {
  try {
    return await gateway.getNoteEditor(noteId);
  } catch (error) {
    // Transient trouble fails the fact (the rule retries later) rather than turn an approval down.
    if (isGitLabError(error) && (error.status === undefined || error.status === 429 || error.status >= 500)) throw error;
    return null;
  }
}

/** A linked comment with its project's visibility and its issue's confidentiality; note null when the token cannot read it. */
async function readLinked(gateway: GitLabGateway, link: NoteLink): Promise<LinkedNote> {
  const note = await gateway.getNote(link.projectPath, link.kind, link.iid, link.noteId);
  if (!note) return { link, note: null };
  const project = await gateway.getProject(link.projectPath);
  const confidential = link.kind === 'issue' ? (await gateway.getIssue(project.id, link.iid)).confidential : false;
  return { link, note, place: { projectId: project.id, projectVisibility: project.visibility, confidential } };
}
