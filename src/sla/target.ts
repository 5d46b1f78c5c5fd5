import type { BotConfig } from '../config/schema.js';
import type { Issue } from '../gitlab/types.js';
import { addBusinessHours } from './businessHours.js';

export interface FirstResponseTarget {
  /** Business hours Support has for a first response. */
  hours: number;
  /** The template whose target applies; absent for the `sla.firstResponseHours` default. */
  template?: string;
  /** When the share `sla.atRiskShare` of the target has passed. */
  atRiskAt: Date;
  /** When the whole target has passed. */
  dueAt: Date;
}

/**
 * An issue's first-response target, from list data only: its template label
 * (`template::<slug>`, set by template-check) picks the template's `firstResponseHours`;
 * issues without one get `sla.firstResponseHours`.
 */
export function firstResponseTarget(issue: Pick<Issue, 'labels' | 'createdAt'>, config: BotConfig): FirstResponseTarget {
  const { sla, labels } = config;
  const template = config.templates.find((t) => issue.labels.includes(`${labels.templatePrefix}${t.slug}`));
  const hours = template?.firstResponseHours ?? sla.firstResponseHours;
  return {
    hours,
    ...(template?.firstResponseHours !== undefined ? { template: template.name } : {}),
    atRiskAt: addBusinessHours(issue.createdAt, hours * sla.atRiskShare, sla),
    dueAt: addBusinessHours(issue.createdAt, hours, sla),
  };
}
