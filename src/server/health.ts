/**
 * Whether GitLab is refusing the bot: the last N answers were 401 or 403 (a revoked or
 * under-scoped token). Every event fails then, so `/healthz` says `degraded` with the
 * status; one accepted answer clears it.
 */
export class GitLabHealth {
  private refusedInARow = 0;
  private lastRefusal: number | undefined;

  constructor(private readonly threshold: number) {}

  observe(status: number | 'error'): void {
    if (status === 401 || status === 403) {
      this.refusedInARow += 1;
      this.lastRefusal = status;
    } else if (status !== 'error' && status < 500 && status !== 429) {
      // Network errors, 5xx and 429 say nothing about the token: they neither set nor clear it.
      this.refusedInARow = 0;
    }
  }

  get state(): { degraded: false } | { degraded: true; status: number; refusedInARow: number } {
    if (this.refusedInARow >= this.threshold && this.lastRefusal !== undefined) {
      return { degraded: true, status: this.lastRefusal, refusedInARow: this.refusedInARow };
    }
    return { degraded: false };
  }
}
