import type { BotConfig } from '../config/schema.js';

// The label names the configuration makes the bot read or write, per configured project.
// GitLab matches label titles exactly (Issuables::LabelFilter), so a configured
// `triage::Ready` never finds issues labelled `triage::ready`.

export interface LabelUse {
  label: string;
  /** Config key path that names it, for the operator. */
  from: string;
}

export function configuredLabels(config: BotConfig, projectKey: string): LabelUse[] {
  const uses: LabelUse[] = [];
  const { templatePrefix, ...named } = config.labels;
  for (const [key, label] of Object.entries(named)) uses.push({ label, from: `labels.${key}` });
  uses.push({ label: config.sensitiveData.reviewedLabel, from: 'sensitiveData.reviewedLabel' });
  if (config.sla.answeredLabel) uses.push({ label: config.sla.answeredLabel, from: 'sla.answeredLabel' });
  config.templates.forEach((template, i) => {
    if (template.project !== projectKey) return;
    uses.push({ label: `${templatePrefix}${template.slug}`, from: `labels.templatePrefix + templates[${i}].slug` });
    template.labels.forEach((label, j) => uses.push({ label, from: `templates[${i}].labels[${j}]` }));
  });
  if (config.activeNow.project === projectKey) config.activeNow.labels.forEach((label, i) => uses.push({ label, from: `activeNow.labels[${i}]` }));
  return uses;
}

/** One warning per configured label the project does not have, naming a label that differs only in case. */
export function missingLabelWarnings(projectKey: string, projectPath: string, uses: LabelUse[], existing: readonly string[]): string[] {
  const have = new Set(existing);
  const seen = new Set<string>();
  const warnings: string[] = [];
  for (const { label, from } of uses) {
    if (have.has(label) || seen.has(label)) continue;
    seen.add(label);
    const other = existing.find((name) => name.toLowerCase() === label.toLowerCase());
    warnings.push(
      other
        ? `warning: projects.${projectKey} (${projectPath}) has no label "${label}" (${from}) but has "${other}": GitLab matches labels exactly, so change one to match the other`
        : `warning: projects.${projectKey} (${projectPath}) has no label "${label}" (${from}): GitLab creates it when the bot first adds it, but lists filtered by it stay empty until then`,
    );
  }
  return warnings;
}
