import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Everything the server puts in a metric label or a log field that comes from a request
// comes from a fixed set or is validated and bounded here. A stranger can send any header
// values; none of them may grow the metrics registry or the log.

/** `X-Gitlab-Event` values GitLab sends (doc/user/project/integrations/webhook_events.md). */
export const GITLAB_HOOK_NAMES = [
  'Push Hook',
  'Tag Push Hook',
  'Issue Hook',
  'Confidential Issue Hook',
  'Note Hook',
  'Confidential Note Hook',
  'Merge Request Hook',
  'Wiki Page Hook',
  'Pipeline Hook',
  'Job Hook',
  'Deployment Hook',
  'Feature Flag Hook',
  'Release Hook',
  'Milestone Hook',
  'Emoji Hook',
  'Resource Access Token Hook',
  'Member Hook',
  'Subgroup Hook',
  'Project Hook',
  'Vulnerability Hook',
  'System Hook',
] as const;

const HOOK_NAMES = new Set<string>(GITLAB_HOOK_NAMES);

/** The event label for metrics and logs: a GitLab hook name, `other` for anything else, `none` when missing. */
export function eventLabel(header: string | undefined): string {
  if (header === undefined) return 'none';
  return HOOK_NAMES.has(header) ? header : 'other';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID header for the logs: the value when it is a UUID, `invalid` otherwise. */
export function uuidField(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return UUID.test(value) ? value : 'invalid';
}

/** Longest `Idempotency-Key` kept as is; GitLab sends a UUID (36 characters). */
export const MAX_IDEMPOTENCY_KEY = 64;
const KEY_CHARS = /^[A-Za-z0-9._:-]+$/;

/**
 * The Idempotency-Key as the dedupe store keeps it: the key itself when it is short and
 * plain, else its SHA-256 (so every stored key is at most 64 characters, and one key
 * still matches its resends).
 */
export function dedupeKey(value: string): string {
  return value.length <= MAX_IDEMPOTENCY_KEY && KEY_CHARS.test(value) ? value : `sha256:${createHash('sha256').update(value).digest('base64url')}`;
}

/** The Idempotency-Key for a log field: the key when short and plain, else `invalid`. */
export function idempotencyField(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.length <= MAX_IDEMPOTENCY_KEY && KEY_CHARS.test(value) ? value : 'invalid';
}

/** Cuts a text for a log line (a parse error may quote the body). */
export function truncate(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The delivery's log fields, bounded: nothing here can be made large or varied by the sender. */
export function deliveryFields(req: IncomingMessage): Record<string, string | undefined> {
  return {
    event: eventLabel(header(req, 'x-gitlab-event')),
    eventUuid: uuidField(header(req, 'x-gitlab-event-uuid')),
    webhookUuid: uuidField(header(req, 'x-gitlab-webhook-uuid')),
    idempotencyKey: idempotencyField(header(req, 'idempotency-key')),
  };
}
