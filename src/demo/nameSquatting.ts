import type { SandboxStore } from '../sandbox/index.js';

// Name Squatting Requests written straight into the sandbox's store with past dates, as if
// Support had worked on them for a while: for the demo and the dormant-namespace tests.

export const DAY_MS = 86_400_000;
export const daysAgo = (days: number): Date => new Date(Date.now() - days * DAY_MS);

/** A Name Squatting Request as the shipped template leaves it: its guidance comment and example line kept, `namespace` below them. */
export function nameSquattingRequest(namespace: string): string {
  return `<!-- template: Name Squatting Request -->
## Requested namespace

<!-- The namespace that is wanted, as a URL or a path. -->

Example: https://gitlab.com/example-namespace

${namespace}

## Requester

sam-sales

## Intended use

A new open source project under this name.
`;
}

/**
 * A confidential request by sam-sales for `namespace`, opened `openedDaysAgo` days ago and
 * already triaged, with a contact attempt by chen each of `attemptDaysAgo` days ago. Returns its iid.
 */
export function seedWorkedRequest(store: SandboxStore, projectId: number, namespace: string, attemptDaysAgo: readonly number[], openedDaysAgo: number): number {
  const requester = store.findUserByUsername('sam-sales')!;
  const chen = store.findUserByUsername('chen')!;
  const openedAt = daysAgo(openedDaysAgo);
  const issue = store.createIssue(projectId, {
    title: `Release the namespace ${namespace}`,
    description: nameSquattingRequest(namespace),
    authorId: requester.id,
    labels: ['template::name-squatting-request', 'triage::ready'],
    confidential: true,
    createdAt: openedAt,
    updatedAt: openedAt,
  });
  for (const days of attemptDaysAgo) store.createNote(issue, { body: "Contact attempt: emailed the account's address, no answer.", authorId: chen.id, createdAt: daysAgo(days) });
  return issue.iid;
}
