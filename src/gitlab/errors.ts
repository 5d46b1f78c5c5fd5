/** A GitLab API answer other than 2xx, or a request that never got one. */
export class GitLabError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly endpoint: string,
    /** HTTP status; undefined for network errors and timeouts. */
    readonly status: number | undefined,
    /** Seconds from a Retry-After header, when GitLab sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GitLabError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export function isGitLabError(error: unknown): error is GitLabError {
  return error instanceof GitLabError;
}

/**
 * Could retrying this request change the outcome? 429 and network failures are
 * transient; so are 5xx answers. 4xx answers (bad token, missing resource, invalid
 * input) are not: they need the operator, not another try.
 */
export function isTransient(error: unknown): boolean {
  if (!isGitLabError(error)) return false;
  return error.status === undefined || error.status === 429 || error.status >= 500;
}

/** Did GitLab certainly not act on the request? (Then even a non-idempotent write may be retried.) */
export function certainlyNotApplied(error: unknown): boolean {
  return isGitLabError(error) && error.status === 429;
}
