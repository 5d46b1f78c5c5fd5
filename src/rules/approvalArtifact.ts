import { z } from 'zod';
import { sameUsername } from '../gitlab/usernames.js';
import { projectKey } from '../config/fields.js';
import { configSection } from '../config/section.js';
import { readApproval } from '../approvals/phrases.js';
import { isActive } from '../approvals/accounts.js';
import { namesMergeRequest, readersCanSee } from '../approvals/links.js';
import type { ApprovalEvidence } from '../facts/index.js';
import type { Note, UserRef } from '../gitlab/types.js';
import { namedLabels } from '../config/labelUses.js';
import { mergeRequestRule, type MergeRequestSubject, type RuleContext, type RuleResult } from './types.js';

/** Merge requests in these projects that touch these paths need a visible artifact of approval (handbook 004). */
const approvalScopeSchema = z.strictObject({
  /** Key of the project under `projects`. */
  project: projectKey,
  /** Globs (picomatch) of the paths that make a merge request need an artifact. */
  paths: z.array(z.string().min(1)).min(1),
});

const approvalsSchema = z.strictObject({
  /** The commit status set on the merge request's head commit. */
  statusName: z.string().min(1).default('support-bot/approval-artifact'),
  scope: z.array(approvalScopeSchema).default([
    { project: 'support-team-meta', paths: ['.gitlab/issue_templates/**'] },
    { project: 'internal-requests', paths: ['.gitlab/issue_templates/**'] },
    { project: 'feedback', paths: ['.gitlab/issue_templates/**'] },
    { project: 'handbook', paths: ['content/handbook/support/**'] },
  ]),
  /** Groups whose direct members may approve (not members inherited from parent groups). */
  approverGroups: z.array(z.string().min(1)).default(['gitlab-com/support/managers']),
  /** Usernames who may approve besides the groups' members. */
  approverUsernames: z.array(z.string().min(1)).default([]),
  /** Words or phrases that approve in a comment (whole words, any case) when a clause states them by its writer, unconditioned, and nothing in the comment holds the merge request back (docs/approvals.md, src/approvals/statementRules.ts). */
  phrases: z.array(z.string().trim().min(1)).min(1).default(['approved', 'approve', 'approving', 'LGTM', 'looks good to me']),
  /** Award emoji on the merge request that approve, by name. */
  awardEmoji: z.array(z.string().min(1)).default(['thumbsup']),
  /** Links outside GitLab (chat permalinks) that may carry an approval given elsewhere; globs on the URL. */
  externalLinks: z.array(z.string().min(1)).default(['https://*.slack.com/archives/**']),
  /** Whether such an external link counts as an artifact (reported as unverified: the bot cannot read it). */
  allowExternalLinks: z.boolean().default(false),
  /** Comments, emoji and GitLab approvals given before the latest push (the newest diff version) do not count for the new content. */
  resetOnPush: z.boolean().default(true),
  /** Whether the approval-missing note @-mentions the eligible approvers (default: names them without `@`, so nobody is paged). */
  mentionApprovers: z.boolean().default(false),
});

/** This rule's section of the config file, `approvals:`. */
export const approvalsConfig = configSection('approvals', approvalsSchema, { projectKeys: ['scope[].project'] });

declare module '../config/schema.js' {
  interface RuleConfigs {
    approvals: z.output<typeof approvalsSchema>;
  }
}

// Handbook 004: changes to Support's knowledge, processes and templates carry a visible
// artifact of approval on the merge request before merging, even when approval was given
// elsewhere. Needs `approvalEvidence` (it decides scope too): without it the rule fails
// rather than mark a merge request approved or not on a guess.

const NOTE_KEY = 'approval-artifact';
/** GitLab keeps at most 255 characters of a commit status description. */
const STATUS_DESCRIPTION_MAX = 255;

type InScope = Extract<ApprovalEvidence, { inScope: true }>;

/** One artifact of approval the bot found, or one that did not count and why. */
interface Finding {
  kind: 'approval' | 'comment' | 'award' | 'linked-comment' | 'external-link';
  by?: string;
  url: string;
  verified: boolean;
}

interface Rejection {
  what: string;
  why: string;
}

