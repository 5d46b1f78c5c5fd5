import { describe, expect, it } from 'vitest';
import { endpointTemplate, RequestStats } from '../../src/gitlab/stats.js';

describe('request stats', () => {
  it.each([
    ['projects/gitlab-com%2Fsupport%2Fx/issues/12/notes', 'projects/:id/issues/:iid/notes'],
    ['projects/2/issues', 'projects/:id/issues'],
    ['projects/2/issues/3/notes/99', 'projects/:id/issues/:iid/notes/:id'],
    ['users/5/events', 'users/:id/events'],
    ['projects/2/statuses/da1560886d4f094c3e6c9ef40349f7d38b5d27d7', 'projects/:id/statuses/:sha'],
    // Names from issues and comments (a requested namespace, a linked project) are not labels.
    ['namespaces/some-squatted-name', 'namespaces/:id'],
    ['namespaces/some.name/exists', 'namespaces/:id/exists'],
    ['groups/gitlab-com%2Fsupport/members', 'groups/:id/members'],
    ['g%2Fmade-up-path/issues/3/notes/9', ':value/issues/:iid/notes/:id'],
  ])('templates %s', (endpoint, template) => {
    expect(endpointTemplate(endpoint)).toBe(template);
  });

  it('counts by method, endpoint and status', () => {
    const stats = new RequestStats();
    stats.record('GET', 'projects/1/issues', 200);
    stats.record('GET', 'projects/2/issues', 200);
    stats.record('PUT', 'projects/2/issues/4', 500);
    expect(stats.total()).toBe(3);
    expect(stats.writes()).toBe(1);
    expect(stats.snapshot()).toContainEqual({ method: 'GET', endpoint: 'projects/:id/issues', status: '200', count: 2 });
  });
});
