import { isGitLabError } from '../gitlab/errors.js';
import type { ProjectScope } from '../subjects.js';

// A project the review cannot read (a plain 403 on it, a 404, a 5xx after retries) is named
// in the review and left out of it, as the sweep skips it; a token GitLab refuses outright
// (401, 403 insufficient_scope) is bad for every project and stops the run.

/** A configured project the review could not read, as the review and the summary name it. */
export interface UnreadableProject {
  key: string;
  path: string;
  /** GitLab's answer (403, 404, 500…); null when it gave none. */
  status: number | null;
}

export class ProjectUnreadable extends Error {
  constructor(
    readonly project: UnreadableProject,
    cause: unknown,
  ) {
    super(`${project.path} could not be read: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'ProjectUnreadable';
  }
}

/** What a project answered when it could not be read; null for a refused token or any other error, which stop the run. */
export function unreadableFrom(key: string, path: string, error: unknown): UnreadableProject | null {
  if (!isGitLabError(error) || error.isRefusedToken) return null;
  return { key, path, status: error.status ?? null };
}

/** Reads from one project; GitLab's refusal of that project becomes `ProjectUnreadable`. */
export async function fromProject<T>(scope: ProjectScope, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const unreadable = unreadableFrom(scope.key, scope.path, error);
    throw unreadable ? new ProjectUnreadable(unreadable, error) : error;
  }
}

/** `gitlab-com/support/feedback (403)`. */
export function describeUnreadable(project: UnreadableProject): string {
  return `${project.path}${project.status ? ` (${project.status})` : ''}`;
}
