/** A cap on the writes one run may make (actions/stale's operations budget). */
export class WriteBudget {
  private used = 0;

  constructor(readonly limit: number = Number.POSITIVE_INFINITY) {}

  /** Takes one write from the budget; false once it is spent. */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  get spent(): number {
    return this.used;
  }
}