function examine(subject: MergeRequestSubject, evidence: InScope, ctx: RuleContext<'approvalEvidence', never, never>): { found: Finding[]; rejected: Rejection[] } {
  const { mergeRequest } = subject;
  const { phrases, awardEmoji, allowExternalLinks, resetOnPush } = ctx.config.approvals;
  const author = mergeRequest.author.username;
  const found: Finding[] = [];
  const rejected: Rejection[] = [];
  const pushedAt = resetOnPush ? evidence.latestPushAt : null;
  // Who counts: an active eligible approver other than the author (self-approval never counts),
  // for the content as it is now (given after the latest push, unless approvals.resetOnPush is off).
  const judge = (user: UserRef, what: string, at: Date | undefined): boolean => {
    const why = sameUsername(user.username, author)
      ? `${user.username} is the author`
      : !evidence.eligible.has(user.username)
        ? `${user.username} is not an eligible approver`
        : !isActive(user)
          ? `${user.username}'s account is ${user.state ?? 'not active'}`
          : pushedAt && at && at < pushedAt
            ? 'it was given before the latest push (approvals.resetOnPush)'
            : null;
    if (why) rejected.push({ what, why });
    return why === null;
  };
  for (const user of evidence.approvedBy) {
    if (judge(user, `approval by ${user.username}`, evidence.approvedAt.get(user.username)))
      found.push({ kind: 'approval', by: user.username, url: mergeRequest.webUrl, verified: true });
  }
  for (const note of evidence.comments) {
    const reading = readApproval(note.body, phrases);
    const url = `${mergeRequest.webUrl}#note_${note.id}`;
    if (!reading.approves) {
      // Said only for an eligible approver's comment: theirs is the one a manager expects to count.
      if (reading.why && evidence.eligible.has(note.author.username) && note.author.username !== author)
        rejected.push({ what: `comment ${url}`, why: `${reading.why}, so it is not an approval` });
      continue;
    }
    if (!judge(note.author, `comment ${url}`, note.createdAt)) continue;
    const edit = unverifiedEdit(evidence, note);
    if (edit) rejected.push({ what: `comment ${url}`, why: edit });
    else found.push({ kind: 'comment', by: note.author.username, url, verified: true });
  }
  for (const award of evidence.awards) {
    if (!awardEmoji.includes(award.name)) continue;
    if (judge(award.user, `:${award.name}: by ${award.user.username}`, award.createdAt))
      found.push({ kind: 'award', by: award.user.username, url: mergeRequest.webUrl, verified: true });
  }
  const target = {
    projectId: mergeRequest.projectId,
    projectPath: subject.project.path,
    projectVisibility: subject.project.visibility,
    iid: mergeRequest.iid,
    webUrl: mergeRequest.webUrl,
  };
  for (const linked of evidence.linkedNotes) {
    const { link, note } = linked;
    // The linked comment may sit on a confidential issue or in a private project: nothing about
    // it is repeated here, not even which check it failed (whether it exists, approves, is by
    // the author or by an approver), or anyone could probe a confidential comment by linking it.
    if (
      note &&
      readApproval(note.body, phrases).approves &&
      !sameUsername(note.author.username, author) &&
      evidence.eligible.has(note.author.username) &&
      isActive(note.author) &&
      !unverifiedEdit(evidence, note) &&
      // About this merge request, and readable by everyone who reads it.
      namesMergeRequest(note.body, linked.place, target) &&
      readersCanSee(link, note, linked.place, target)
    ) {
      found.push({ kind: 'linked-comment', url: link.url, verified: true });
    } else rejected.push({ what: `link ${link.url}`, why: LINKED_NOT_COUNTED });
  }
  for (const url of evidence.otherHostLinks) rejected.push({ what: `link ${url}`, why: 'it is on another host, which the bot does not call' });
  for (const url of evidence.externalLinks) {
    if (allowExternalLinks) found.push({ kind: 'external-link', url, verified: false });
    else rejected.push({ what: `link ${url}`, why: 'links outside GitLab do not count here (approvals.allowExternalLinks)' });
  }
  return { found, rejected };
}

/**
 * Why an edited comment does not count, or null when it was not edited or its author made the
 * last edit. GitLab lets Maintainers edit others' comments; only GraphQL's `lastEditedBy` says who did.
 */
