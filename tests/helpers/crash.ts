import type { Stack } from '../../src/demo/stack.js';
import type { Fault } from '../../src/sandbox/faults.js';

/** How a run ends early: killed (its next writes never happen), killed with its last write applied but unanswered, or only its note POSTs failing past the retries. */
export type CrashMode = 'kill' | 'kill-after-apply' | 'post-fails';

/**
 * After `allowed` writes (non-GET requests to the sandbox), every write fails until `heal()`,
 * as for a process that is gone; `post-fails` fails only note POSTs. Written for "protect, then
 * tell" (issue 21 case 1): the next run must finish from what GitLab holds.
 */
export function crashAfter(stack: Stack, allowed: number, mode: CrashMode): { heal(): void } {
  const { faults } = stack.sandbox;
  const take = faults.take.bind(faults);
  let writes = 0;
  faults.take = (method: string, path: string): Fault | null => {
    if (method === 'GET') return take(method, path);
    writes += 1;
    const fail = (afterApply: boolean): Fault => ({ status: 500, afterApply, dropConnection: false });
    if (mode === 'post-fails') return method === 'POST' && /\/notes$/.test(path) ? fail(false) : take(method, path);
    if (writes <= allowed) return mode === 'kill-after-apply' && writes === allowed ? fail(true) : take(method, path);
    return fail(false);
  };
  return {
    heal() {
      faults.take = take;
    },
  };
}

/** Every crash point of a run of `writes` writes, in each mode that applies there. */
export function crashPoints(writes: number): { allowed: number; mode: CrashMode }[] {
  const points: { allowed: number; mode: CrashMode }[] = [{ allowed: 0, mode: 'post-fails' }];
  for (let allowed = 0; allowed < writes; allowed += 1) {
    points.push({ allowed, mode: 'kill' });
    if (allowed > 0) points.push({ allowed, mode: 'kill-after-apply' });
  }
  return points;
}
