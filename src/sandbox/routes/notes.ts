// Notes on issues and merge requests: one set of handlers serves both
// `/issues/:issue_iid/notes` and `/merge_requests/:merge_request_iid/notes`.

import type { Router } from 'express';
import { checkEndpointLimit, currentUser, emitHook, intPathParam, isMaintainer, isReporter, issuableFrom, type IssuableKindPath, type SandboxContext } from '../context.js';
import { badRequestMessage, forbidden, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, date, oneOf, paramsOf, requiredStr } from '../params.js';
import { noteJson } from '../serialize.js';
import type { IssuableRec, NoteRec, ProjectRec, UserRec } from '../types.js';
import { isConfidentialNote, noteHook } from '../webhooks/payloads.js';
import { interpretQuickActions } from '../quickActions.js';
import { applyQuickActions } from './shared.js';
import { issuableRef } from '../issuables.js';

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

  const canReadNote = (user: UserRec, project: ProjectRec, note: NoteRec): boolean => !note.internal || isReporter(ctx, user, project);

  /**
   * `admin_note` (update and delete, lib/api/helpers/notes_helpers.rb): the note's author or a
   * Maintainer (app/policies/project_policy.rb), never on a system note (`~editable`) nor on an
   * internal note the user cannot read (app/policies/note_policy.rb); otherwise 403.
   */
  const requireAdminNote = (user: UserRec, project: ProjectRec, note: NoteRec): void => {
    if (note.system || !canReadNote(user, project, note)) throw forbidden();
    if (note.authorId !== user.id && !isMaintainer(ctx, user, project)) throw forbidden();
  };

  for (const { path, iidParam } of KINDS) {
    const base = `/projects/:id/${path}/:${iidParam}/notes`;

    api.get(base, (req, res) => {
      const { project, issuable } = issuableFrom(ctx, req, res, path);
      const p = paramsOf(req);
      const orderBy = oneOf(p, 'order_by', ['created_at', 'updated_at'] as const) ?? 'created_at';
      const sort = oneOf(p, 'sort', ['asc', 'desc'] as const) ?? 'desc';
      const key = (n: NoteRec): number => (orderBy === 'updated_at' ? n.updatedAt : n.createdAt).getTime();
      const notes = [...store.listNotes(issuable)].sort((a, b) => {
        const c = key(a) - key(b) || a.id - b.id;
        return sort === 'asc' ? c : -c;
      });
      // Internal notes are read by Reporters and up only (app/policies/note_policy.rb,
      // `can_read_internal_note`); lib/api/notes.rb drops unreadable notes after paginating,
      // so such a reader's page can be shorter than per_page while the headers count them all.
      const user = currentUser(res);
      const page = paginate(req, res, notes, ctx.pagination).filter((n) => canReadNote(user, project, n));
      res.json(page.map((n) => noteJson(store, n)));
    });

    api.get(`${base}/:note_id`, (req, res) => {
      const { project, issuable } = issuableFrom(ctx, req, res, path);
      const note = store.getNote(issuable, intPathParam(req, 'note_id', 'Note'));
      // get_note (lib/api/helpers/notes_helpers.rb): a note the user may not read is 404 Note.
      if (!note || !canReadNote(currentUser(res), project, note)) throw notFound('Note');
      res.json(noteJson(store, note));
    });

    api.post(base, (req, res) => {
      const { project, issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      checkEndpointLimit(ctx, 'notes_create', user);
      const p = paramsOf(req);
      const createdAt = user.isAdmin ? date(p, 'created_at') : undefined;
      const qa = interpretQuickActions(store, issuable, checkNoteLength(requiredStr(p, 'body')), user);
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
        // Only who may read internal notes may mark one internal; from anyone else the flag is
        // ignored and the note is public (Notes::BuildService#new_note, `mark_note_as_internal`).
        internal: (bool(p, 'internal') ?? bool(p, 'confidential') ?? false) && isReporter(ctx, user, project),
        ...(createdAt ? { createdAt } : {}),
      });
      store.recordMentions(user.id, '', note.body, `${issuableRef(store, issuable)} note ${note.id}`);
      store.addEvent(user.id, { projectId: project.id, actionName: 'commented on', targetType: 'Note', targetId: note.id, targetIid: issuable.iid, targetTitle: issuable.title });
      emitNote(res, note, issuable, user, 'create');
      if (qa.commands > 0) applyQuickActions(ctx, res, issuable, user, qa);
      res.status(201).json({ ...noteJson(store, note), commands_changes: qa.changes });
    });

    api.put(`${base}/:note_id`, (req, res) => {
      const { project, issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      const note = store.getNote(issuable, intPathParam(req, 'note_id', 'Note'));
      if (!note) throw notFound('Note');
      requireAdminNote(user, project, note);
      const body = checkNoteLength(requiredStr(paramsOf(req), 'body'));
      if (body !== note.body) {
        store.recordMentions(user.id, note.body, body, `${issuableRef(store, issuable)} note ${note.id}`);
        note.body = body;
        note.updatedAt = store.now();
        // Notes::UpdateService#update_note: a changed body records when and by whom.
        note.lastEditedAt = note.updatedAt;
        note.updatedById = user.id;
        emitNote(res, note, issuable, user, 'update');
      }
      res.json(noteJson(store, note));
    });

    api.delete(`${base}/:note_id`, (req, res) => {
      const { project, issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      const note = store.getNote(issuable, intPathParam(req, 'note_id', 'Note'));
      if (!note) throw notFound('Note');
      requireAdminNote(user, project, note);
      store.deleteNote(note);
      res.status(204).end();
    });
  }
}

/**
 * A note holds at most 1,000,000 characters (Note validates `note` length); the API answers
 * `bad_request!("Note #{note.errors.messages}")` (lib/api/helpers/notes_helpers.rb).
 */
export const NOTE_MAX = 1_000_000;

function checkNoteLength(body: string): string {
  if ([...body].length > NOTE_MAX) throw badRequestMessage(`400 Bad request - Note {:note=>["is too long (maximum is ${NOTE_MAX} characters)"]}`);
  return body;
}
