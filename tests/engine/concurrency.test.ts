import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../src/engine/concurrency.js';

async function* numbers(count: number, pulled: number[]): AsyncIterable<number> {
  for (let i = 0; i < count; i += 1) {
    pulled.push(i);
    yield i;
  }
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('forEachConcurrently', () => {
  it('keeps at most `limit` items in flight and handles every item once', async () => {
    const pulled: number[] = [];
    const done: number[] = [];
    let inFlight = 0;
    let most = 0;
    await forEachConcurrently(numbers(20, pulled), 4, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick(2);
      inFlight -= 1;
      done.push(n);
    });
    expect(most).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('stops taking items after an error and throws it once the others end', async () => {
    const pulled: number[] = [];
    await expect(
      forEachConcurrently(numbers(100, pulled), 2, async (n) => {
        await tick(1);
        if (n === 3) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(pulled.length).toBeLessThan(10);
  });
});
