import type { LabelUse } from '../config/labelUses.js';
import type { BotConfig } from '../config/schema.js';
import type { Label } from '../gitlab/types.js';
import type { PlannedProjectAction } from '../engine/handlers/types.js';
import type { ProjectAction } from '../rules/projectActions.js';
import { labelSpec } from './specs.js';

/** The name its writes are recorded under, in outcomes and a dry run's reasons. */
export const LABELS_SYNC = 'labels-sync';

// `support-bot labels sync`: every label the configuration uses in a project (where a
// feature uses it), created with its colour and description, or updated where either
// differs. What already matches is left alone, so a second run writes nothing.

export type LabelChange =
  | { kind: 'create'; name: string; color: string; description: string; reason: string }
  | { kind: 'update'; name: string; change: { color?: string; description?: string }; reason: string };

export interface LabelPlan {
  changes: LabelChange[];
  /** What sync leaves to a person: a group label that differs, a label that differs only in case. */
  notes: string[];
}

const sameColour = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The changes that make `existing` hold every label in `uses`, with its spec. */
export function planLabels(config: BotConfig, uses: readonly LabelUse[], existing: readonly Label[]): LabelPlan {
  const byName = new Map(existing.map((l) => [l.name, l]));
  const plan: LabelPlan = { changes: [], notes: [] };
  const seen = new Set<string>();
  for (const use of uses) {
    if (seen.has(use.label)) continue;
    seen.add(use.label);
    const spec = labelSpec(use, config);
    const reason = `${use.from} names it`;
    const label = byName.get(use.label);
    if (!label) {
      const other = existing.find((l) => l.name.toLowerCase() === use.label.toLowerCase());
      if (other) plan.notes.push(`label "${use.label}" (${use.from}) differs only in case from "${other.name}": GitLab matches labels exactly, so rename one to match the other`);
      plan.changes.push({ kind: 'create', name: use.label, ...spec, reason });
      continue;
    }
    const change = {
      ...(sameColour(label.color, spec.color) ? {} : { color: spec.color }),
      ...((label.description ?? '') === spec.description ? {} : { description: spec.description }),
    };
    if (Object.keys(change).length === 0) continue;
    if (!label.projectLabel) {
      plan.notes.push(`label "${use.label}" is a group label: its colour or description differs, change it in the group`);
      continue;
    }
    plan.changes.push({ kind: 'update', name: use.label, change, reason });
  }
  return plan;
}

/** A change as the executor applies it: a project action, with its reason, made by `labels sync`. */
export function labelAction(projectId: number, change: LabelChange): PlannedProjectAction<Extract<ProjectAction, { type: 'createLabel' | 'updateLabel' }>> {
  const { reason } = change;
  if (change.kind === 'create')
    return { rule: LABELS_SYNC, reason, action: { type: 'createLabel', projectId, label: { name: change.name, color: change.color, description: change.description } } };
  return { rule: LABELS_SYNC, reason, action: { type: 'updateLabel', projectId, name: change.name, change: change.change } };
}
