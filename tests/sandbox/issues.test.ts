import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCESS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { applyLabelChange, scopedKey } from '../../src/sandbox/labels.js';
import { client } from './helpers.js';

let sb: Sandbox;
let pid: number;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  pid = sb.store.requireProject('gitlab-com/support/feedback').id;
});
afterAll(() => sb.close());

describe('label arithmetic', () => {
  test('the scope key is everything before the last ::', () => {
    expect(scopedKey('a::b::c')).toBe('a::b');
    expect(scopedKey('plain')).toBeNull();
  });

  test('a new scoped value replaces the old one; unscoped labels stay', () => {
    expect(applyLabelChange(['triage::new', 'bug'], { add: ['triage::ready'] })).toEqual(['bug', 'triage::ready']);
    expect(applyLabelChange(['a::b::c'], { add: ['a::b::d'] })).toEqual(['a::b::d']);
    expect(applyLabelChange(['a::x'], { add: ['a::b::y'] })).toEqual(['a::b::y', 'a::x']);
    expect(applyLabelChange([], { labels: ['s::1', 's::2'] })).toEqual(['s::2']);
    expect(applyLabelChange(['x', 'y'], { labels: ['z'], add: ['w'], remove: ['z'] })).toEqual(['w']);
  });
});

describe('issues over HTTP', () => {
  test('create, scoped replacement, add/remove labels in one call', async () => {
    const api = client(sb);
    const created = await api.post(`/projects/${pid}/issues`, { title: 'Feedback A', description: 'd', labels: 'triage::new,feedback' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ iid: 1, project_id: pid, state: 'opened', labels: ['feedback', 'triage::new'], confidential: false, author: { username: 'support-bot' } });
    expect(created.body.references.full).toBe('gitlab-com/support/feedback#1');

    const updated = await api.put(`/projects/${pid}/issues/1`, { add_labels: 'triage::ready,extra', remove_labels: 'feedback' });
    expect(updated.body.labels).toEqual(['extra', 'triage::ready']);
    expect(sb.store.getIssue(pid, 1)!.labels).toEqual(['extra', 'triage::ready']);

    const replaced = await api.put(`/projects/${pid}/issues/1`, { labels: ['only'] });
    expect(replaced.body.labels).toEqual(['only']);
    const labels = await api.get(`/projects/${pid}/labels`);
    expect(labels.body.map((l: any) => l.name)).toEqual(expect.arrayContaining(['feedback', 'triage::new', 'triage::ready', 'extra', 'only']));

    const events = await api.get(`/projects/${pid}/issues/1/resource_label_events`);
    expect(events.body.filter((e: any) => e.action === 'add').map((e: any) => e.label.name)).toContain('triage::ready');
  });

  test('issue_type: created as asked, listed by type, 400 for a type GitLab does not have (doc/api/issues.md)', async () => {
    const api = client(sb);
    const task = await api.post(`/projects/${pid}/issues`, { title: 'A task', issue_type: 'task' });
    expect(task.body).toMatchObject({ issue_type: 'task', type: 'TASK' });
    const plain = await api.post(`/projects/${pid}/issues`, { title: 'An issue' });
    expect(plain.body).toMatchObject({ issue_type: 'issue', type: 'ISSUE' });
    const tasks = await api.get(`/projects/${pid}/issues?issue_type=task`);
    expect(tasks.body.map((i: any) => i.iid)).toEqual([task.body.iid]);
    const all = await api.get(`/projects/${pid}/issues?per_page=100`);
    expect(all.body.map((i: any) => i.iid)).toEqual(expect.arrayContaining([task.body.iid, plain.body.iid]));
    expect((await api.post(`/projects/${pid}/issues`, { title: 'An epic', issue_type: 'epic' })).body).toEqual({ error: 'issue_type does not have a valid value' });
  });

  test('PUT without parameters is 400; invalid state_event is 400', async () => {
    const api = client(sb);
    expect((await api.put(`/projects/${pid}/issues/1`, {})).status).toBe(400);
    const bad = await api.put(`/projects/${pid}/issues/1`, { state_event: 'explode' });
    expect(bad.body).toEqual({ error: 'state_event does not have a valid value' });
  });

  test('close, reopen, confidential and title produce GitLab system notes; no-op writes change nothing', async () => {
    const api = client(sb);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'Old title' });
    const closed = await api.put(`/projects/${pid}/issues/${issue.iid}`, { state_event: 'close' });
    expect(closed.body.state).toBe('closed');
    expect(closed.body.closed_at).not.toBeNull();
    expect(closed.body.closed_by.username).toBe('support-bot');
    await api.put(`/projects/${pid}/issues/${issue.iid}`, { state_event: 'reopen', confidential: true, title: 'New title' });
    const notes = await api.get(`/projects/${pid}/issues/${issue.iid}/notes?sort=asc`);
    const bodies = notes.body.map((n: any) => n.body);
    expect(bodies).toEqual(['changed title from **Old title** to **New title**', 'made the issue confidential']);
    expect(notes.body.every((n: any) => n.system && n.noteable_type === 'Issue' && n.noteable_iid === issue.iid)).toBe(true);

    const before = sb.store.getIssue(pid, issue.iid)!.updatedAt.getTime();
    const same = await api.put(`/projects/${pid}/issues/${issue.iid}`, { confidential: true, title: 'New title' });
    expect(same.status).toBe(200);
    expect(sb.store.getIssue(pid, issue.iid)!.updatedAt.getTime()).toBe(before);
  });

  test('confidential issues are hidden from users without access', async () => {
    const requester = sb.store.findUserByUsername('sam-sales')!;
    sb.store.addToken('sam-token', requester.id);
    const secret = sb.store.createIssue(pid, { title: 'secret', confidential: true, authorId: sb.store.findUserByUsername('alice')!.id });
    const sam = client(sb, 'sam-token');
    expect((await sam.get(`/projects/${pid}/issues/${secret.iid}`)).status).toBe(404);
    expect((await sam.get(`/projects/${pid}/issues`)).body.map((i: any) => i.iid)).not.toContain(secret.iid);
    expect((await client(sb).get(`/projects/${pid}/issues/${secret.iid}`)).status).toBe(200);
  });

  test('list filters: state, labels (AND, None, Any), not[labels], iids[], dates, search, author, order', async () => {
    const p = sb.store.createProject({ path_with_namespace: 'gitlab-com/support/filters', visibility: 'public' });
    const t0 = new Date('2026-01-01T00:00:00Z');
    const day = 86_400_000;
    const mk = (n: number, labels: string[], extra: Record<string, unknown> = {}) =>
      sb.store.createIssue(p.id, { title: `Issue ${n}`, description: n === 3 ? 'needle here' : '', labels, createdAt: new Date(t0.getTime() + n * day), ...extra });
    mk(1, ['a', 'b']);
    mk(2, ['a']);
    mk(3, []);
    mk(4, ['b'], { state: 'closed' });
    const api = client(sb);
    const iids = async (q: string) => (await api.get(`/projects/${p.id}/issues?${q}`)).body.map((i: any) => i.iid);
    expect(await iids('')).toEqual([4, 3, 2, 1]);
    expect(await iids('state=opened')).toEqual([3, 2, 1]);
    expect(await iids('labels=a,b')).toEqual([1]);
    expect(await iids('labels[]=a&labels[]=b')).toEqual([1]);
    expect(await iids('labels=None')).toEqual([3]);
    expect(await iids('labels=Any')).toEqual([4, 2, 1]);
    expect(await iids('not[labels]=b')).toEqual([3, 2]);
    expect(await iids('iids[]=1&iids[]=3')).toEqual([3, 1]);
    expect(await iids(`created_after=${new Date(t0.getTime() + 2 * day).toISOString()}`)).toEqual([4, 3, 2]);
    expect(await iids(`created_before=${new Date(t0.getTime() + 2 * day).toISOString()}`)).toEqual([2, 1]);
    expect(await iids('search=NEEDLE')).toEqual([3]);
    expect(await iids('order_by=created_at&sort=asc')).toEqual([1, 2, 3, 4]);
    expect(await iids('author_username=nobody')).toEqual([]);
    sb.store.getIssue(p.id, 1)!.updatedAt = new Date(t0.getTime() + 10 * day);
    expect(await iids('order_by=updated_at')).toEqual([1, 4, 3, 2]);
    expect(await iids(`updated_after=${new Date(t0.getTime() + 5 * day).toISOString()}`)).toEqual([1]);
    expect((await api.get(`/projects/${p.id}/issues?order_by=weight`)).status).toBe(400);
  });
});