function unverifiedEdit(evidence: InScope, note: Note): string | null {
  if (!evidence.editors.has(note.id)) return null;
  const editor = evidence.editors.get(note.id);
  if (editor && (editor.lastEditedBy === null || editor.lastEditedBy === note.author.username)) return null;
  const by = editor ? `last edited by ${editor.lastEditedBy ?? 'someone'}, not its author` : 'GitLab would not say who edited it';
  return `it was edited after it was posted (${by}), so the edited comment could not be verified`;
}

/** The one reason for every linked comment that does not count (see `examine`). */
export const LINKED_NOT_COUNTED =
  'not an approving comment by an eligible approver other than the author that names this merge request and that everyone who reads it can read, or one the bot cannot read';

const KIND_WORDS: Record<Finding['kind'], string> = {
  approval: 'GitLab approval',
  comment: 'approving comment',
  award: 'approving award emoji',
  'linked-comment': 'approving comment by an eligible approver, linked from this merge request',
  'external-link': 'link to an approval outside GitLab (unverified)',
};

function describeFinding(f: Finding): string {
  return `${KIND_WORDS[f.kind]}${f.by ? ` by ${f.by}` : ''}`;
}

/** Where GitLab should place the status: the source branch, or for a fork (whose branch the target project does not hold) the merge request's own ref, which GitLab keeps in the target project (Ci::CreateCommitStatusService 404s "References for commit" without one). */
function statusRef(mergeRequest: MergeRequestSubject['mergeRequest']): string {
  const fromFork = mergeRequest.sourceProjectId !== undefined && mergeRequest.sourceProjectId !== mergeRequest.projectId;
  return fromFork ? `refs/merge-requests/${mergeRequest.iid}/head` : mergeRequest.sourceBranch;
}

function statusText(text: string, draft: boolean): string {
  const full = `${draft ? 'Draft: ' : ''}${text}`;
  return full.length <= STATUS_DESCRIPTION_MAX ? full : `${full.slice(0, STATUS_DESCRIPTION_MAX - 1)}…`;
}

/** Verified artifacts first, GitLab approvals before words. */
function best(found: Finding[]): Finding | undefined {
  return found.find((f) => f.verified) ?? found[0];
}

