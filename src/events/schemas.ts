import { z } from 'zod';
import { gitlabTime } from './time.js';

// The webhook payloads the bot reads, in GitLab's shapes. Only the fields the bot uses
// are declared; everything else GitLab sends passes through untouched.

/**
 * A field GitLab may leave out. Its hook builders write some keys only when set
 * (`object_attributes.action`, `oldrev`) and others as `nil` (`description`, `last_commit`,
 * `closed_at`), and that has changed between versions; so a field the bot can do without
 * is read alike when absent or null, and typed as absent.
 */
const optional = <T extends z.ZodType>(value: T) =>
  value
    .nullish()
    .transform((v): z.output<T> | undefined => v ?? undefined)
    .optional();

const user = z.looseObject({
  id: z.number().int(),
  username: z.string(),
  name: optional(z.string()),
});

const project = z.looseObject({
  id: z.number().int(),
  path_with_namespace: z.string(),
  web_url: optional(z.string()),
  visibility_level: optional(z.number().int()),
});

const label = z.looseObject({ id: optional(z.number().int()), title: z.string() });

const change = <T extends z.ZodType>(value: T) => z.looseObject({ previous: value.nullish(), current: value.nullish() });

const changes = optional(
  z.looseObject({
    title: optional(change(z.string())),
    description: optional(change(z.string())),
    labels: optional(change(z.array(label))),
    confidential: optional(change(z.boolean())),
  }),
);

const issueAttributes = z.looseObject({
  id: z.number().int(),
  iid: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.string(),
  action: optional(z.enum(['open', 'update', 'close', 'reopen'])),
  confidential: optional(z.boolean()),
  author_id: optional(z.number().int()),
  created_at: optional(gitlabTime),
  updated_at: optional(gitlabTime),
  labels: optional(z.array(label)),
  url: optional(z.string()),
  /** The work item type (`Issue`, `Task`, `Incident`, …), since GitLab 17.2. */
  type: optional(z.string()),
});

/**
 * Issue Hook and Confidential Issue Hook: issues and Service Desk issues come as `issue`,
 * every other work item type (task, incident, test case, …) as `work_item`, with
 * `confidential_` before the event type when confidential (webhook_events.md, "Work item events").
 */
export const issueHookSchema = z.looseObject({
  object_kind: z.enum(['issue', 'work_item']),
  event_type: optional(z.enum(['issue', 'confidential_issue', 'work_item', 'confidential_work_item'])),
  user,
  project,
  object_attributes: issueAttributes,
  labels: optional(z.array(label)),
  changes,
});

const noteAttributes = z.looseObject({
  id: z.number().int(),
  note: z.string(),
  /** Only these two reach the schema: parseEvent ignores comments on commits, snippets and the rest first. */
  noteable_type: z.enum(['Issue', 'MergeRequest']),
  author_id: optional(z.number().int()),
  system: optional(z.boolean()),
  action: optional(z.enum(['create', 'update'])),
  created_at: optional(gitlabTime),
  updated_at: optional(gitlabTime),
  url: optional(z.string()),
});

const noteableRef = z.looseObject({ id: z.number().int(), iid: z.number().int() });

export const noteHookSchema = z.looseObject({
  object_kind: z.literal('note'),
  event_type: optional(z.enum(['note', 'confidential_note'])),
  user,
  project,
  object_attributes: noteAttributes,
  issue: optional(noteableRef),
  merge_request: optional(noteableRef),
});

const mergeRequestAttributes = z.looseObject({
  id: z.number().int(),
  iid: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.string(),
  action: optional(z.string()),
  target_project_id: optional(z.number().int()),
  source_branch: optional(z.string()),
  target_branch: optional(z.string()),
  last_commit: z.looseObject({ id: z.string() }).nullish(),
  /** The previous head on an update that pushed commits (GitLab's merge request events docs). */
  oldrev: z.string().nullish(),
  updated_at: optional(gitlabTime),
});

export const mergeRequestHookSchema = z.looseObject({
  object_kind: z.literal('merge_request'),
  event_type: optional(z.literal('merge_request')),
  user,
  project,
  object_attributes: mergeRequestAttributes,
  labels: optional(z.array(label)),
  changes,
});

/**
 * Emoji Hook (webhook_events.md, "Emoji events"): a reaction awarded or revoked. The bot reads
 * those on a merge request itself (`awardable_type: MergeRequest`, the merge request under
 * `merge_request`); parseEvent ignores reactions on comments, issues and snippets first.
 */
export const emojiHookSchema = z.looseObject({
  object_kind: z.literal('emoji'),
  event_type: optional(z.string()),
  user,
  project,
  object_attributes: z.looseObject({
    id: z.number().int(),
    name: z.string(),
    awardable_type: z.literal('MergeRequest'),
    awardable_id: optional(z.number().int()),
    action: optional(z.string()),
  }),
  merge_request: noteableRef,
});

export type IssueHook = z.infer<typeof issueHookSchema>;
export type NoteHook = z.infer<typeof noteHookSchema>;
export type MergeRequestHook = z.infer<typeof mergeRequestHookSchema>;
export type EmojiHook = z.infer<typeof emojiHookSchema>;
