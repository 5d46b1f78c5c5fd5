import type { z } from 'zod';
import { emojiHookSchema, issueHookSchema, mergeRequestHookSchema, noteHookSchema } from './schemas.js';
import { isEventKey, type BotEvent } from './types.js';

export type ParseResult = { status: 'event'; event: BotEvent } | { status: 'ignored'; reason: string } | { status: 'invalid'; error: string };

/**
 * `X-Gitlab-Event` header values and the `object_kind`s the bot reads under each. A system
 * hook delivers merge request events in the project hook's shape (system_hooks.md, "Merge
 * request events"); everything else it sends is named by `event_name` and not handled.
 */
const HEADER_KINDS = new Map<string, readonly string[]>([
  ['Issue Hook', ['issue', 'work_item']],
  ['Confidential Issue Hook', ['issue', 'work_item']],
  ['Note Hook', ['note']],
  ['Confidential Note Hook', ['note']],
  ['Merge Request Hook', ['merge_request']],
  ['Emoji Hook', ['emoji']],
  ['System Hook', ['merge_request']],
]);

/** The `X-Gitlab-Event` header GitLab sends with a body (for replaying a saved delivery). */
export function hookHeaderFor(body: unknown): string | undefined {
  const { object_kind: kind, event_type: type } = (body ?? {}) as { object_kind?: unknown; event_type?: unknown };
  if (kind === 'issue' || kind === 'work_item') return type === `confidential_${kind}` ? 'Confidential Issue Hook' : 'Issue Hook';
  if (kind === 'note') return type === 'confidential_note' ? 'Confidential Note Hook' : 'Note Hook';
  if (kind === 'merge_request') return 'Merge Request Hook';
  if (kind === 'emoji') return 'Emoji Hook';
  return undefined;
}

function describeZodError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid payload';
  const path = first.path.length > 0 ? first.path.join('.') : '(root)';
  return `${path}: ${first.message}`;
}

function changedFields(changes: Record<string, unknown> | undefined): string[] {
  return changes ? Object.keys(changes) : [];
}

function labelChangeOf(changes: { labels?: { previous?: { title: string }[] | null; current?: { title: string }[] | null } } | undefined) {
  const labels = changes?.labels;
  if (!labels) return {};
  return { labelChange: { previous: (labels.previous ?? []).map((l) => l.title), current: (labels.current ?? []).map((l) => l.title) } };
}

/**
 * Turns a webhook body into a typed event. The same function serves the server
 * (with the `X-Gitlab-Event` header) and pipeline triggers (body only).
 */
