/** A run of refusals: how many answers in a row were 401/403, and the last such status. */
class RefusalRun {
  inARow = 0;
  status: number | undefined;

  refused(status: number): void {
    this.inARow += 1;
    this.status = status;
  }

  accepted(): void {
    this.inARow = 0;
  }
}

const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD';

/**
 * Whether GitLab is refusing the bot: the last N answers were 401 or 403 (a revoked
 * token), or the last N writes were (a `read_api` token: every read succeeds and every
 * write is answered 403 `insufficient_scope`, so counting all answers would never
 * notice). Every event fails then, so `/healthz` says `degraded` with the status; one
 * accepted answer (one accepted write, for the writes' run) clears it.
 */
export class GitLabHealth {
  private readonly all = new RefusalRun();
  private readonly writes = new RefusalRun();

  constructor(private readonly threshold: number) {}

  observe(status: number | 'error', method = 'GET'): void {
    // Network errors, 5xx and 429 say nothing about the token: they neither set nor clear it.
    if (status === 'error' || status >= 500 || status === 429) return;
    const refused = status === 401 || status === 403;
    for (const run of isWrite(method) ? [this.all, this.writes] : [this.all]) {
      if (refused) run.refused(status);
      else run.accepted();
    }
  }

  get state(): { degraded: false } | { degraded: true; status: number; refusedInARow: number; refused: 'requests' | 'writes' } {
    if (this.all.inARow >= this.threshold && this.all.status !== undefined) {
      return { degraded: true, status: this.all.status, refusedInARow: this.all.inARow, refused: 'requests' };
    }
    if (this.writes.inARow >= this.threshold && this.writes.status !== undefined) {
      return { degraded: true, status: this.writes.status, refusedInARow: this.writes.inARow, refused: 'writes' };
    }
    return { degraded: false };
  }
}