describe('notes', () => {
  test("a new note bumps the issue's updated_at (Note belongs_to :noteable, touch: true)", async () => {
    const api = client(sb);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'Touched' });
    sb.store.clock = () => new Date(Date.now() + 60_000);
    try {
      const note = await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'hello' });
      const after = await api.get(`/projects/${pid}/issues/${issue.iid}`);
      expect(after.body.updated_at).toBe(note.body.created_at);
      expect(after.body.updated_at > issue.updated_at).toBe(true);
    } finally {
      sb.store.clock = () => new Date();
    }
  });

  test('create, list with sort, update by author only; user_notes_count counts non-system notes', async () => {
    const api = client(sb);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'Notes' });
    sb.store.clock = () => new Date('2026-11-16T09:00:00Z');
    const first = await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'first <!-- support-bot:rule -->' });
    sb.store.clock = () => new Date('2026-11-16T10:00:00Z');
    const second = await client(sb, SANDBOX_TOKENS.member).post(`/projects/${pid}/issues/${issue.iid}/notes`, { body: 'second', internal: true });
    sb.store.clock = () => new Date();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      body: 'first <!-- support-bot:rule -->',
      system: false,
      noteable_type: 'Issue',
      noteable_iid: issue.iid,
      created_at: '2026-11-16T09:00:00.000Z',
      author: { username: 'support-bot' },
    });
    expect(second.body).toMatchObject({ internal: true, confidential: true });

    const desc = await api.get(`/projects/${pid}/issues/${issue.iid}/notes`);
    expect(desc.body.map((n: any) => n.body)).toEqual(['second', 'first <!-- support-bot:rule -->']);
    const asc = await api.get(`/projects/${pid}/issues/${issue.iid}/notes?sort=asc&order_by=created_at`);
    expect(asc.body.map((n: any) => n.id)).toEqual([first.body.id, second.body.id]);

    const edited = await api.put(`/projects/${pid}/issues/${issue.iid}/notes/${first.body.id}`, { body: 'edited' });
    expect(edited.body.body).toBe('edited');
    const notMine = await client(sb, SANDBOX_TOKENS.member).put(`/projects/${pid}/issues/${issue.iid}/notes/${first.body.id}`, { body: 'hijack' });
    expect(notMine.status).toBe(403);
    expect((await api.get(`/projects/${pid}/issues/${issue.iid}`)).body.user_notes_count).toBe(2);
    expect((await api.post(`/projects/${pid}/issues/${issue.iid}/notes`, {})).body).toEqual({ error: 'body is missing' });
  });

  test('legacySystemNotes writes label and state notes as GitLab did before 11.2', async () => {
    const legacy = await startSandbox({ legacySystemNotes: true });
    try {
      const p = legacy.store.createProject({ path_with_namespace: 'g/p', visibility: 'public' });
      legacy.store.addProjectMember(p.id, legacy.store.findUserByUsername('support-bot')!.id, ACCESS.developer);
      const api = client(legacy);
      await api.post(`/projects/${p.id}/issues`, { title: 't', labels: 'x' });
      await api.put(`/projects/${p.id}/issues/1`, { add_labels: 'y', remove_labels: 'x', state_event: 'close' });
      const notes = await api.get(`/projects/${p.id}/issues/1/notes?sort=asc`);
      // change_state runs before the rest of the update (issuable_base_service.rb): closed first.
      expect(notes.body.map((n: any) => n.body)).toEqual(['closed', 'added ~"y" and removed ~"x" label']);
    } finally {
      await legacy.close();
    }
  });
});

