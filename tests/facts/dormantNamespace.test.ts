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
});
