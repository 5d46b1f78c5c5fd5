import { collect } from '../gitlab/collect.js';
import type { Note, NoteableRef } from '../gitlab/types.js';
import { subjectItem } from '../subjects.js';
import { defineFact } from './define.js';

/** The subject's notes (comments and system notes), oldest first. */
export const notesFact = defineFact({
  description: "the issue's or merge request's notes, oldest first",
  scope: 'subject',
  stage: 2,
  param: (subject): NoteableRef => ({ projectId: subject.project.id, kind: subject.kind, iid: subjectItem(subject).iid }),
  key: (ref) => `${ref.projectId}:${ref.kind}:${ref.iid}`,
  load: (ref, { gateway }): Promise<Note[]> => collect(gateway.listNotes(ref)),
});
