// Notes on issues and merge requests: one set of handlers serves both
// `/issues/:issue_iid/notes` and `/merge_requests/:merge_request_iid/notes`.

import type { Router } from 'express';
import { checkEndpointLimit, currentUser, emitHook, intPathParam, issuableFrom, type IssuableKindPath, type SandboxContext } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, date, oneOf, paramsOf, requiredStr } from '../params.js';
import { noteJson } from '../serialize.js';
import type { IssuableRec, NoteRec, UserRec } from '../types.js';
import { isConfidentialNote, noteHook } from '../webhooks/payloads.js';
import { interpretQuickActions } from '../quickActions.js';
import { applyQuickActions } from './shared.js';

const KINDS: { path: IssuableKindPath; iidParam: string }[] = [
  { path: 'issues', iidParam: 'issue_iid' },
  { path: 'merge_requests', iidParam: 'merge_request_iid' },
];

export function noteRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  const emitNote = (res: Parameters<typeof emitHook>[1], note: NoteRec, issuable: IssuableRec, actor: UserRec, action: 'create' | 'update'): void => {
    emitHook(ctx, res, {
      projectId: note.projectId,
      event: isConfidentialNote(note, issuable) ? 'Confidential Note Hook' : 'Note Hook',
      body: noteHook(store, note, issuable, actor, action),
    });
  };

  for (const { path, iidParam } of KINDS) {
    const base = `/projects/:id/${path}/:${iidParam}/notes`;

    api.get(base, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      const p = paramsOf(req);
      const orderBy = oneOf(p, 'order_by', ['created_at', 'updated_at'] as const) ?? 'created_at';
      const sort = oneOf(p, 'sort', ['asc', 'desc'] as const) ?? 'desc';
      const key = (n: NoteRec): number => (orderBy === 'updated_at' ? n.updatedAt : n.createdAt).getTime();
      const notes = [...store.listNotes(issuable)].sort((a, b) => {
        const c = key(a) - key(b) || a.id - b.id;
        return sort === 'asc' ? c : -c;
      });
      res.json(paginate(req, res, notes, ctx.pagination).map((n) => noteJson(store, n)));
    });

    api.get(`${base}/:note_id`, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      const note = store.getNote(issuable, intPathParam(req, 'note_id', 'Note'));
      if (!note) throw notFound('Note');
      res.json(noteJson(store, note));
    });

    api.post(base, (req, res) => {
      const { project, issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      checkEndpointLimit(ctx, 'notes_create', user);
      const p = paramsOf(req);
      const createdAt = user.isAdmin ? date(p, 'created_at') : undefined;
      const qa = interpretQuickActions(store, issuable, requiredStr(p, 'body'), user);
      // A note made only of quick actions is not saved: 202 with what the commands changed
      // (lib/api/helpers/notes_helpers.rb, Entities::NoteCommands), and no Note Hook.
      if (qa.commands > 0 && qa.text.trim() === '') {
        applyQuickActions(ctx, res, issuable, user, qa);
        res.status(202).json({ commands_changes: qa.changes, summary: qa.summary });
        return;
      }
      const note = store.createNote(issuable, {
        body: qa.text,
        authorId: user.id,
        internal: bool(p, 'internal') ?? bool(p, 'confidential') ?? false,
        ...(createdAt ? { createdAt } : {}),
      });
      store.addEvent(user.id, { projectId: project.id, actionName: 'commented on', targetType: 'Note', targetId: note.id, targetIid: issuable.iid, targetTitle: issuable.title });
      emitNote(res, note, issuable, user, 'create');
      if (qa.commands > 0) applyQuickActions(ctx, res, issuable, user, qa);
      res.status(201).json({ ...noteJson(store, note), commands_changes: qa.changes });
    });

    api.put(`${base}/:note_id`, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      const note = store.getNote(issuable, intPathParam(req, 'note_id', 'Note'));
      if (!note) throw notFound('Note');
      if (note.system || (note.authorId !== user.id && !user.isAdmin)) throw forbidden();
      const body = requiredStr(paramsOf(req), 'body');
      if (body !== note.body) {
        note.body = body;
        note.updatedAt = store.now();
        emitNote(res, note, issuable, user, 'update');
      }
      res.json(noteJson(store, note));
    });

    api.delete(`${base}/:note_id`, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      const note = store.getNote(issuable, intPathParam(req, 'note_id', 'Note'));
      if (!note) throw notFound('Note');
      if (note.authorId !== user.id && !user.isAdmin) throw forbidden();
      store.deleteNote(note);
      res.status(204).end();
    });
  }
}
