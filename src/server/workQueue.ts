const settled = () => undefined;

/**
 * The bounded in-process queue between accepting a delivery (202) and doing its
 * work. Jobs for the same issue run one after another, in arrival order; jobs for
 * different issues run in parallel up to the concurrency. (A plain counter and a FIFO of
 * waiting starts: this runs once per delivery, on the hot path.)
 */
export class WorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  /** Starts waiting for a free slot, oldest first. */
  private readonly waitingForSlot: (() => void)[] = [];
  private waiting = 0;
  private running = 0;

  constructor(
    private readonly limit: number,
    private readonly concurrency: number,
  ) {}

  /** Jobs accepted and not yet finished. */
  get depth(): number {
    return this.waiting;
  }

  /** False when the queue is full: the caller answers 503 so GitLab can retry later. */
  offer(resourceKey: string, job: () => Promise<void>): boolean {
    if (this.waiting >= this.limit) return false;
    this.waiting += 1;
    const previous = this.tails.get(resourceKey);
    const started = previous ? previous.then(() => this.acquire()) : this.acquire();
    const next: Promise<void> = started
      .then(job)
      .then(settled, settled)
      .then(() => {
        this.release();
        this.waiting -= 1;
        if (this.tails.get(resourceKey) === next) this.tails.delete(resourceKey);
      });
    this.tails.set(resourceKey, next);
    return true;
  }

  /** Resolves once every accepted job has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waitingForSlot.push(resolve));
  }

  /** Hands the slot to the oldest waiting start, or frees it. */
  private release(): void {
    const next = this.waitingForSlot.shift();
    if (next) next();
    else this.running -= 1;
  }
}
