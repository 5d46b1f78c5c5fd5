import type { Logger } from 'pino';

/**
 * Logs at most `perWindow` lines per window; the rest are counted and reported in one
 * line when the next window opens. For rejected deliveries: anyone can send them, as
 * fast as they like, and each must not cost a log line.
 */
export class RateLimitedLog {
  private windowStart = -Infinity;
  private logged = 0;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly perWindow = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(fields: object, message: string): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0)
        this.log.warn({ suppressed: this.suppressed }, `${this.suppressed} more rejected deliveries were not logged (at most ${this.perWindow} per ${this.windowMs / 1000} s)`);
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged < this.perWindow) {
      this.logged += 1;
      this.log.warn(fields, message);
    } else {
      this.suppressed += 1;
    }
  }
}
