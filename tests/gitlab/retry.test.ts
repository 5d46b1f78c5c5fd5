import { describe, expect, it } from 'vitest';
import { GitLabError } from '../../src/gitlab/errors.js';
import { withRetry } from '../../src/gitlab/retry.js';

const policy = { retries: 3, baseMs: 1, maxMs: 5 };

function failing(statuses: (number | undefined)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    attempt: async () => {
      const status = statuses[calls++];
      if (calls <= statuses.length) throw new GitLabError('x', 'GET', 'projects/1', status);
      return 'ok';
    },
  };
}

describe('retry policy', () => {
  it('retries 429, 5xx and network errors on idempotent calls', async () => {
    const f = failing([429, 500, undefined]);
    await expect(withRetry(policy, 'idempotent', f.attempt)).resolves.toBe('ok');
    expect(f.calls).toBe(4);
  });

  it('does not retry a 4xx', async () => {
    const f = failing([404]);
    await expect(withRetry(policy, 'idempotent', f.attempt)).rejects.toThrow(GitLabError);
    expect(f.calls).toBe(1);
  });

  it('retries a create only on 429, when GitLab certainly did not act', async () => {
    const rateLimited = failing([429]);
    await expect(withRetry(policy, 'creates', rateLimited.attempt)).resolves.toBe('ok');
    const serverError = failing([500]);
    await expect(withRetry(policy, 'creates', serverError.attempt)).rejects.toThrow(GitLabError);
    expect(serverError.calls).toBe(1);
  });

  it('gives up after the bounded number of retries', async () => {
    const f = failing([502, 502, 502, 502, 502]);
    await expect(withRetry(policy, 'idempotent', f.attempt)).rejects.toThrow(GitLabError);
    expect(f.calls).toBe(4);
  });
});
