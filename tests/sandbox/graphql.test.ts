import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCESS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client } from './helpers.js';

// POST /api/graphql answers the one query the bot sends, Query.note with author and
// lastEditedBy (app/graphql/types/query_type.rb, app/graphql/types/notes/base_note_interface.rb).

const QUERY = 'query($id: NoteID!) { note(id: $id) { author { username } lastEditedBy { username } } }';
let sb: Sandbox;
let pid: number;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  pid = sb.store.requireProject('gitlab-com/content-sites/handbook').id;
});
afterAll(() => sb.close());

async function graphql(token: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${sb.url}/api/graphql`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': token, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('GraphQL Query.note', () => {
  test('lastEditedBy is null until the body is edited, then the editor (Notes::UpdateService, Editable#last_edited_by)', async () => {
    const maria = sb.store.findUserByUsername('maria-manager')!;
    const chen = sb.store.findUserByUsername('chen')!;
    sb.store.addProjectMember(pid, chen.id, ACCESS.maintainer);
    sb.store.addToken('chen-token', chen.id);
    const mr = sb.store.createMergeRequest(pid, { title: 'edits' });
    const note = sb.store.createNote(mr, { body: 'Thanks, will look.', authorId: maria.id });
    const id = `gid://gitlab/Note/${note.id}`;
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id })).body).toEqual({ data: { note: { author: { username: 'maria-manager' }, lastEditedBy: null } } });
    // The same body again changes nothing, so records no editor.
    expect((await client(sb, 'chen-token').put(`/projects/${pid}/merge_requests/${mr.iid}/notes/${note.id}`, { body: 'Thanks, will look.' })).status).toBe(200);
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id })).body.data.note.lastEditedBy).toBeNull();
    expect((await client(sb, 'chen-token').put(`/projects/${pid}/merge_requests/${mr.iid}/notes/${note.id}`, { body: 'LGTM' })).status).toBe(200);
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id })).body).toEqual({ data: { note: { author: { username: 'maria-manager' }, lastEditedBy: { username: 'chen' } } } });
  });

  test('a note the user cannot read (an internal note for a non-member, a missing note) is null', async () => {
    const mr = sb.store.createMergeRequest(pid, { title: 'internal' });
    const internal = sb.store.createNote(mr, { body: 'LGTM', internal: true });
    sb.store.createUser({ username: 'outsider', name: 'Outsider', token: 'outsider-token' });
    expect((await graphql('outsider-token', QUERY, { id: `gid://gitlab/Note/${internal.id}` })).body).toEqual({ data: { note: null } });
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id: `gid://gitlab/Note/${internal.id}` })).body.data.note).not.toBeNull();
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id: 'gid://gitlab/Note/999999' })).body).toEqual({ data: { note: null } });
  });

  test('anything else is a GraphQL error; no token is 401', async () => {
    expect((await graphql(SANDBOX_TOKENS.bot, '{ currentUser { username } }', {})).body.errors).toHaveLength(1);
    expect((await graphql(SANDBOX_TOKENS.bot, 'query($id: NoteID!) { note(id: $id) { secret } }', { id: 'gid://gitlab/Note/1' })).body.errors[0].message).toBe(
      "Field 'secret' doesn't exist on type 'Note'",
    );
    expect((await graphql(SANDBOX_TOKENS.bot, QUERY, { id: '12' })).body.errors).toHaveLength(1);
    expect((await graphql('no-such-token', QUERY, { id: 'gid://gitlab/Note/1' })).status).toBe(401);
  });
});
