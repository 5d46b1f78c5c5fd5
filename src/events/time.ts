import { z } from 'zod';

// GitLab webhooks send timestamps as "2026-11-16 09:00:00 UTC" in some payloads and as
// ISO 8601 ("2026-11-16T09:00:00Z", "2026-11-16T09:00:00.000+01:00") in others.
const GITLAB_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) UTC$/;
const GITLAB_OFFSET = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ([+-]\d{2}):?(\d{2})$/;

export function parseGitLabTime(text: string): Date | null {
  const utc = GITLAB_UTC.exec(text);
  if (utc) return new Date(`${utc[1]}T${utc[2]}Z`);
  const offset = GITLAB_OFFSET.exec(text);
  if (offset) return new Date(`${offset[1]}T${offset[2]}${offset[3]}:${offset[4]}`);
  const iso = new Date(text);
  return Number.isNaN(iso.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text) ? null : iso;
}

export const gitlabTime = z.string().transform((text, ctx) => {
  const date = parseGitLabTime(text);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: `not a GitLab timestamp: "${text.slice(0, 40)}"` });
    return z.NEVER;
  }
  return date;
});
