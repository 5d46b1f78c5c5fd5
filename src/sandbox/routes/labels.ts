// Project labels: create and edit (doc/api/labels.md; lib/api/labels.rb and
// lib/api/helpers/label_helpers.rb). Both need `admin_label` on the project: the Planner
// role or higher (doc/user/permissions.md, "Manage labels"); a Guest gets 403. A name
// already taken is 409 "Label already exists"; a colour that is neither `#RGB`/`#RRGGBB`
// nor a CSS colour name is 400 with the field error; an unknown label is 404.

import type { Router } from 'express';
import { currentUser, isReporter, pathParam, projectFrom, type SandboxContext } from '../context.js';
import { ApiError, badRequest, forbidden, notFound } from '../errors.js';
import { paramsOf, requiredStr, str } from '../params.js';
import { labelJson } from '../serialize.js';
import type { LabelRec, ProjectRec, UserRec } from '../types.js';

// A few of the CSS colour names GitLab's ColorValidator accepts besides hex codes.
const CSS_COLOURS = new Set(['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'black', 'white', 'gray', 'grey']);

function validColour(value: string): boolean {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) || CSS_COLOURS.has(value.toLowerCase());
}

function requireLabelAdmin(ctx: SandboxContext, user: UserRec, project: ProjectRec): void {
  // The sandbox has no Planner role: Reporter is the lowest role it models that may manage labels.
  if (!isReporter(ctx, user, project)) throw forbidden();
}

function colourOf(p: Record<string, unknown>): string | undefined {
  const color = str(p, 'color');
  if (color !== undefined && !validColour(color)) throw new ApiError(400, { message: { color: ['must be a valid color code'] } });
  return color;
}

export function labelRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  /** `:label_id` is the label's id or its title. */
  const labelFrom = (project: ProjectRec, idOrTitle: string): LabelRec => {
    const label = /^\d+$/.test(idOrTitle) ? store.projectLabels(project.id).find((l) => l.id === Number(idOrTitle)) : store.findLabel(project.id, idOrTitle);
    if (!label) throw notFound('Label');
    return label;
  };

  api.post('/projects/:id/labels', (req, res) => {
    const project = projectFrom(ctx, req, res);
    requireLabelAdmin(ctx, currentUser(res), project);
    const p = paramsOf(req);
    const name = requiredStr(p, 'name').trim();
    const color = colourOf(p);
    if (color === undefined) throw badRequest('color is missing');
    if (store.findLabel(project.id, name)) throw new ApiError(409, { message: 'Label already exists' });
    const label = store.ensureLabel(project.id, name, { color, ...(str(p, 'description') !== undefined ? { description: str(p, 'description')! } : {}) });
    res.status(201).json(labelJson(label));
  });

  api.put('/projects/:id/labels/:label_id', (req, res) => {
    const project = projectFrom(ctx, req, res);
    requireLabelAdmin(ctx, currentUser(res), project);
    const label = labelFrom(project, pathParam(req, 'label_id'));
    const p = paramsOf(req);
    const newName = str(p, 'new_name');
    const color = colourOf(p);
    const description = str(p, 'description');
    if (newName === undefined && color === undefined && description === undefined)
      throw badRequest('new_name, color, description, priority are missing, at least one parameter must be provided');
    if (newName !== undefined && newName !== label.title && store.findLabel(project.id, newName)) throw new ApiError(409, { message: 'Label already exists' });
    if (newName !== undefined) label.title = newName;
    if (color !== undefined) label.color = color;
    if (description !== undefined) label.description = description === '' ? null : description;
    label.updatedAt = store.now();
    res.json(labelJson(label));
  });
}
