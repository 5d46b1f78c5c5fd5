import { seedWorkedRequest } from '../../src/demo/nameSquatting.js';
import type { Sandbox } from '../../src/sandbox/index.js';

// Name Squatting Requests in the sandbox (src/demo/nameSquatting.ts seeds them for the demo too).

export { DAY_MS, daysAgo as ago, nameSquattingRequest } from '../../src/demo/nameSquatting.js';

export const INTERNAL_REQUESTS = 'gitlab-com/support/internal-requests';

/** An open request for `namespace`, three weeks old, with contact attempts by chen `attemptDaysAgo` days ago. */
export function openRequest(sandbox: Sandbox, namespace: string, attemptDaysAgo: number[] = [19, 16, 13, 10]): number {
  const { store } = sandbox;
  return seedWorkedRequest(store, store.resolveProject(INTERNAL_REQUESTS)!.id, namespace, attemptDaysAgo, 21);
}

export function setBotAdmin(sandbox: Sandbox, admin: boolean): void {
  sandbox.store.findUserByUsername('support-bot')!.isAdmin = admin;
}

export const writesOf = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.method !== 'GET');
