import type { Sandbox } from '../../src/sandbox/index.js';

// Name Squatting Requests in the sandbox, written straight into its store with past
// dates, as if Support had worked on them for a while.

export const DAY_MS = 86_400_000;
export const ago = (days: number): Date => new Date(Date.now() - days * DAY_MS);

export const INTERNAL_REQUESTS = 'gitlab-com/support/internal-requests';

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

A new open source project.
`;
}

/** An open request for `namespace`, with contact attempts by chen `attemptDaysAgo` days ago. */
export function openRequest(sandbox: Sandbox, namespace: string, attemptDaysAgo: number[] = [19, 16, 13, 10]): number {
  const { store } = sandbox;
  const project = store.resolveProject(INTERNAL_REQUESTS)!;
  const requester = store.findUserByUsername('sam-sales')!;
  const chen = store.findUserByUsername('chen')!;
  const createdAt = ago(21);
  const issue = store.createIssue(project.id, {
    title: `Release the namespace ${namespace}`,
    description: nameSquattingRequest(namespace),
    authorId: requester.id,
    labels: ['template::name-squatting-request', 'triage::ready'],
    confidential: true,
    createdAt,
    updatedAt: createdAt,
  });
  for (const days of attemptDaysAgo) store.createNote(issue, { body: `Contact attempt: emailed the account's address, no answer.`, authorId: chen.id, createdAt: ago(days) });
  return issue.iid;
}

export function setBotAdmin(sandbox: Sandbox, admin: boolean): void {
  sandbox.store.findUserByUsername('support-bot')!.isAdmin = admin;
}

export const writesOf = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.method !== 'GET');
