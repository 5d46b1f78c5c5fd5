// POST /api/graphql, for the one query the bot sends: `Query.note(id: NoteID!)`
// (app/graphql/types/query_type.rb, `field :note`) selecting fields of
// Types::Notes::BaseNoteInterface (app/graphql/types/notes/base_note_interface.rb): `author`,
// `lastEditedAt` and `lastEditedBy` (REST notes carry no editor, lib/api/entities/note.rb).
// `lastEditedBy` is null unless the body was edited (app/models/concerns/editable.rb), then the
// editor that Notes::UpdateService#update_note recorded. A note the user may not read resolves
// to null (Types::Notes::NoteType `authorize :read_note`). Any other query is an error: the
// rest of GraphQL is not modelled.

import type { RequestHandler } from 'express';
import { canRead, canReadMergeRequests, canSeeIssue, currentUser, isReporter, type SandboxContext } from '../context.js';
import type { NoteRec, UserRec } from '../types.js';

const NOTE_QUERY = /^\s*query\b[^({]*\(\s*\$(\w+)\s*:\s*NoteID!\s*\)\s*\{\s*note\s*\(\s*id\s*:\s*\$(\w+)\s*\)\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\}\s*$/;
const FIELD = /(\w+)\s*(?:\{([^{}]*)\})?/g;
const NOTE_FIELDS = new Set(['id', 'body', 'createdAt', 'updatedAt', 'lastEditedAt', 'author', 'lastEditedBy']);
const USER_FIELDS = new Set(['username', 'name']);

type Json = Record<string, unknown>;

export function graphqlNoteQuery(ctx: SandboxContext): RequestHandler {
  const { store } = ctx;

  const readable = (user: UserRec, note: NoteRec): boolean => {
    const project = store.getProject(note.projectId);
    if (!project || !canRead(ctx, user, project)) return false;
    if (note.internal && !isReporter(ctx, user, project)) return false;
    if (note.noteableType === 'MergeRequest') return canReadMergeRequests(ctx, user, project);
    const issue = store.issues.find((i) => i.id === note.noteableId);
    return Boolean(issue && canSeeIssue(ctx, user, project, issue));
  };

  const userJson = (id: number | null, fields: string[]): Json | null => {
    const user = id === null ? undefined : store.getUser(id);
    if (!user) return null;
    return Object.fromEntries(fields.map((f) => [f, f === 'username' ? user.username : user.name]));
  };

  /** One of NOTE_FIELDS; the last, `lastEditedBy`, falls to the default. */
  const fieldValue = (note: NoteRec, name: string, sub: string[]): unknown => {
    const edited = note.lastEditedAt !== null && note.lastEditedAt.getTime() !== note.createdAt.getTime();
    switch (name) {
      case 'id':
        return `gid://gitlab/Note/${note.id}`;
      case 'body':
        return note.body;
      case 'createdAt':
        return note.createdAt.toISOString();
      case 'updatedAt':
        return note.updatedAt.toISOString();
      case 'lastEditedAt':
        return note.lastEditedAt?.toISOString() ?? null;
      case 'author':
        return userJson(note.authorId, sub);
      default:
        return edited ? userJson(note.updatedById, sub) : null;
    }
  };

  return (req, res) => {
    const user = currentUser(res);
    const { query, variables } = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    const match = typeof query === 'string' ? NOTE_QUERY.exec(query) : null;
    if (!match || match[1] !== match[2]) {
      res.json({ errors: [{ message: 'sandbox: only `query($id: NoteID!) { note(id: $id) { … } }` is modelled' }] });
      return;
    }
    const selection = [...match[3]!.matchAll(FIELD)].map(([, name, sub]) => ({ name: name!, sub: sub?.trim().split(/\s+/).filter(Boolean) ?? [] }));
    for (const { name, sub } of selection) {
      if (!NOTE_FIELDS.has(name)) {
        res.json({ errors: [{ message: `Field '${name}' doesn't exist on type 'Note'` }] });
        return;
      }
      const unknownSub = sub.find((f) => !USER_FIELDS.has(f));
      if (unknownSub) {
        res.json({ errors: [{ message: `Field '${unknownSub}' doesn't exist on type 'UserCore'` }] });
        return;
      }
    }
    const gid = /^gid:\/\/gitlab\/Note\/(\d+)$/.exec(String(variables?.[match[1]!] ?? ''));
    if (!gid) {
      res.json({ errors: [{ message: `Variable $${match[1]} of type NoteID! was provided invalid value` }] });
      return;
    }
    const note = store.notes.find((n) => n.id === Number(gid[1]));
    if (!note || !readable(user, note)) {
      res.json({ data: { note: null } });
      return;
    }
    res.json({ data: { note: Object.fromEntries(selection.map(({ name, sub }) => [name, fieldValue(note, name, sub)])) } });
  };
}