export const approvalArtifact = mergeRequestRule({
  key: 'approval-artifact',
  description: "Requires a visible artifact of approval on merge requests that change Support's handbook pages or issue templates: commit status, label and one note",
  config: approvalsConfig,
  messages: {
    'approval-found': [
      { artifact: 'an approval by @lee', url: 'https://gitlab.example/g/p/-/merge_requests/1', verified: true, draft: true },
      { artifact: 'a chat link posted by @lee', url: 'https://example.slack.com/archives/C1/p1', verified: false, draft: false },
    ],
    'approval-not-needed': [{}],
    'approval-missing': [
      {
        draft: true,
        paths: ['handbook/support/index.md'],
        listIncomplete: false,
        approvers: ['lee'],
        groups: ['gitlab-com/support/managers'],
        phrases: ['approved'],
        emoji: ['thumbsup'],
        rejected: [{ what: 'a comment by the author', why: 'the author cannot approve their own change' }],
        statusName: 'support-bot/approval',
      },
      {
        draft: false,
        paths: [],
        listIncomplete: true,
        approvers: [],
        groups: ['g/managers', 'g/leads'],
        phrases: ['approved', 'LGTM'],
        emoji: ['thumbsup', 'white_check_mark'],
        rejected: [],
        statusName: 'support-bot/approval-artifact',
      },
    ],
  },
  runsOn: {
    events: {
      'merge_request.open': 'always',
      'merge_request.reopen': 'always',
      // New commits (a new head to set the status on), and edits that can add a link or end a draft.
      'merge_request.update': ['commits', 'description', 'title', 'draft', 'labels'],
      'merge_request.approved': 'always',
      'merge_request.approval': 'always',
      'merge_request.unapproved': 'always',
      'merge_request.unapproval': 'always',
      'note.merge_request': 'always',
      // A reaction awarded or taken back: a :thumbsup: counts (Emoji Hook, "Emoji events" on the webhook).
      'emoji.merge_request': 'always',
    },
    jobs: ['sweep'],
    // Projects an approvals.scope entry names: a sweep lists no merge request elsewhere.
    projects: (project, config) => config.approvals.scope.some((s) => s.project === project.key),
  },
  needs: ['approvalEvidence'],
  labels: (config) => namedLabels(config, 'approvalPresent', 'approvalMissing'),
  applies: (subject) => subject.mergeRequest.state === 'opened',
  plan(subject, ctx) {
    const evidence = ctx.facts.approvalEvidence;
    const { mergeRequest } = subject;
    const { labels, approvals } = ctx.config;
    if (!evidence.inScope) {
      // Out of scope: left alone, zero writes; unless it was in scope before (a later push
      // dropped the scoped files), when the bot's label and note would now say something false.
      const reason = 'no longer changes a path approvals.scope covers';
      if (!mergeRequest.labels.includes(labels.approvalMissing) && !mergeRequest.labels.includes(labels.approvalPresent)) return [];
      return [
        { action: { type: 'removeLabels', labels: [labels.approvalMissing, labels.approvalPresent] }, reason },
        { action: { type: 'upsertNote', key: NOTE_KEY, body: ctx.render.render('approval-not-needed', {}), onlyIfExists: true }, reason },
      ];
    }
    const { found, rejected } = examine(subject, evidence, ctx);
    const artifact = best(found);
    const draft = mergeRequest.draft;
    const eligible = [...evidence.eligible].filter((u) => !sameUsername(u, mergeRequest.author.username)).sort();
    // A merge request without a diff head (GitLab answers "sha": null, read as '') has no commit to carry a status: labels and note only.
    const status = (state: 'success' | 'failed', description: string, targetUrl: string, reason: string): RuleResult[] =>
      mergeRequest.sha === ''
        ? []
        : [
            {
              action: {
                type: 'setCommitStatus',
                name: approvals.statusName,
                sha: mergeRequest.sha,
                ref: statusRef(mergeRequest),
                state,
                description: statusText(description, draft),
                targetUrl,
              },
              reason,
            },
          ];
    if (artifact) {
      const reason = `${describeFinding(artifact)}${artifact.verified ? '' : ', not verified'}`;
      return [
        ...status('success', `Approval artifact: ${reason}`, artifact.url, reason),
        { action: { type: 'addLabels', labels: [labels.approvalPresent] }, reason },
        { action: { type: 'removeLabels', labels: [labels.approvalMissing] }, reason },
        {
          action: {
            type: 'upsertNote',
            key: NOTE_KEY,
            body: ctx.render.render('approval-found', { artifact: describeFinding(artifact), url: artifact.url, verified: artifact.verified, draft }),
            // Edits the note that asked; a merge request approved before the bot looked gets none.
            onlyIfExists: true,
          },
          reason,
        },
      ];
    }
    const reason = `${evidence.listIncomplete ? 'may change a path in scope (GitLab lists only part of its changed files)' : `changes ${evidence.matchedPaths.join(', ')}`} and has no approval artifact from an eligible approver`;
    const who = eligible.length > 0 ? `eligible: ${eligible.slice(0, 8).join(', ')}${eligible.length > 8 ? ', …' : ''}` : 'no eligible approver is configured';
    return [
      ...status('failed', `No approval artifact yet (${who})`, mergeRequest.webUrl, `none from an eligible approver other than the author (${who})`),
      { action: { type: 'addLabels', labels: [labels.approvalMissing] }, reason },
      { action: { type: 'removeLabels', labels: [labels.approvalPresent] }, reason },
      {
        action: {
          type: 'upsertNote',
          key: NOTE_KEY,
          body: ctx.render.render('approval-missing', {
            draft,
            paths: evidence.matchedPaths,
            listIncomplete: evidence.listIncomplete,
            // Named, not paged (issue 18), unless approvals.mentionApprovers asks for mentions.
            approvers: approvals.mentionApprovers ? eligible.map((u) => `@${u}`) : eligible,
            groups: approvals.approverGroups,
            phrases: approvals.phrases,
            emoji: approvals.awardEmoji,
            rejected,
            statusName: approvals.statusName,
          }),
        },
        reason,
      },
    ];
  },
});
