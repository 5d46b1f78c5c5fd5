import type { BotConfig } from '../config/schema.js';
import type { Issue } from '../gitlab/types.js';
import { addBusinessHours } from './businessHours.js';

export interface FirstResponseTarget {
  /** Business hours Support has for a first response. */
  hours: number;
  /** The template that sets the target. */
  template: string;
  /** When the share `sla.atRiskShare` of the target has passed. */
  atRiskAt: Date;
  /** When the whole target has passed. */
  dueAt: Date;
}

/**
 * An issue's first-response target, from list data only: its template label
 * (`template::<slug>`, set by template-check) picks the template's `firstResponseHours`.
 * An issue without such a template has none: there is no project-wide default, so the
 * team's own proposals and free-form issues are never on the clock.
 */
export function firstResponseTarget(issue: Pick<Issue, 'labels' | 'createdAt'>, config: BotConfig): FirstResponseTarget | undefined {
  const { sla, labels } = config;
  const template = config.templates.find((t) => t.firstResponseHours !== undefined && issue.labels.includes(`${labels.templatePrefix}${t.slug}`));
  if (template?.firstResponseHours === undefined) return undefined;
  const hours = template.firstResponseHours;
  return {
    hours,
    template: template.name,
    atRiskAt: addBusinessHours(issue.createdAt, hours * sla.atRiskShare, sla),
    dueAt: addBusinessHours(issue.createdAt, hours, sla),
  };
}
