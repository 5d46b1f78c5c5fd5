import type { LabelUse } from '../config/labelUses.js';
import type { BotConfig } from '../config/schema.js';
import { ruleRunsIn } from '../engine/runsOn.js';
import type { AnyRule, ProjectScope } from '../rules/types.js';

// The label names the configuration makes the bot read or write, per configured project.
// GitLab matches label titles exactly (Issuables::LabelFilter), so a configured
// `triage::Ready` never finds issues labelled `triage::ready`.

/**
 * The labels used in this project: those of each rule that can apply in it (its
 * `runsOn.projects`, e.g. sensitive-data only where the project is public, approval labels
 * only in approvals.scope), and the Week in Review's label in `swir.project`. A label the
 * project lacks where nothing uses it is no problem, so it is not listed.
 */
export function configuredLabels(config: BotConfig, scope: ProjectScope, rules: readonly AnyRule[]): LabelUse[] {
  const uses = rules.filter((rule) => ruleRunsIn(rule, scope, config)).flatMap((rule) => rule.labels?.(config, scope.key) ?? []);
  if (config.swir.project === scope.key) uses.push({ label: config.labels.swir, from: 'labels.swir' });
  return uses;
}

/** Said once after the missing-label lines of `config validate --remote`. */
export const MISSING_LABEL_HINT =
  'hint: GitLab creates a missing label (grey, no description) when the bot first adds it, and lists filtered by it stay empty until then: `npx support-bot labels sync` creates them all';

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
        : `warning: projects.${projectKey} (${projectPath}) has no label "${label}" (${from})`,
    );
  }
  return warnings;
}
