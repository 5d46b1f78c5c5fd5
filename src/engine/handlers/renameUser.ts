import type { AppliedChange } from '../changes.js';
import { notesAfter, upsertNote } from './notes.js';
import type { ActionOf, DiffedHandler } from './types.js';

/**
 * `PUT /users/:id`, administrators only. Listed first in the handler map: when the rename
 * fails, the subject's labels, state and notes stay as they were (but for the action's
 * `intent` note, written just before, which the next run reads to finish or to say the
 * release did not happen). Diffed by the planner: the rule plans it only while the user
 * still has the old name.
 */
export const renameUserHandler: DiffedHandler<ActionOf<'renameUser'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const changes: AppliedChange[] = [];
    for (const { rule, action, reason } of planned) {
      const { userId, from, to, intent } = action;
      if (intent) {
        const notes = await ctx.notes();
        const written = await upsertNote(ctx, { rule, reason, action: { type: 'upsertNote', key: intent.key, body: intent.body } }, notes);
        changes.push(...written.applied);
        ctx.notesChanged(notesAfter(notes, written));
      }
      changes.push(await ctx.write({ rules: [rule], target: 'user', detail: `rename user @${from} to @${to}`, reason }, () => ctx.ports.gitlab.renameUser(userId, to)));
    }
    return changes;
  },
};