export function parseEvent(body: unknown, headerEvent?: string): ParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 'invalid', error: '(root): expected a JSON object' };
  }
  // The header first: what the bot does not handle is ignored whatever its body holds
  // (member, project and subgroup events, and most system hook events, have no object_kind).
  const kinds = headerEvent === undefined ? undefined : HEADER_KINDS.get(headerEvent);
  if (headerEvent !== undefined && kinds === undefined) return { status: 'ignored', reason: `event "${headerEvent}" is not handled` };

  const { object_kind: objectKind, event_name: eventName } = body as { object_kind?: unknown; event_name?: unknown };
  if (typeof objectKind !== 'string') {
    // Group and system hook events name themselves in event_name only (webhook_events.md, system_hooks.md).
    const namedOnly = typeof eventName === 'string' && (headerEvent === undefined || headerEvent === 'System Hook');
    if (namedOnly) return { status: 'ignored', reason: `event "${eventName}" is not handled` };
    return { status: 'invalid', error: 'object_kind: expected a string' };
  }
  if (kinds !== undefined && !kinds.includes(objectKind)) {
    if (headerEvent === 'System Hook') return { status: 'ignored', reason: `system hook event "${objectKind}" is not handled` };
    return { status: 'invalid', error: `object_kind: "${objectKind}" does not match X-Gitlab-Event "${headerEvent}"` };
  }

  switch (objectKind) {
    case 'issue':
    case 'work_item': {
      // Group-level work items (epics) belong to no project: nothing the bot watches.
      const { project } = body as { project?: unknown };
      if (objectKind === 'work_item' && (project === null || project === undefined)) return { status: 'ignored', reason: 'work items outside a project (epics) are not handled' };
      const parsed = issueHookSchema.safeParse(body);
      if (!parsed.success) return { status: 'invalid', error: describeZodError(parsed.error) };
      const hook = parsed.data;
      const action = hook.object_attributes.action ?? 'update';
      return {
        status: 'event',
        event: {
          key: `issue.${action}`,
          kind: 'issue',
          actor: { id: hook.user.id, username: hook.user.username, name: hook.user.name },
          projectId: hook.project.id,
          projectPath: hook.project.path_with_namespace,
          iid: hook.object_attributes.iid,
          changed: changedFields(hook.changes),
          ...labelChangeOf(hook.changes),
          payload: hook,
        },
      };
    }
    case 'note': {
      // What the comment is on decides first: comments on commits, snippets, epics… are
      // not handled, whatever else their body holds (a personal snippet's has no project).
      const { object_attributes: attributes } = body as { object_attributes?: { noteable_type?: unknown } };
      const declared = attributes?.noteable_type;
      if (typeof declared === 'string' && declared !== 'Issue' && declared !== 'MergeRequest') {
        return { status: 'ignored', reason: `notes on ${declared} are not handled` };
      }
      const parsed = noteHookSchema.safeParse(body);
      if (!parsed.success) return { status: 'invalid', error: describeZodError(parsed.error) };
      const hook = parsed.data;
      const noteable = hook.object_attributes.noteable_type;
      const target = noteable === 'Issue' ? hook.issue : hook.merge_request;
      if (!target) {
        const field = noteable === 'Issue' ? 'issue' : 'merge_request';
        return { status: 'invalid', error: `${field}: required for a note on ${noteable}` };
      }
      return {
        status: 'event',
        event: {
          key: noteable === 'Issue' ? 'note.issue' : 'note.merge_request',
          kind: 'note',
          actor: { id: hook.user.id, username: hook.user.username, name: hook.user.name },
          projectId: hook.project.id,
          projectPath: hook.project.path_with_namespace,
          iid: target.iid,
          noteId: hook.object_attributes.id,
          noteBody: hook.object_attributes.note,
          payload: hook,
        },
      };
    }
    case 'merge_request': {
      const parsed = mergeRequestHookSchema.safeParse(body);
      if (!parsed.success) return { status: 'invalid', error: describeZodError(parsed.error) };
      const hook = parsed.data;
      const key = `merge_request.${hook.object_attributes.action ?? 'update'}`;
      if (!isEventKey(key)) return { status: 'ignored', reason: `merge request action "${hook.object_attributes.action}" is not handled` };
      return {
        status: 'event',
        event: {
          key: key as BotEvent['key'] & `merge_request.${string}`,
          kind: 'merge_request',
          actor: { id: hook.user.id, username: hook.user.username, name: hook.user.name },
          projectId: hook.project.id,
          projectPath: hook.project.path_with_namespace,
          iid: hook.object_attributes.iid,
          sha: hook.object_attributes.last_commit?.id,
          changed: [...changedFields(hook.changes), ...(hook.object_attributes.oldrev ? ['commits'] : [])],
          payload: hook,
        },
      };
    }
    case 'emoji': {
      // Only a reaction on a merge request itself can be an artifact of approval; one on a
      // comment, an issue or a snippet is not, whatever else its body holds.
      const { object_attributes: attributes } = body as { object_attributes?: { awardable_type?: unknown } };
      const on = attributes?.awardable_type;
      if (on !== 'MergeRequest') return { status: 'ignored', reason: `emoji reactions on ${typeof on === 'string' ? on : 'this'} are not handled` };
      const parsed = emojiHookSchema.safeParse(body);
      if (!parsed.success) return { status: 'invalid', error: describeZodError(parsed.error) };
      const hook = parsed.data;
      return {
        status: 'event',
        event: {
          key: 'emoji.merge_request',
          kind: 'emoji',
          actor: { id: hook.user.id, username: hook.user.username, name: hook.user.name },
          projectId: hook.project.id,
          projectPath: hook.project.path_with_namespace,
          iid: hook.merge_request.iid,
          action: hook.object_attributes.action ?? hook.event_type ?? 'award',
          emoji: hook.object_attributes.name,
          payload: hook,
        },
      };
    }
    default:
      return { status: 'ignored', reason: `object_kind "${objectKind}" is not handled` };
  }
}
