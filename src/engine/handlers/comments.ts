import type { AppliedChange } from '../changes.js';
import type { ActionOf, DiffedHandler } from './types.js';

type RedactComment = ActionOf<'redactComment'>;

/**
 * Another user's comment rewritten (a secret replaced): diffed against the subject's notes,
 * so a comment already redacted, or deleted since, is not written again. GitLab allows it to
 * the note's author and Maintainers (`admin_note`, app/policies/note_policy.rb), through
 * `PUT /projects/:id/{issues,merge_requests}/:iid/notes/:note_id` (lib/api/notes.rb).
 */
export const redactCommentHandler: DiffedHandler<RedactComment> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const notes = await ctx.notes();
    const where = `${ctx.ref.kind === 'issue' ? 'issue #' : 'merge request !'}${ctx.ref.iid}`;
    const changes: AppliedChange[] = [];
    for (const { rule, action, reason } of planned) {
      const change = (detail: string) => ({ rules: [rule], target: 'note' as const, detail: `${where}: ${detail}`, reason });
      const note = notes.find((n) => n.id === action.noteId);
      if (!note) changes.push(ctx.unchanged(change(`comment ${action.noteId} is gone`)));
      else if (note.body === action.body) changes.push(ctx.unchanged(change(`comment ${action.noteId} is redacted`)));
      else changes.push(await ctx.write(change(`redact comment ${action.noteId}`), () => ctx.ports.gitlab.updateNote(ctx.ref, action.noteId, action.body)));
    }
    return changes;
  },
};
