import type { BotConfig } from './schema.js';

// What rules declare in `labels`: the configured label names they write or filter by, each
// with the config key that names it, so `config validate --remote` can say which key to fix.

/** A configured label, and the config key that names it (for the operator). */
export interface LabelUse {
  label: string;
  from: string;
}

type LabelKey = Exclude<keyof BotConfig['labels'], 'templatePrefix'>;

/** Labels under `labels.*`, by key. */
export function namedLabels(config: BotConfig, ...keys: LabelKey[]): LabelUse[] {
  return keys.map((key) => ({ label: config.labels[key], from: `labels.${key}` }));
}

/** The labels of a project's templates: `template::<slug>` and each template's own `labels`. */
export function templateLabels(config: BotConfig, projectKey: string): LabelUse[] {
  return config.templates.flatMap((template, i) =>
    template.project !== projectKey
      ? []
      : [
          { label: `${config.labels.templatePrefix}${template.slug}`, from: `labels.templatePrefix + templates[${i}].slug` },
          ...template.labels.map((label, j) => ({ label, from: `templates[${i}].labels[${j}]` })),
        ],
  );
}
