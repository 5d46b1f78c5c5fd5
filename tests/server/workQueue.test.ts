import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/server/workQueue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('WorkQueue', () => {
  it('runs jobs of one resource in order, others in parallel up to the concurrency, and refuses past the limit', async () => {
    const queue = new WorkQueue(5, 2);
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const job = (name: string) => async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      inFlight -= 1;
    };
    expect(queue.offer('a', job('a1'))).toBe(true);
    expect(queue.offer('a', job('a2'))).toBe(true);
    expect(queue.offer('b', job('b1'))).toBe(true);
    expect(queue.offer('c', job('c1'))).toBe(true);
    expect(
      queue.offer('d', async () => {
        throw new Error('a failing job frees its slot');
      }),
    ).toBe(true);
    expect(queue.offer('e', job('e1'))).toBe(false);
    expect(queue.depth).toBe(5);
    await queue.drain();
    expect(queue.depth).toBe(0);
    expect(most).toBe(2);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(4);
    expect(queue.offer('e', job('e1'))).toBe(true);
    await queue.drain();
  });
});
