import type { UserRef } from '../gitlab/types.js';
import type { EmojiHook, IssueHook, MergeRequestHook, NoteHook } from './schemas.js';

export const ISSUE_EVENT_KEYS = ['issue.open', 'issue.update', 'issue.close', 'issue.reopen'] as const;
export const NOTE_EVENT_KEYS = ['note.issue', 'note.merge_request'] as const;
export const MERGE_REQUEST_EVENT_KEYS = [
  'merge_request.open',
  'merge_request.update',
  'merge_request.close',
  'merge_request.reopen',
  'merge_request.merge',
  'merge_request.approved',
  'merge_request.unapproved',
  'merge_request.approval',
  'merge_request.unapproval',
] as const;
/** An emoji reaction added to or removed from a merge request (a :thumbsup: can be an artifact of approval). */
export const EMOJI_EVENT_KEYS = ['emoji.merge_request'] as const;
export const EVENT_KEYS = [...ISSUE_EVENT_KEYS, ...NOTE_EVENT_KEYS, ...MERGE_REQUEST_EVENT_KEYS, ...EMOJI_EVENT_KEYS] as const;

export type IssueEventKey = (typeof ISSUE_EVENT_KEYS)[number];
export type NoteEventKey = (typeof NOTE_EVENT_KEYS)[number];
export type MergeRequestEventKey = (typeof MERGE_REQUEST_EVENT_KEYS)[number];
export type EmojiEventKey = (typeof EMOJI_EVENT_KEYS)[number];
export type EventKey = (typeof EVENT_KEYS)[number];

interface EventBase {
  /** Who caused the event: the bot ignores its own changes. */
  actor: UserRef;
  projectId: number;
  projectPath: string;
  iid: number;
}

export interface IssueEvent extends EventBase {
  key: IssueEventKey;
  kind: 'issue';
  /** Fields GitLab reports as changed by this update (title, description, labels, …). */
  changed: string[];
  /** Label titles before and after, when GitLab reports a label change. */
  labelChange?: { previous: string[]; current: string[] };
  payload: IssueHook;
}

export interface NoteEvent extends EventBase {
  key: NoteEventKey;
  kind: 'note';
  noteId: number;
  noteBody: string;
  payload: NoteHook;
}

export interface MergeRequestEvent extends EventBase {
  key: MergeRequestEventKey;
  kind: 'merge_request';
  sha: string | undefined;
  /** Fields GitLab reports as changed; `commits` when an update pushed new commits (GitLab sends `oldrev`). */
  changed: string[];
  payload: MergeRequestHook;
}

export interface EmojiEvent extends EventBase {
  key: EmojiEventKey;
  kind: 'emoji';
  /** `award` or `revoke`. */
  action: string;
  /** The emoji's name (`thumbsup`). */
  emoji: string;
  payload: EmojiHook;
}

export type BotEvent = IssueEvent | NoteEvent | MergeRequestEvent | EmojiEvent;

export function isEventKey(value: string): value is EventKey {
  return (EVENT_KEYS as readonly string[]).includes(value);
}
