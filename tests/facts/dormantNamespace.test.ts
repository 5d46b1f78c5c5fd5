import { describe, expect, it } from 'vitest';
import { loadNamespaceFacts } from '../../src/facts/dormantNamespace.js';
import { toUserEvent } from '../../src/gitlab/mapping.js';
import type { GitLabGateway } from '../../src/gitlab/types.js';

// doc/api/events.md, "Get user contribution events": three of the example's four events
// carry no created_at. The newest event then dates nothing, and the activity criterion
// must stay "cannot verify" rather than fail the whole Name Squatting Request's check.

async function* none<T>(): AsyncIterable<T> {}

function gatewayWithNewestEvent(event: Record<string, unknown>): GitLabGateway {
  return {
    findUser: async () => ({ id: 7, username: 'coolname', state: 'active' }),
    async *listUserEvents() {
      yield toUserEvent(event);
    },
    listOwnedProjects: () => none(),
    listUserContributedProjects: () => none(),
    namespaceExists: async () => ({ exists: false, suggests: [] }),
  } as unknown as GitLabGateway;
}

describe('dormant namespace facts', () => {
  it('an undated newest event leaves the activity unverified instead of failing the read', async () => {
    const facts = await loadNamespaceFacts('coolname', 'idle', gatewayWithNewestEvent({ id: 1, action_name: 'closed', project_id: 1, target_type: 'Issue' }));
    expect(facts.kind).toBe('user');
    if (facts.kind !== 'user') return;
    expect(facts.latestEvent).toEqual({ ok: false, why: expect.stringContaining('created_at: missing') });
    expect(facts.ownedProjects).toEqual({ ok: true, value: [] });
  });

  it('a dated newest event is read as the last contribution', async () => {
    const facts = await loadNamespaceFacts(
      'coolname',
      'idle',
      gatewayWithNewestEvent({ id: 1, action_name: 'opened', project_id: 1, target_type: 'Issue', created_at: '2026-01-02T03:04:05.000Z' }),
    );
    expect(facts.kind === 'user' && facts.latestEvent).toEqual({ ok: true, value: { at: new Date('2026-01-02T03:04:05.000Z'), action: 'opened', targetType: 'Issue' } });
  });

  it('an owned project with no commit and no open issue is read for closed issues, which are data too', async () => {
    const project = (id: number, openIssuesCount: number | null) => ({
      id,
      pathWithNamespace: `coolname/p${id}`,
      webUrl: `https://gitlab.com/coolname/p${id}`,
      lastActivityAt: null,
      archived: false,
      emptyRepo: true,
      openIssuesCount,
      statistics: { commitCount: 0, repositorySize: 0, storageSize: 0 },
    });
    const asked: number[] = [];
    const gateway = {
      ...gatewayWithNewestEvent({ id: 1, action_name: 'opened', project_id: 1, created_at: '2024-01-02T03:04:05.000Z' }),
      async *listOwnedProjects() {
        yield* [project(1, 0), project(2, 0), project(3, 2), project(4, null)];
      },
      async *listIssues(projectId: number, query: { state: string }) {
        asked.push(projectId);
        expect(query.state).toBe('closed');
        if (projectId === 1) yield { iid: 1 };
      },
    } as unknown as GitLabGateway;
    const facts = await loadNamespaceFacts('coolname', 'idle', gateway);
    expect(asked.sort()).toEqual([1, 2]);
    expect(facts.kind === 'user' && facts.ownedProjects.ok && facts.ownedProjects.value.map((p) => p.closedIssues)).toEqual([true, false, undefined, undefined]);
  });
});
