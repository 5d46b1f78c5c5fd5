import type { ActionOf, DiffedHandler } from './types.js';

/**
 * `PUT /users/:id`, administrators only. Listed first in the handler map: when the rename
 * fails, the subject's labels, state and notes stay as they were. Diffed by the planner: the
 * rule plans it only while the user still has the old name.
 */
export const renameUserHandler: DiffedHandler<ActionOf<'renameUser'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const changes = [];
    for (const { rule, action, reason } of planned) {
      const { userId, from, to } = action;
      changes.push(await ctx.write({ rules: [rule], target: 'user', detail: `rename user @${from} to @${to}`, reason }, () => ctx.ports.gitlab.renameUser(userId, to)));
    }
    return changes;
  },
};
