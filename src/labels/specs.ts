import type { LabelUse } from '../config/labelUses.js';
import type { BotConfig } from '../config/schema.js';

// The colour and description `labels sync` gives each label the configuration uses, by the
// config key that names it (`LabelUse.from`): a team sees on the label what sets it and why.

export interface LabelSpec {
  color: string;
  description: string;
}

const NAMED: Record<string, LabelSpec> = {
  'labels.templateNone': { color: '#A8A8A8', description: "support-bot: the issue follows none of the project's issue templates" },
  'labels.needsInfo': { color: '#F0AD4E', description: 'support-bot: a required section of the template is empty; waiting on the author' },
  'labels.ready': { color: '#5CB85C', description: "support-bot: every required section of the issue's template is filled" },
  'labels.redirectRequestForm': { color: '#8E44AD', description: 'support-bot: licensing, subscription, trial or grace-period request: handled through the internal request form' },
  'labels.sensitiveData': { color: '#D9534F', description: 'support-bot: made confidential for a secret or a vulnerability report' },
  'labels.slaAtRisk': { color: '#F0AD4E', description: 'support-bot: no first response yet and most of the target is used' },
  'labels.slaBreached': { color: '#D9534F', description: 'support-bot: no first response within the target' },
  'labels.dormantEligible': { color: '#5CB85C', description: 'support-bot: the namespace meets the four dormant-username criteria' },
  'labels.dormantNotEligible': { color: '#D9534F', description: 'support-bot: a dormant-username criterion fails or cannot be verified' },
  'labels.dormantPendingContact': { color: '#F0AD4E', description: 'support-bot: nothing fails yet, the contact attempts are not complete' },
  'labels.dormantUserNotFound': { color: '#A8A8A8', description: 'support-bot: no user or group has the requested namespace' },
  'labels.swir': { color: '#428BCA', description: 'support-bot: a published Support Week in Review' },
  'labels.approvalPresent': { color: '#5CB85C', description: 'support-bot: the merge request carries a visible artifact of approval' },
  'labels.approvalMissing': { color: '#D9534F', description: 'support-bot: the merge request needs a visible artifact of approval before merging' },
  'sensitiveData.reviewedLabel': { color: '#A8A8A8', description: 'A team member looked: not a vulnerability report (support-bot still redacts secrets)' },
  'sla.answeredLabel': { color: '#5CB85C', description: 'support-bot: the first response was given; later runs skip the issue' },
};

const TEMPLATE_LABEL = /^labels\.templatePrefix \+ templates\[(\d+)\]\.slug$/;
const TEMPLATE_EXTRA = /^templates\[(\d+)\]\.labels\[\d+\]$/;
const BOARD_COLUMN = /^activeNow\.labels\[\d+\]$/;

/** The colour and description of one configured label. */
export function labelSpec(use: LabelUse, config: BotConfig): LabelSpec {
  const named = NAMED[use.from];
  if (named) return named;
  const template = TEMPLATE_LABEL.exec(use.from) ?? TEMPLATE_EXTRA.exec(use.from);
  const name = template ? config.templates[Number(template[1])]?.name : undefined;
  if (name && TEMPLATE_LABEL.test(use.from)) return { color: '#6699CC', description: `support-bot: the issue follows the "${name}" template` };
  if (name) return { color: '#6699CC', description: `support-bot: set on issues of the "${name}" template` };
  if (BOARD_COLUMN.test(use.from))
    return { color: '#428BCA', description: `A column of the Active Now board (at most ${config.activeNow.limit} issues; support-bot keeps the limit)` };
  return { color: '#6699CC', description: `support-bot: ${use.from}` };
}
