import { z } from 'zod';
import { gitlabTime } from './time.js';

// The webhook payloads the bot reads, in GitLab's shapes. Only the fields the bot uses
// are declared; everything else GitLab sends passes through untouched.

const user = z.looseObject({
  id: z.number().int(),
  username: z.string(),
  name: z.string().optional(),
});

const project = z.looseObject({
  id: z.number().int(),
  path_with_namespace: z.string(),
  web_url: z.string().optional(),
  visibility_level: z.number().int().optional(),
});

const label = z.looseObject({ id: z.number().int().optional(), title: z.string() });

const change = <T extends z.ZodType>(value: T) => z.looseObject({ previous: value.nullish(), current: value.nullish() });

const changes = z
  .looseObject({
    title: change(z.string()).optional(),
    description: change(z.string()).optional(),
    labels: change(z.array(label)).optional(),
    confidential: change(z.boolean()).optional(),
  })
  .optional();

const issueAttributes = z.looseObject({
  id: z.number().int(),
  iid: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.string(),
  action: z.enum(['open', 'update', 'close', 'reopen']).optional(),
  confidential: z.boolean().optional(),
  author_id: z.number().int().optional(),
  created_at: gitlabTime.optional(),
  updated_at: gitlabTime.optional(),
  labels: z.array(label).optional(),
  url: z.string().optional(),
  /** The work item type (`Issue`, `Task`, `Incident`, …), since GitLab 17.2. */
  type: z.string().optional(),
});

/**
 * Issue Hook and Confidential Issue Hook: issues and Service Desk issues come as `issue`,
 * every other work item type (task, incident, test case, …) as `work_item`, with
 * `confidential_` before the event type when confidential (webhook_events.md, "Work item events").
 */
export const issueHookSchema = z.looseObject({
  object_kind: z.enum(['issue', 'work_item']),
  event_type: z.enum(['issue', 'confidential_issue', 'work_item', 'confidential_work_item']).optional(),
  user,
  project,
  object_attributes: issueAttributes,
  labels: z.array(label).optional(),
  changes,
});

const noteAttributes = z.looseObject({
  id: z.number().int(),
  note: z.string(),
  /** Only these two reach the schema: parseEvent ignores comments on commits, snippets and the rest first. */
  noteable_type: z.enum(['Issue', 'MergeRequest']),
  author_id: z.number().int().optional(),
  system: z.boolean().optional(),
  action: z.enum(['create', 'update']).optional(),
  created_at: gitlabTime.optional(),
  updated_at: gitlabTime.optional(),
  url: z.string().optional(),
});

const noteableRef = z.looseObject({ id: z.number().int(), iid: z.number().int() });

export const noteHookSchema = z.looseObject({
  object_kind: z.literal('note'),
  event_type: z.enum(['note', 'confidential_note']).optional(),
  user,
  project,
  object_attributes: noteAttributes,
  issue: noteableRef.optional(),
  merge_request: noteableRef.optional(),
});

const mergeRequestAttributes = z.looseObject({
  id: z.number().int(),
  iid: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.string(),
  action: z.string().optional(),
  target_project_id: z.number().int().optional(),
  source_branch: z.string().optional(),
  target_branch: z.string().optional(),
  last_commit: z.looseObject({ id: z.string() }).nullish(),
  /** The previous head on an update that pushed commits (GitLab's merge request events docs). */
  oldrev: z.string().nullish(),
  updated_at: gitlabTime.optional(),
});

export const mergeRequestHookSchema = z.looseObject({
  object_kind: z.literal('merge_request'),
  event_type: z.literal('merge_request').optional(),
  user,
  project,
  object_attributes: mergeRequestAttributes,
  labels: z.array(label).optional(),
  changes,
});

/**
 * Emoji Hook (webhook_events.md, "Emoji events"): a reaction awarded or revoked. The bot reads
 * those on a merge request itself (`awardable_type: MergeRequest`, the merge request under
 * `merge_request`); parseEvent ignores reactions on comments, issues and snippets first.
 */
export const emojiHookSchema = z.looseObject({
  object_kind: z.literal('emoji'),
  event_type: z.string().optional(),
  user,
  project,
  object_attributes: z.looseObject({
    id: z.number().int(),
    name: z.string(),
    awardable_type: z.literal('MergeRequest'),
    awardable_id: z.number().int().optional(),
    action: z.string().optional(),
  }),
  merge_request: noteableRef,
});

export type IssueHook = z.infer<typeof issueHookSchema>;
export type NoteHook = z.infer<typeof noteHookSchema>;
export type MergeRequestHook = z.infer<typeof mergeRequestHookSchema>;
export type EmojiHook = z.infer<typeof emojiHookSchema>;