describe('pagination', () => {
  test('headers, Link with the query preserved, per_page capped at 100', async () => {
    const p = sb.store.createProject({ path_with_namespace: 'gitlab-com/support/paged', visibility: 'public' });
    for (let i = 0; i < 45; i++) sb.store.createIssue(p.id, { title: `n${i}`, labels: ['x'] });
    const api = client(sb);
    const res = await api.get(`/projects/${p.id}/issues?labels=x&per_page=20&page=2`);
    expect(res.body).toHaveLength(20);
    expect(Object.fromEntries(['x-page', 'x-per-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'x-page': '2',
      'x-per-page': '20',
      'x-next-page': '3',
      'x-prev-page': '1',
      'x-total': '45',
      'x-total-pages': '3',
    });
    const link = res.headers.get('link')!;
    const rels = Object.fromEntries([...link.matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1]!)]));
    expect(Object.keys(rels)).toEqual(['prev', 'next', 'first', 'last']);
    expect(rels['next']!.searchParams.get('page')).toBe('3');
    expect(rels['next']!.searchParams.get('labels')).toBe('x');
    expect(rels['last']!.searchParams.get('page')).toBe('3');
    expect(rels['next']!.origin).toBe(sb.url);

    const last = await api.get(`/projects/${p.id}/issues?per_page=20&page=3`);
    expect(last.body).toHaveLength(5);
    expect(last.headers.get('x-next-page')).toBe('');
    expect(last.headers.get('link')).not.toContain('rel="next"');
    expect((await api.get(`/projects/${p.id}/issues?per_page=500`)).headers.get('x-per-page')).toBe('100');
  });

  test('over the count limit x-total, x-total-pages and rel="last" are omitted', async () => {
    const small = await startSandbox({ countLimit: 10 });
    try {
      const p = small.store.createProject({ path_with_namespace: 'g/many', visibility: 'public' });
      for (let i = 0; i < 11; i++) small.store.createIssue(p.id, { title: `n${i}` });
      const res = await client(small).get(`/projects/${p.id}/issues?per_page=5`);
      expect(res.headers.get('x-total')).toBeNull();
      expect(res.headers.get('x-total-pages')).toBeNull();
      expect(res.headers.get('x-next-page')).toBe('2');
      expect(res.headers.get('link')).toContain('rel="next"');
      expect(res.headers.get('link')).not.toContain('rel="last"');
    } finally {
      await small.close();
    }
  });
});

