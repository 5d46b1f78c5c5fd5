import type { ProjectActionHandler, ProjectActionOf } from './types.js';

// `labels sync`: the plan (labels/sync.ts) holds only the labels that are missing or differ.

/** A label the project lacks, with its colour and description. */
export const createLabelHandler: ProjectActionHandler<ProjectActionOf<'createLabel'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, { rule, action, reason }) {
    const { name, color, description } = action.label;
    const detail = `create label "${name}" ${color} "${description}"`;
    return [await ctx.write({ rules: [rule], target: 'label', detail, reason }, () => ctx.ports.gitlab.createLabel(action.projectId, action.label))];
  },
};

/** A project label's colour or description, where it differs. */
export const updateLabelHandler: ProjectActionHandler<ProjectActionOf<'updateLabel'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, { rule, action, reason }) {
    const parts = Object.entries(action.change).map(([key, value]) => `${key} ${key === 'description' ? JSON.stringify(value) : value}`);
    const detail = `update label "${action.name}": ${parts.join(', ')}`;
    return [await ctx.write({ rules: [rule], target: 'label', detail, reason }, () => ctx.ports.gitlab.updateLabel(action.projectId, action.name, action.change))];
  },
};
