// The headers GitLab sends with a webhook delivery (app/services/web_hook_service.rb,
// `build_headers`; doc/user/project/integrations/webhooks.md, "Delivery headers"): the event
// name, the secret token, a UUID per hook, per event and per request, the instance URL, the
// Idempotency-Key kept across retries of one delivery, and GitLab's User-Agent.

export const GITLAB_USER_AGENT = 'GitLab/18.6.0';

export function gitlabHeaders(event: string, token: string, idempotencyKey: string = crypto.randomUUID(), instance = 'https://gitlab.example.com'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': GITLAB_USER_AGENT,
    'x-gitlab-event': event,
    'x-gitlab-token': token,
    'x-gitlab-instance': instance,
    'x-gitlab-webhook-uuid': '02affd2d-2cba-4033-917d-ec22d5dc4b38',
    'x-gitlab-event-uuid': crypto.randomUUID(),
    'idempotency-key': idempotencyKey,
  };
}
