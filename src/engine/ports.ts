import { AsyncLocalStorage } from 'node:async_hooks';
import type { GitLabGateway } from '../gitlab/types.js';
import type { ChatMessage } from '../notify/message.js';

/**
 * Ports: the doors through which the executor's effects leave the process. Each has a real
 * implementation and a dry-run twin that records into the run's `DryRunRecord` instead of
 * sending, chosen once at start-up (`runtime.ts`). Handlers (`handlers/`) reach a port only
 * through their context; the executor applies dry run, the write budget and outcomes
 * (`AppliedChange.port`, which `/metrics` and the run summaries count) to every port alike.
 *
 * Adding a port (e.g. a chat notifier): its interface as a member here, the real one and its
 * recording twin wired in `runtime.ts`, and the handler of the action that uses it.
 */
export interface Ports {
  /** Every write the bot makes to GitLab: a slice of the gateway, or the `DryRunWriter`. */
  gitlab: GitLabPort;
  /** Chat messages (Slack webhooks): `SlackChat`, or the `DryRunChat`. */
  chat: ChatPort;
}

/** Sends one message to a configured channel (`notifications.slack[].name`); throws when it was not delivered. */
export interface ChatPort {
  send(channel: string, message: ChatMessage): Promise<void>;
}

/** The chat port of a bot with no channel configured: no rule plans a message then. */
export const NO_CHAT: ChatPort = {
  send: (channel) => Promise.reject(new Error(`notifications: no chat channel "${channel}" is configured`)),
};

export type PortName = keyof Ports;

/** GitLab's writes: the rules' (issues, notes, statuses, renames) and the sync commands' (labels, files and merge requests, schedules). */
export type GitLabPort = Pick<
  GitLabGateway,
  | 'updateIssue'
  | 'updateMergeRequest'
  | 'createNote'
  | 'updateNote'
  | 'deleteNote'
  | 'setCommitStatus'
  | 'renameUser'
  | 'createIssue'
  | 'commitFiles'
  | 'createMergeRequest'
  | 'createLabel'
  | 'updateLabel'
  | 'createPipelineSchedule'
  | 'updatePipelineSchedule'
  | 'setPipelineScheduleVariable'
  | 'takePipelineScheduleOwnership'
  | 'deletePipelineSchedule'
  | 'awardEmoji'
  | 'removeAwardEmoji'
>;

/** Why a write is made: the rules (or command) it serves and their reason. */
export interface WriteCause {
  rules: readonly string[];
  reason: string;
}

// The cause of the write being sent, across the awaits of its send (a note is posted after its
// duplicates are looked for), so a recording twin can say why without every port method taking it.
const currentCause = new AsyncLocalStorage<WriteCause>();

/** Runs `send` (one write through a port) as made for `cause`: a dry run lists the write with it. */
export function sendFor<T>(cause: WriteCause, send: () => Promise<T>): Promise<T> {
  return currentCause.run(cause, send);
}

/** One write a dry run did not send. */
export interface RecordedWrite {
  port: PortName;
  method: string;
  target: string;
  detail: Record<string, unknown>;
  /** Why, when the write went through the executor's effects (`sendFor`). */
  cause?: WriteCause;
}

/** What a dry run would have sent, through every port, in order: the recording twins share one. */
export class DryRunRecord {
  readonly writes: RecordedWrite[] = [];

  add(port: PortName, method: string, target: string, detail: Record<string, unknown>): void {
    const cause = currentCause.getStore();
    this.writes.push({ port, method, target, detail, ...(cause ? { cause } : {}) });
  }
}
