// GitLab's background jobs that run later than the request that queued them (Sidekiq
// `perform_in`): each runs on a timer, or at once when a test drains the queue (like
// Sidekiq::Testing's `drain_all`), so no test waits out GitLab's delays.

export class DelayedJobs {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  /** Runs `job` after `delayMs` unless drained or cancelled first. */
  later(delayMs: number, job: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      job();
    }, delayMs);
    timer.unref();
    this.pending.set(timer, job);
  }

  /** Runs every pending job now, in the order queued; returns how many ran. */
  drain(): number {
    const jobs = [...this.pending];
    this.cancel();
    for (const [, job] of jobs) job();
    return jobs.length;
  }

  cancel(): void {
    for (const timer of this.pending.keys()) clearTimeout(timer);
    this.pending.clear();
  }
}