describe('labels match exactly (Issuables::LabelFilter, Labels::FindOrCreateService)', () => {
  test('labels, not[labels], add_labels and remove_labels compare titles case-sensitively', async () => {
    const api = client(sb);
    const { body: issue } = await api.post(`/projects/${pid}/issues`, { title: 'Case', labels: 'Bug,triage::ready' });
    const list = async (q: string) => (await api.get(`/projects/${pid}/issues?${q}`)).body.map((i: any) => i.iid);
    expect(await list('labels=Bug')).toContain(issue.iid);
    expect(await list('labels=bug')).not.toContain(issue.iid);
    expect(await list('not[labels]=bug')).toContain(issue.iid);
    expect(await list('not[labels]=Bug')).not.toContain(issue.iid);
    expect(await list('labels=ANY')).toContain(issue.iid);

    const removed = await api.put(`/projects/${pid}/issues/${issue.iid}`, { remove_labels: 'bug' });
    expect(removed.body.labels).toEqual(['Bug', 'triage::ready']);
    // A title in another case is another label: GitLab creates it, and its scope key differs too.
    const added = await api.put(`/projects/${pid}/issues/${issue.iid}`, { add_labels: 'Triage::Ready' });
    expect(added.body.labels).toEqual(['Bug', 'Triage::Ready', 'triage::ready']);
  });
});

describe('tier', () => {
  test('scoped labels are exclusive on Premium only; on Free key::value labels coexist (doc/user/project/labels.md)', async () => {
    const free = await startSandbox({ tier: 'free' });
    try {
      const p = free.store.createProject({ path_with_namespace: 'g/free', visibility: 'public' });
      free.store.addProjectMember(p.id, free.store.findUserByUsername('support-bot')!.id, ACCESS.developer);
      const api = client(free);
      await api.post(`/projects/${p.id}/issues`, { title: 't', labels: 'triage::new' });
      expect((await api.put(`/projects/${p.id}/issues/1`, { add_labels: 'triage::ready' })).body.labels).toEqual(['triage::new', 'triage::ready']);
    } finally {
      await free.close();
    }
    expect((await client(sb).put(`/projects/${pid}/issues/1`, { add_labels: 'scope::a' })).status).toBe(200);
    expect((await client(sb).put(`/projects/${pid}/issues/1`, { add_labels: 'scope::b' })).body.labels).not.toContain('scope::a');
  });
});

// The mentions GitLab would notify (src/sandbox/mentions.ts): the test suite's guard against group pings reads them.
describe('the mentions a sandbox records', () => {
  test('a new issue and note notify each user, group and @all; an edit only the mentions it adds; unknown handles nobody', async () => {
    const alice = client(sb, SANDBOX_TOKENS.member);
    const issue = await alice.post(`/projects/${pid}/issues`, { title: 'Ask @bruno', description: 'cc @gitlab-com/support and @nobody-here' });
    expect(issue.status).toBe(201);
    const ref = `gitlab-com/support/feedback#${issue.body.iid}`;
    const since = (n: number) => sb.store.mentions.slice(n).map((m) => [m.byUsername, m.handle, m.kind, m.where]);
    expect(since(0)).toEqual([
      ['alice', 'bruno', 'user', ref],
      ['alice', 'gitlab-com/support', 'group', ref],
    ]);
    const n = sb.store.mentions.length;
    await alice.put(`/projects/${pid}/issues/${issue.body.iid}`, { description: 'cc @gitlab-com/support and @chen' });
    expect(since(n)).toEqual([['alice', 'chen', 'user', ref]]);
    const m = sb.store.mentions.length;
    const note = await alice.post(`/projects/${pid}/issues/${issue.body.iid}/notes`, { body: '@all see above, @dana' });
    expect(since(m)).toEqual([
      ['alice', 'all', 'all', `${ref} note ${note.body.id}`],
      ['alice', 'dana', 'user', `${ref} note ${note.body.id}`],
    ]);
    const k = sb.store.mentions.length;
    await alice.put(`/projects/${pid}/issues/${issue.body.iid}/notes/${note.body.id}`, { body: '@all see above, @dana and @gitlab-com/support/managers' });
    expect(since(k)).toEqual([['alice', 'gitlab-com/support/managers', 'group', `${ref} note ${note.body.id}`]]);
  });
});
